"""Reads of the battle map (挂图作战, SM4.2): the district board's figures.

Every figure counts the hazards of `selectors.visible_hazards` — exactly what the hazard list
shows the same user — so each number links to the list filtered to those hazards and the list
shows that many. One grouped aggregate per breakdown (grade, category, theme, centre) plus one
query for the centres: a constant number of queries however many schools and hazards there are.

The board is for the people who watch many schools: a role that sees hazards held at a bureau
or a centre. A school's own people have its hazard list and the school map instead."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import full_scope_paths, paths_with, scoped

from .models import OPEN_STATES, Category, Grade, Theme
from .selectors import VIEW_PERMS, overdue_q, visible_hazards

_BOARD = "_anwen_hazard_board"
RUNNERS = (OrgKind.BUREAU, OrgKind.CENTRE)  # the orgs that run schools


def may_see_board(user) -> bool:
    """Whether one of the user's roles sees hazards from a bureau or a centre (cached on the
    user for the request: the navigation asks on every page)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _BOARD, None)
    if cached is None:
        paths = paths_with(user, *VIEW_PERMS)
        cached = bool(paths) and (
            Org.objects.filter(path__in=paths, kind__in=RUNNERS, is_active=True).exists()
        )
        setattr(user, _BOARD, cached)
    return cached


def hidden_from(user) -> bool:
    """For the navigation: the entry is for those who may see the board."""
    return not may_see_board(user)


def centres(user) -> QuerySet[Org]:
    """The centres (and bureaus) whose schools the hazard list may be narrowed to: those in the
    user's whole scope, so a board row stays a valid link when the top bar narrows the view."""
    return scoped(Org.objects.filter(kind__in=RUNNERS, is_active=True), user, full=True).order_by(
        "path"
    )


def list_url(**filters) -> str:
    """The hazard list filtered by `filters` (the list view's parameter names)."""
    kept = {k: v for k, v in filters.items() if v not in ("", None, False)}
    return reverse("hazards:index") + (f"?{urlencode(kept)}" if kept else "")


@dataclass
class Row:
    label: StrOrPromise
    open: int = 0
    overdue: int = 0
    filters: dict = field(default_factory=dict)  # the list's filters that show this row
    linked: bool = True

    @property
    def open_url(self) -> str:
        return list_url(**self.filters, open="on") if self.linked else ""

    @property
    def overdue_url(self) -> str:
        return list_url(**self.filters, overdue="on") if self.linked else ""


@dataclass
class Board:
    today: date
    total: Row
    major: Row
    grades: list[Row]
    centres: list[Row]
    categories: list[Row]
    themes: list[Row]


def _worst_first(rows: list[Row]) -> list[Row]:
    """Overdue first: the rows with the most overdue hazards at the top, then the most open;
    sorted() keeps the given order among equals."""
    return sorted(rows, key=lambda r: (-r.overdue, -r.open))


def _grouped(open_rows, by: str, today: date) -> dict:
    return {
        row[by]: row
        for row in open_rows.values(by).annotate(
            open=Count("pk"), overdue=Count("pk", filter=overdue_q(today))
        )
    }


def board(user, *, today: date) -> Board:
    open_rows = visible_hazards(user).filter(state__in=OPEN_STATES).order_by()

    by_grade = _grouped(open_rows, "grade", today)
    grades = [
        Row(
            grade.label,
            by_grade.get(grade.value, {}).get("open", 0),
            by_grade.get(grade.value, {}).get("overdue", 0),
            {"grade": grade.value},
        )
        for grade in (Grade.MAJOR, Grade.GENERAL)  # the grave first, whatever the figures
    ]
    total = Row(
        _("All open hazards"), sum(r.open for r in grades), sum(r.overdue for r in grades), {}
    )

    by_category = _grouped(open_rows, "category", today)
    categories = _worst_first(
        [
            Row(
                category.label,
                by_category.get(category.value, {}).get("open", 0),
                by_category.get(category.value, {}).get("overdue", 0),
                {"category": category.value},
            )
            for category in Category
        ]
    )

    by_theme = _grouped(open_rows.exclude(theme=""), "theme", today)
    themes = _worst_first(
        [
            Row(
                theme.label,
                by_theme.get(theme.value, {}).get("open", 0),
                by_theme.get(theme.value, {}).get("overdue", 0),
                {"theme": theme.value},
            )
            for theme in Theme
        ]
    )

    return Board(
        today=today,
        total=total,
        major=grades[0],
        grades=grades,
        centres=_centre_rows(user, open_rows, today),
        categories=categories,
        themes=themes,
    )


def _centre_rows(user, open_rows, today: date) -> list[Row]:
    """A row per centre in view (none open: a zero, good news worth showing), and one for a
    bureau's own schools when they have open hazards. A school's runner is its parent."""
    counts = {
        row["org__parent"]: row
        for row in open_rows.values(
            "org__parent", "org__parent__name", "org__parent__kind", "org__parent__path"
        ).annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    }
    roots = full_scope_paths(user)
    rows: list[Row] = []
    shown: set[int] = set()
    in_view = scoped(Org.objects.filter(kind=OrgKind.CENTRE, is_active=True), user)
    for centre in in_view.order_by("path").values("pk", "name"):
        got = counts.get(centre["pk"], {})
        rows.append(
            Row(centre["name"], got.get("open", 0), got.get("overdue", 0), {"centre": centre["pk"]})
        )
        shown.add(centre["pk"])
    for pk, got in counts.items():
        if pk in shown or pk is None:
            continue
        label = got["org__parent__name"]
        if got["org__parent__kind"] == OrgKind.BUREAU:
            label = _("%(bureau)s (schools it runs)") % {"bureau": label}
        # A parent outside the user's scope (a hazard granted from elsewhere) is no filter
        # the list accepts: its figures stand without a link rather than link to a wrong list.
        linked = got["org__parent__kind"] in RUNNERS and any(
            (got["org__parent__path"] or "").startswith(root) for root in roots
        )
        rows.append(Row(label, got["open"], got["overdue"], {"centre": pk}, linked=linked))
    return _worst_first(rows)
