"""A small world for tests: two districts, named people for every role.

District A (the one under test): bureau B1 with the safety office, centres C1 and C2, schools
S1 and S2 under C1, S3 under C2, the police agency A1. District B: bureau B2, centre C9,
school S9, to prove isolation.
"""

from dataclasses import dataclass, field

from anwen.accounts.models import User
from anwen.orgs import services
from anwen.orgs.models import Org, OrgKind, Person, Position
from anwen.orgs.roles import RoleName

PASSWORD = "Test-pass-2026"


@dataclass
class World:
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def __getattr__(self, name):
        for bag in ("orgs", "users"):
            values = self.__dict__.get(bag, {})
            if name in values:
                return values[name]
        raise AttributeError(name)


# username -> (role, org key)
PERSONAS = {
    "admin": (RoleName.BUREAU_ADMIN, "B1"),
    "bureau": (RoleName.BUREAU_OFFICER, "B1"),
    "leader": (RoleName.BUREAU_LEADER, "B1"),
    "centre": (RoleName.CENTRE_OFFICER, "C1"),
    "centre2": (RoleName.CENTRE_OFFICER, "C2"),
    "principal": (RoleName.PRINCIPAL, "S1"),
    "school": (RoleName.SAFETY_OFFICER, "S1"),
    "teacher": (RoleName.TEACHER, "S1"),
    "guard": (RoleName.GUARD, "S1"),
    "school3": (RoleName.SAFETY_OFFICER, "S3"),
    "agency": (RoleName.AGENCY_INSPECTOR, "A1"),
    "other_bureau": (RoleName.BUREAU_OFFICER, "B2"),
    "other_school": (RoleName.SAFETY_OFFICER, "S9"),
}


def build_world() -> World:
    w = World()

    def org(key, kind, name, parent=None, **school):
        o = services.org_create(
            kind=kind, name=name, code=key, parent=w.orgs[parent] if parent else None
        )
        if kind == OrgKind.SCHOOL:
            services.school_profile_save(org=o, **school)
        w.orgs[key] = o
        return o

    org("B1", OrgKind.BUREAU, "永川区教育委员会")
    org("D1", OrgKind.DEPARTMENT, "安全稳定办公室", "B1")
    org("C1", OrgKind.CENTRE, "青峰镇教育管理中心", "B1")
    org("C2", OrgKind.CENTRE, "金龙镇教育管理中心", "B1")
    org("S1", OrgKind.SCHOOL, "永川区青峰镇中心小学", "C1", school_type="primary", enrolment=820)
    org("S2", OrgKind.SCHOOL, "永川区青峰镇幼儿园", "C1", school_type="kindergarten", enrolment=210)
    org(
        "S3",
        OrgKind.SCHOOL,
        "永川区金龙中学",
        "C2",
        school_type="middle",
        enrolment=1400,
        boarding=True,
        boarders=600,
    )
    org("A1", OrgKind.AGENCY, "永川区公安局", "B1")
    org("B2", OrgKind.BUREAU, "另一区教育委员会")
    org("C9", OrgKind.CENTRE, "另一镇教育管理中心", "B2")
    org("S9", OrgKind.SCHOOL, "另一区第一小学", "C9", school_type="primary", enrolment=500)

    teacher_position = Position.objects.get(code="teacher")
    for username, (role, org_key) in PERSONAS.items():
        user = User.objects.create_user(
            username=username, password=PASSWORD, display_name=f"测试{username}"
        )
        services.role_assign(user=user, org=w.orgs[org_key], role=role)
        w.users[username] = user
        person = services.person_create(
            org=w.orgs[org_key], name=f"测试{username}", positions=[teacher_position]
        )
        person.user = user
        person.save(update_fields=["user"])
        w.people[username] = person
    return w


def log_in(client, user) -> None:
    """Log a test client in, past the second factor where the role asks for one."""
    from anwen.accounts.twofactor import mark_verified

    client.force_login(user)
    session = client.session
    mark_verified(session)
    session.save()


def api_key(user) -> str:
    """A working API key for `user`. A user whose roles need two factors gets a confirmed one
    first, as a token of theirs is refused without it."""
    from django.utils import timezone

    from anwen.accounts.models import ApiToken, User
    from anwen.orgs.scope import needs_two_factor

    if needs_two_factor(user) and user.totp_confirmed_at is None:
        User.objects.filter(pk=user.pk).update(
            totp_secret="JBSWY3DPEHPK3PXP", totp_confirmed_at=timezone.now()
        )
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", prefix=key[:8], key_hash=ApiToken.hash_key(key))
    return key


def add_persona(world: World, username: str, role: str, org_key: str) -> User:
    """One more named user with a role and a staff record (a second teacher of a school)."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=f"测试{username}"
    )
    services.role_assign(user=user, org=world.orgs[org_key], role=role)
    person = services.person_create(
        org=world.orgs[org_key],
        name=f"测试{username}",
        positions=[Position.objects.get(code="teacher")],
    )
    person.user = user
    person.save(update_fields=["user"])
    world.users[username] = user
    world.people[username] = person
    return user


def add_schools(
    world: World, count: int, *, parent: str = "C1", staff: int = 0, prefix: str = "扩展学校"
) -> list[Org]:
    """`count` more schools under `parent` (named prefix + a two-digit number, so they sort),
    each with `staff` people holding the teacher position: a world big enough to page."""
    teacher = Position.objects.get(code="teacher")
    schools = []
    for n in range(count):
        school = services.org_create(
            kind=OrgKind.SCHOOL,
            name=f"{prefix}{n:02d}",
            code=f"{parent}X{n:02d}",
            parent=world.orgs[parent],
        )
        services.school_profile_save(org=school, school_type="primary", enrolment=300)
        people = Person.objects.bulk_create(
            [Person(org=school, name=f"{prefix}{n:02d}教师{i}") for i in range(staff)]
        )
        Person.positions.through.objects.bulk_create(
            [Person.positions.through(person_id=p.pk, position_id=teacher.pk) for p in people]
        )
        schools.append(school)
    # Bulk rows send no signals: the sign rates' kept counts of the people just added.
    from anwen.duties.counts import recount

    recount(school.pk for school in schools)
    return schools
