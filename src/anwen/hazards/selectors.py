"""Reads of the hazards engine. Every list, page, file, export and API answer starts from
`visible_hazards`: the school's tree (roles that watch inspections), the grants (the joint
inspection's agency, the inspector who found it) and the people the hazard names."""

from datetime import date

from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404

from anwen.forms import is_id
from anwen.orgs.scope import perm_or_granted_q, within_q
from anwen.workflow.grants import grants

from .lifecycle import HAZARD
from .models import OPEN_STATES, Hazard

VIEW_PERMS = ("inspections.view", "inspections.manage", "inspections.lead")


def visible_q(user, *, full: bool = False) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = perm_or_granted_q(user, *VIEW_PERMS, grants=grants(HAZARD.code), full=full)
    return q | Q(responsible__user=user) | Q(reported_by=user)


def visible_hazards(user, *, full: bool = False) -> QuerySet[Hazard]:
    return Hazard.objects.filter(visible_q(user, full=full))


def access_hazard(user, pk) -> Hazard:
    """One hazard the user may see, or 404 (missing and forbidden alike)."""
    if not is_id(pk):
        raise Http404
    hazard = (
        visible_hazards(user, full=True)
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
    if org is not None:
        rows = rows.filter(within_q(org, "org"))
    if centre is not None:  # the schools a centre runs (or the bureau, the ones it runs itself)
        rows = rows.filter(org__parent=centre)
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
    # Open hazards first, the most overdue at the top; closed ones after them.
    still_open = Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1))
    return rows.select_related("org", "responsible").order_by(
        still_open, "deadline", "-found_on", "pk"
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
