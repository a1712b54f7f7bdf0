"""Reads of the hazards engine. Every list, page, file, export and API answer starts from
`visible_hazards`: the school's tree (roles that watch inspections), the grants (the joint
inspection's agency, the inspector who found it) and the people the hazard names."""

from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from anwen.forms import is_id
from anwen.orgs.models import Org
from anwen.orgs.scope import (
    full_scope_paths,
    grantee_q,
    paths_q,
    paths_with,
    perm_or_granted_q,
    scope_paths,
    within_q,
)
from anwen.workflow.grants import grants

from .lifecycle import HAZARD, responsible_q
from .models import OPEN_STATES, Hazard, HazardState

VIEW_PERMS = ("inspections.view", "inspections.manage", "inspections.lead")


def visible_q(user, *, full: bool = False) -> Q:
    """The hazards the user may see, as one condition with its subqueries (no query of its
    own): the guard of one hazard (its page, its photo), where the hazard's pk narrows it."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = perm_or_granted_q(user, *VIEW_PERMS, grants=grants(HAZARD.code), full=full)
    return q | _named_q(user)


def _named_q(user) -> Q:
    """The hazards a person is named on: responsible while still on the school's staff, the
    reporter while their roles still cover the school. A teacher who moved to another school
    or left keeps no window onto the old school's hazards."""
    return responsible_q(user) | (Q(reported_by=user) & paths_q(full_scope_paths(user), "org"))


# Beyond this many org or hazard ids the list form asks the database for them in a subquery
# instead of sending them as parameters (a city's bureau: thousands of orgs).
LISTED_IDS_MAX = 10000


def visible_hazards(user, *, full: bool = False) -> QuerySet[Hazard]:
    """The same hazards as `visible_q`, in the form a list, a count or a figure over many of
    them is fast in (issue 8: the filtered list at 100,000 hazards took 500–900 ms).

    `visible_q` is an OR of the tree (a join on the org's path), the grants and the people
    named; across that OR neither database can use an index on the hazard table together with
    the list's filters, so a school officer's list walked every closed hazard of the district.
    Here the halves are resolved first, in small queries: whether the tree holds every org
    (a bureau officer of the only district: no condition at all), else the orgs of the tree
    (a path range on the org table) and the few hazards opened to the user outside it (grants,
    responsible, reporter). What is left is `org_id IN (…)`, with `OR pk IN (…)` only when
    that second list is not empty: a column the hazard table's composite indexes start with,
    beside the list's filters."""
    if not getattr(user, "is_authenticated", False):
        return Hazard.objects.none()
    roots = scope_paths(user) if not full else full_scope_paths(user)
    perm_roots = paths_with(user, *VIEW_PERMS)
    tree = paths_q(roots) & paths_q(perm_roots)
    if _is_top(roots) and _is_top(perm_roots) and not Org.objects.exclude(tree).exists():
        # Every org lies in the tree: every hazard is visible, granted or not.
        return Hazard.objects.all()
    orgs: list[int] | QuerySet = list(Org.objects.filter(tree).values_list("pk", flat=True))
    if len(orgs) > LISTED_IDS_MAX:
        orgs = Org.objects.filter(tree).values("pk")
    # The named ones as lists of ids first (the grants, the user's staff records): an OR of
    # subqueries is one scan of the hazard table on PostgreSQL (100 ms for a centre officer),
    # an OR of lists of ids is one index scan per column.
    granted_rows = grants(HAZARD.code).filter(grantee_q(user))
    granted: list[int] | QuerySet = list(
        granted_rows.values_list("record_id", flat=True)[: LISTED_IDS_MAX + 1]
    )
    if len(granted) > LISTED_IDS_MAX:
        granted = granted_rows.values("record_id")
    named = Q(pk__in=granted) | _named_q(user)
    beyond = list(
        Hazard.objects.filter(named)
        .exclude(org_id__in=orgs)
        .order_by()
        .values_list("pk", flat=True)[: LISTED_IDS_MAX + 1]
    )
    if len(beyond) > LISTED_IDS_MAX:
        # Many (an agency's joint inspections): the named conditions themselves, each a
        # column with its index (pk, responsible, reporter), which the database reads first.
        return Hazard.objects.filter(Q(org_id__in=orgs) | named)
    if beyond:
        return Hazard.objects.filter(Q(org_id__in=orgs) | Q(pk__in=beyond))
    return Hazard.objects.filter(org_id__in=orgs)


def _is_top(paths: list[str]) -> bool:
    """Whether one of `paths` is a root of the org tree (a path of one id, "7/"): only then
    can the tree hold every org."""
    return any(path.count("/") == 1 for path in paths)


def access_hazard(user, pk) -> Hazard:
    """One hazard the user may see, or 404 (missing and forbidden alike)."""
    if not is_id(pk):
        raise Http404
    hazard = (
        Hazard.objects.filter(visible_q(user, full=True))
        .select_related("org", "responsible", "area", "fixed_by", "reported_by")
        .filter(pk=pk)
        .first()
    )
    if hazard is None:
        raise Http404
    return hazard


def hazard_list(
    user,
    *,
    today: date,
    state: str = "",
    grade: str = "",
    category: str = "",
    theme: str = "",
    kind: str = "",
    overdue: bool = False,
    open_only: bool = False,
    org=None,
    centre=None,
) -> QuerySet[Hazard]:
    rows = visible_hazards(user)
    # The school and the centre as org ids in a subquery, not a join on the org: the hazard's
    # org column is where its indexes start.
    if org is not None:
        rows = rows.filter(org_id__in=Org.objects.filter(within_q(org)).values("pk"))
    if centre is not None:  # the schools a centre runs (or the bureau, the ones it runs itself)
        rows = rows.filter(org_id__in=Org.objects.filter(parent=centre).values("pk"))
    if state:
        rows = rows.filter(state=state)
    if open_only:
        rows = rows.filter(state__in=OPEN_STATES)
    if grade:
        rows = rows.filter(grade=grade)
    if category:
        rows = rows.filter(category=category)
    if theme:
        rows = rows.filter(theme=theme)
    if kind:
        rows = rows.filter(kind=kind)
    if overdue:
        rows = rows.filter(overdue_q(today))
    rows = rows.select_related("org", "responsible")
    if state or open_only or overdue:
        # All open or all closed: the order a composite index ending in the deadline gives.
        return rows.order_by("deadline", "-found_on", "pk")
    # Open hazards first, the most overdue at the top; closed ones after them. Written with
    # its constants in the SQL (no parameters), the very expression of the model's
    # `hazards_open_first_idx`: both databases then read the first page from that index
    # instead of sorting the whole table (the district's unfiltered list, 100,000 rows).
    open_first = RawSQL(OPEN_FIRST_SQL, ())  # noqa: S611 - constants of this module only
    return rows.order_by(open_first.asc(), "deadline", "-found_on", "pk")


OPEN_FIRST_SQL = (
    f"CASE WHEN {Hazard._meta.db_table}.state = '{HazardState.CLOSED}' THEN 1 ELSE 0 END"
)


def overdue_q(today: date) -> Q:
    return Q(state__in=OPEN_STATES, deadline__lt=today)


def theme_figures(user, *, today: date) -> list[dict]:
    """Per campaign theme (SM4.3): the hazards of the user's view, how many are open and how
    many overdue. One query."""
    from django.db.models import Count

    from .models import Theme

    counts = {
        row["theme"]: row
        for row in visible_hazards(user)
        .exclude(theme="")
        .values("theme")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    }
    return [
        {
            "theme": theme.value,
            "label": theme.label,
            "total": counts.get(theme.value, {}).get("total", 0),
            "open": counts.get(theme.value, {}).get("open", 0),
            "overdue": counts.get(theme.value, {}).get("overdue", 0),
        }
        for theme in Theme
    ]
