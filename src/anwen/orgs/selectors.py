"""Reads of the org tree. Every function starts from the user's scope; the number of queries
does not depend on the number of schools."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from anwen.orgs.models import Org, OrgKind, Person, Position, SchoolProfile, SchoolType
from anwen.orgs.scope import scope_paths, scoped, within_q


@dataclass
class UnitRow:
    org: Org
    schools: int = 0
    enrolment: int = 0
    people: int = 0


@dataclass
class Overview:
    roots: list[Org]
    level: str  # the kind of the highest org in scope
    schools: int = 0
    enrolment: int = 0
    boarding_schools: int = 0
    people: int = 0
    centres: int = 0
    by_type: list[tuple[str, StrOrPromise, int, int]] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    positions: list[tuple[str, int]] = field(default_factory=list)


_LEVEL_RANK: list[str] = [
    OrgKind.BUREAU,
    OrgKind.CENTRE,
    OrgKind.DEPARTMENT,
    OrgKind.AGENCY,
    OrgKind.SCHOOL,
]


def overview(user) -> Overview:
    roots = list(Org.objects.filter(path__in=scope_paths(user), is_active=True))
    if not roots:
        return Overview(roots=[], level="")
    level = min((r.kind for r in roots), key=_LEVEL_RANK.index)
    ov = Overview(roots=roots, level=level)

    schools = SchoolProfile.objects.filter(
        org__in=scoped(Org.objects.filter(is_active=True), user).values("pk")
    )
    totals = schools.aggregate(
        n=Count("pk"), enrolment=Sum("enrolment"), boarding=Count("pk", filter=Q(boarding=True))
    )
    ov.schools = totals["n"]
    ov.enrolment = totals["enrolment"] or 0
    ov.boarding_schools = totals["boarding"]
    people = _people_in_scope(user)
    ov.centres = scoped(Org.objects.filter(kind=OrgKind.CENTRE, is_active=True), user).count()

    labels = dict(SchoolType.choices)
    by_type = {
        row["school_type"]: row
        for row in schools.values("school_type").annotate(n=Count("pk"), e=Sum("enrolment"))
    }
    ov.by_type = [
        (code, labels[code], by_type[code]["n"], by_type[code]["e"] or 0)
        for code in SchoolType.values
        if code in by_type
    ]

    if level == OrgKind.SCHOOL:
        ov.people = people.count()
        ov.positions = list(
            people.filter(positions__isnull=False)
            .values_list("positions__name")
            .annotate(n=Count("pk"))
            .order_by("positions__sort_order")
        )
        return ov

    # One row per org directly below the scope roots (centres, directly run schools,
    # departments), with totals of its subtree: counted by the unit each school or person
    # hangs under, so three queries whatever the size of the district.
    units = list(
        Org.objects.filter(parent__in=roots, is_active=True)
        .exclude(kind=OrgKind.AGENCY)
        .order_by("kind", "sort_order", "name")
    )
    rows = {u.path: UnitRow(org=u) for u in units}
    root_depths = {r.path: r.depth for r in roots}

    def unit_of(path: str) -> UnitRow | None:
        parts = path.split("/")
        for root_path, depth in root_depths.items():
            if path.startswith(root_path):
                return rows.get("/".join(parts[: depth + 2]) + "/")
        return None

    for path, n, e in schools.values_list("org__path").annotate(n=Count("pk"), e=Sum("enrolment")):
        if row := unit_of(path):
            row.schools += n
            row.enrolment += e or 0
    # People are counted per org id, without a join to the org table (a join by path reads
    # every person of the city in path order); the ids are mapped to paths from the org tree.
    paths = dict(scoped(Org.objects.all(), user).values_list("pk", "path"))
    for org_id, n in people.values_list("org_id").annotate(n=Count("pk")).order_by():
        ov.people += n
        if row := unit_of(paths[org_id]):
            row.people += n
    order: dict[str, int] = {OrgKind.CENTRE: 0, OrgKind.SCHOOL: 1, OrgKind.DEPARTMENT: 2}
    ov.units = sorted(
        rows.values(), key=lambda r: (order.get(r.org.kind, 3), r.org.sort_order, r.org.name)
    )
    return ov


def school_list(
    user,
    *,
    kind: str | None = None,
    school_type: str | None = None,
    under: Org | None = None,
    q: str = "",
) -> QuerySet[Org]:
    qs = scoped(
        Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True, school__isnull=False), user
    ).select_related("school", "parent")
    if under is not None:
        qs = qs.filter(within_q(under))
    if school_type:
        qs = qs.filter(school__school_type=school_type)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("path")


def _people_in_scope(user) -> QuerySet[Person]:
    """The active people of the user's scope, reached from the scope's orgs: a school's few
    hundred people by the index on their org, not by a scan of every person of the city joined
    to a path (SQLite cannot use an index for the path's LIKE, so a join from Person reads all
    of them: a school's home grew with the district)."""
    return Person.objects.filter(
        is_active=True, org__in=scoped(Org.objects.all(), user).values("pk")
    )


def people_list(user, *, org: Org | None = None, q: str = "") -> QuerySet[Person]:
    qs = _people_in_scope(user).select_related("org")
    if org is not None:
        qs = qs.filter(within_q(org, "org"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(staff_no__icontains=q))
    return qs.prefetch_related("positions").order_by("org__path", "name")


def position_list() -> QuerySet[Position]:
    """The position library in its order (the same for every org: a standard list)."""
    return Position.objects.order_by("sort_order", "code")


class NoSuchBureau(LookupError):
    pass


def the_bureau(code: str | None = None) -> Org:
    """The active bureau with this org code, or the only one when no code is given (commands
    that set up one bureau)."""
    bureaus = Org.objects.filter(kind=OrgKind.BUREAU, is_active=True)
    if code:
        bureau = bureaus.filter(code=code).first()
        if bureau is None:
            raise NoSuchBureau(_("No bureau with code %(code)s.") % {"code": code})
        return bureau
    found = list(bureaus[:2])
    if len(found) != 1:
        raise NoSuchBureau(_("Name the bureau with --bureau CODE."))
    return found[0]
