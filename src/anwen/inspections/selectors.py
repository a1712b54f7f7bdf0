"""Reads of the inspections app. Every list starts from what the user may see (access.py)."""

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from anwen.inspections.access import inspection_q
from anwen.inspections.models import (
    Accountability,
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Finding,
    GridArea,
    Inspection,
    Purpose,
    Result,
)
from anwen.orgs.models import Org, OrgKind, Person
from anwen.orgs.scope import (
    ancestor_ids,
    paths_q,
    paths_with,
    person_of,
    scope_q,
    scoped,
    with_perm,
    within_q,
)

# What a row of the list shows besides the inspection itself.
LIST_RELATED = ("org", "lead_org", "area", "version__template")


def inspection_list(
    *,
    user,
    purpose: str = "",
    level: str = "",
    org: Org | None = None,
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(inspection_q(user))
    if purpose:
        qs = qs.filter(purpose=purpose)
    if level:
        qs = qs.filter(level=level)
    if org is not None:
        qs = qs.filter(within_q(org, "org"))
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(inspected_on__gte=date_from)
    if date_to:
        qs = qs.filter(inspected_on__lte=date_to)
    return qs.select_related(*LIST_RELATED).order_by("-inspected_on", "-pk")


def with_finding_counts(inspections) -> list[Inspection]:
    """Give each inspection of a page (or an export) `finding_count`, in one query: counting
    in the list query itself would group the whole history before paginating.

    A page (a sliced queryset) is read in two steps: first the page's ids, from the filter and
    the order alone, then those rows with their related objects. In one query the database
    joins the school, the lead org, the checklist and the grid area to every inspection of the
    scope before it sorts and keeps 50: for a bureau (75,000 inspections of the demo) that
    was 190 ms; the ids come from the (org, date) index alone in a few."""
    if isinstance(inspections, QuerySet):
        ids = list(inspections.values_list("pk", flat=True))
        found = Inspection.objects.filter(pk__in=ids).select_related(*LIST_RELATED).in_bulk()
        rows: list[Any] = [found[pk] for pk in ids if pk in found]  # gains `finding_count`
    else:
        rows = list(inspections)
    counts = dict(
        Finding.objects.filter(inspection__in=[i.pk for i in rows])
        .values_list("inspection_id")
        .annotate(n=Count("pk"))
    )
    for inspection in rows:
        inspection.finding_count = counts.get(inspection.pk, 0)
    return rows


def finding_list(
    *,
    user,
    level: str = "",
    org: Org | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Finding]:
    visible = Inspection.objects.filter(inspection_q(user)).values("pk")
    qs = Finding.objects.filter(inspection__in=visible)
    if level:
        qs = qs.filter(level=level)
    if org is not None:
        qs = qs.filter(within_q(org, "org"))
    if date_from:
        qs = qs.filter(inspection__inspected_on__gte=date_from)
    if date_to:
        qs = qs.filter(inspection__inspected_on__lte=date_to)
    return qs.select_related("org", "inspection__lead_org").order_by(
        "-inspection__inspected_on", "-pk"
    )


def filter_schools(user) -> QuerySet[Org]:
    """The schools a list may be narrowed to: those the user sees inspections of."""
    return _schools(user, "inspections.view", "inspections.do")


def _schools(user, *perms: str) -> QuerySet[Org]:
    """The active schools in the user's (narrowed) view where a role grants one of `perms`."""
    schools = Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
    return with_perm(schools, user, *perms).order_by("path")


# --- the checklist screen ----------------------------------------------------------------------


@dataclass
class Row:
    item: ChecklistItem
    answer: Answer | None = None
    error: str = ""
    # What the user sent, shown again when the screen is refused (it keeps what they typed).
    posted: tuple[str, str] | None = None

    @property
    def result(self) -> str:
        if self.posted and self.posted[0]:
            return self.posted[0]
        return self.answer.result if self.answer else ""

    @property
    def note(self) -> str:
        if self.posted and self.posted[1]:
            return self.posted[1]
        return self.answer.note if self.answer else ""

    @property
    def photos(self) -> list:
        return list(self.answer.photos.all()) if self.answer else []

    @property
    def failed(self) -> bool:
        return self.result == Result.FAIL


@dataclass
class Group:
    category: str
    rows: list[Row] = field(default_factory=list)


def checklist_groups(
    version: ChecklistVersion,
    inspection: Inspection | None = None,
    errors: dict[int, str] | None = None,
    posted=None,
) -> list[Group]:
    """The items of the version grouped by category (in list order), each with its answer
    (and what the user sent, `posted`: a QueryDict of the screen, when it was refused)."""
    errors = errors or {}
    answers = {}
    if inspection is not None and inspection.pk:
        answers = {a.item_id: a for a in inspection.answers.prefetch_related("photos")}
    groups: OrderedDict[str, Group] = OrderedDict()
    for item in version.items.order_by("sort_order", "pk"):
        group = groups.setdefault(item.category, Group(item.category))
        sent = None
        if posted is not None:
            sent = (posted.get(f"r{item.pk}", ""), posted.get(f"n{item.pk}", "").strip())
        group.rows.append(Row(item, answers.get(item.pk), errors.get(item.pk, ""), sent))
    return list(groups.values())


def answer_counts(inspection: Inspection) -> dict[str, int]:
    counts = dict(inspection.answers.values_list("result").annotate(n=Count("pk")))
    total = inspection.version.items.count()
    answered = sum(counts.values())
    return {
        "total": total,
        "answered": answered,
        "pass": counts.get(Result.PASS, 0),
        "fail": counts.get(Result.FAIL, 0),
        "na": counts.get(Result.NA, 0),
    }


# --- grid areas --------------------------------------------------------------------------------


def my_areas(user, *, today: date) -> list[GridArea]:
    """The active areas the user owns, each with `today_check` (today's inspection or None)."""
    person = person_of(user)
    if person is None:
        return []
    areas = list(
        GridArea.objects.filter(owner=person, is_active=True)
        .select_related("org", "checklist")
        .prefetch_related(
            Prefetch(
                "inspections",
                to_attr="today_checks",
                queryset=Inspection.objects.filter(inspected_on=today, purpose=Purpose.AREA_DAILY),
            )
        )
        .order_by("org__path", "sort_order", "name")
    )
    # A display attribute (not a field); the list holds GridAreas with the prefetched
    # `today_checks`, a subtype the invariant list[GridArea] does not admit.
    for area in areas:
        area.today_check = area.today_checks[0] if area.today_checks else None  # type: ignore[attr-defined]
    return areas  # type: ignore[return-value]


def school_areas(org: Org, *, today: date) -> list[GridArea]:
    areas = list(
        GridArea.objects.filter(org=org)
        .select_related("owner", "checklist")
        .prefetch_related(
            Prefetch(
                "inspections",
                to_attr="today_checks",
                queryset=Inspection.objects.filter(inspected_on=today, purpose=Purpose.AREA_DAILY),
            )
        )
        .order_by("-is_active", "sort_order", "name")
    )
    # A display attribute (not a field); the list holds GridAreas with the prefetched
    # `today_checks`, a subtype the invariant list[GridArea] does not admit.
    for area in areas:
        area.today_check = area.today_checks[0] if area.today_checks else None  # type: ignore[attr-defined]
    return areas  # type: ignore[return-value]


def area_checklists(org: Org) -> QuerySet[ChecklistTemplate]:
    """The daily area checklists a school may give its areas: its own and its bureau's."""
    return (
        ChecklistTemplate.objects.filter(
            owner_id__in=ancestor_ids(org),
            purpose=Purpose.AREA_DAILY,
            is_active=True,
            versions__published_at__isnull=False,
        )
        .distinct()
        .order_by("-owner__depth", "name")
    )


def school_staff(org: Org) -> QuerySet[Person]:
    return Person.objects.filter(org=org, is_active=True).order_by("name")


def managed_schools(user) -> QuerySet[Org]:
    """Schools whose grid areas and self-checks the user runs (inspections.manage)."""
    return _schools(user, "inspections.manage")


def self_check_schools(user) -> QuerySet[Org]:
    """Schools whose own checks the user runs: a role granting `inspections.manage` held at
    the school itself (its principal, its safety officer), not one inherited from above."""
    schools = Org.objects.filter(
        kind=OrgKind.SCHOOL, is_active=True, path__in=paths_with(user, "inspections.manage")
    )
    return scoped(schools, user).order_by("path")


# Schools whose grid areas the user may open: those the user watches or manages; checking an
# area of one's own as a member of staff (inspections.do) shows no school's list of areas.
AREA_PERMS = ("inspections.view", "inspections.manage")


def area_schools(user) -> QuerySet[Org]:
    return _schools(user, *AREA_PERMS)


def led_schools(user) -> QuerySet[Org]:
    """Schools the user may inspect from above (inspections.lead)."""
    return _schools(user, "inspections.lead")


def agencies_for(user) -> QuerySet[Org]:
    """Agencies a bureau may invite to a joint inspection: those under the bureaus where the
    user leads inspections, or above the centres where they do (a centre's monthly
    school-bus inspection invites the district's police and transport)."""
    led = paths_with(user, "inspections.lead")
    above_centres = {
        int(part)
        for path in Org.objects.filter(path__in=list(led), kind=OrgKind.CENTRE).values_list(
            "path", flat=True
        )
        for part in path.split("/")
        if part
    }
    bureaus = Org.objects.filter(
        paths_q(led) | Q(pk__in=above_centres), kind=OrgKind.BUREAU
    ).values_list("path", flat=True)
    return Org.objects.filter(paths_q(list(bureaus)), kind=OrgKind.AGENCY, is_active=True).order_by(
        "path"
    )


def home_people(user) -> QuerySet[Person]:
    """Who may take part in an inspection the user runs: the staff of the orgs where the user
    holds a role (the school's own staff; the centre's or the bureau's officers), of their
    departments (the bureau's safety office runs its joint inspections), and the user's own
    person record wherever it sits."""
    from anwen.orgs.models import OrgKind, RoleAssignment
    from anwen.orgs.scope import person_of

    orgs = RoleAssignment.objects.filter(user=user, org__is_active=True).values("org_id")
    wanted = Q(org_id__in=orgs) | Q(
        org__parent_id__in=orgs, org__kind=OrgKind.DEPARTMENT, org__is_active=True
    )
    me = person_of(user)
    if me is not None:
        wanted |= Q(pk=me.pk)
    return (
        Person.objects.filter(wanted, is_active=True)
        .select_related("org")
        .order_by("org__path", "name")
    )


# --- checklists --------------------------------------------------------------------------------


def template_list(user) -> QuerySet[ChecklistTemplate]:
    """Checklists the user may see: those of orgs in scope and of the orgs above them (the
    bureau's standard lists a school uses)."""
    from anwen.orgs.scope import full_scope_paths

    above = {int(pk) for path in full_scope_paths(user) for pk in path.split("/") if pk}
    return (
        ChecklistTemplate.objects.filter(scope_q(user, "owner") | Q(owner_id__in=above))
        .select_related("owner")
        .annotate(version_count=Count("versions"))
        .order_by("owner__path", "purpose", "name")
    )


def template_versions(template: ChecklistTemplate) -> list[ChecklistVersion]:
    return list(
        template.versions.annotate(
            item_count=Count("items", distinct=True), used=Count("inspections", distinct=True)
        ).order_by("-number")
    )


# --- commendations and accountability ----------------------------------------------------------


def accountability_list(*, user, org: Org | None = None, kind: str = "") -> QuerySet:
    qs = with_perm(Accountability.objects.all(), user, "inspections.view")
    if org is not None:
        qs = qs.filter(within_q(org, "org"))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("org", "issuer", "inspection", "issued_by")


__all__ = [
    "Group",
    "Row",
    "accountability_list",
    "agencies_for",
    "answer_counts",
    "area_checklists",
    "area_schools",
    "checklist_groups",
    "filter_schools",
    "finding_list",
    "home_people",
    "inspection_list",
    "led_schools",
    "managed_schools",
    "my_areas",
    "school_areas",
    "school_staff",
    "template_list",
    "template_versions",
]


# --- the inspector picker ----------------------------------------------------------------------


def _first_post(person: Person):
    """The person's first post in the library's order, or None."""
    return min(person.positions.all(), key=lambda p: (p.sort_order, p.code), default=None)


def inspector_choices(people: QuerySet[Person]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The choices of the inspector picker, grouped by post (a person's first post in the
    library's order), under their org's name when the people come from several orgs (a
    bureau's and a department's staff). Two people of the same name are told apart by their
    post, two of the same name and post by their staff number (never by a phone number)."""
    rows = []
    for person in people.select_related("org").prefetch_related("positions"):
        first = _first_post(person)
        post = first.name if first else _("Other staff")
        order = first.sort_order if first else 1_000_000
        rows.append((person, post, order))
    several_orgs = len({person.org_id for person, _post, _order in rows}) > 1
    names = Counter(person.name for person, _post, _order in rows)
    names_posts = Counter((person.name, post) for person, post, _order in rows)
    groups: OrderedDict[str, list[tuple[int, str]]] = OrderedDict()
    seen: Counter[tuple[str, str]] = Counter()
    for person, post, _order in sorted(rows, key=lambda r: (r[0].org.path, r[2], r[1], r[0].name)):
        label = person.name
        if names_posts[(person.name, post)] > 1:
            # Told apart by the staff number, never by contact data: everyone who may start an
            # inspection sees this list. Without a number, by their order in the list.
            if person.staff_no:
                label = _("%(name)s (%(post)s, staff no. %(number)s)") % {
                    "name": person.name,
                    "post": post,
                    "number": person.staff_no,
                }
            else:
                seen[(person.name, post)] += 1
                label = _("%(name)s (%(post)s, no. %(n)s)") % {
                    "name": person.name,
                    "post": post,
                    "n": seen[(person.name, post)],
                }
        elif names[person.name] > 1:
            label = _("%(name)s (%(post)s)") % {"name": person.name, "post": post}
        group = f"{person.org.name} · {post}" if several_orgs else post
        groups.setdefault(group, []).append((person.pk, label))
    return list(groups.items())
