"""The duties routes that take an object, for the permission matrix
(web/tests/test_permission_matrix.py): how to find one inside and one outside a user's scope."""

from django.utils import timezone

from anwen.orgs.models import OrgKind, Person
from anwen.orgs.scope import visible_orgs

OBJECT_ROUTES = {
    "duties:school": ("duties_school", "pk"),
    "duties:five_school": ("duties_school", "pk"),
    "duties:paper": ("duties_staff", "pk"),
    "duties:letter": ("duties_letter", "pk"),
    "duties:commitment": ("duties_commitment", "pk"),
}
# Positions are installation-wide; the library edited is the user's own bureau's.
UNSCOPED_OBJECT_ROUTES = {"duties:library_edit"}


def _school(world, user, inside: bool):
    seen = set(visible_orgs(user).filter(kind=OrgKind.SCHOOL).values_list("pk", flat=True))
    schools = [world.S1, world.S2, world.S3, world.S9]
    match = [s for s in schools if (s.pk in seen) == inside]
    # A user who sees no school at all (an agency inspector) is tried with one outside.
    return (match or schools)[0]


def school_sampler(world, user, inside: bool) -> int:
    return _school(world, user, inside).pk


def staff_sampler(world, user, inside: bool) -> int:
    school = _school(world, user, inside)
    person = Person.objects.filter(org=school, is_active=True).exclude(user=user).first()
    if person is None:
        person = Person.objects.create(org=school, name="抽样教师")
        person.positions.set(world.people["teacher"].positions.all())
    return person.pk


def letter_sampler(world, user, inside: bool) -> int:
    from anwen.duties.models import ResponsibilityLetter, SignMethod

    person = Person.objects.get(pk=staff_sampler(world, user, inside))
    letter, _created = ResponsibilityLetter.objects.get_or_create(
        person=person,
        year=timezone.localdate().year,
        defaults={
            "org": person.org,
            "person_name": person.name,
            "positions": "任课教师",
            "content": {"preamble": "", "duties": [], "promise": ""},
            "method": SignMethod.ONLINE,
            "signed_on": timezone.localdate(),
            "signed_at": timezone.now(),
        },
    )
    return letter.pk


def commitment_sampler(world, user, inside: bool) -> int:
    from anwen.duties.models import Commitment, CommitmentKind

    school = _school(world, user, inside)
    commitment, _created = Commitment.objects.get_or_create(
        org=school,
        title="消防安全承诺",
        defaults={
            "kind": CommitmentKind.PUBLIC,
            "date": timezone.localdate(),
            "content": "承诺内容",
            "location": "校门公示栏",
            "signer": "校长",
            "recorded_at": timezone.now(),
        },
    )
    return commitment.pk


SAMPLERS = {
    "duties_school": school_sampler,
    "duties_staff": staff_sampler,
    "duties_letter": letter_sampler,
    "duties_commitment": commitment_sampler,
}
