"""The hazards layer of the school map (挂图作战, SM4.2): each school by its worst open hazard.

Registered with `anwen.maps.marks` in HazardsConfig.ready(). Levels keep the national risk
colours and use each step for one plain meaning:

    4 red      a major hazard (重大隐患) is open — overdue or not, nothing is graver
    3 orange   a general hazard is past its deadline
    2 yellow   general hazards are open, on time
    1 blue     the open hazards are all fixed and wait for verification (待验收)
    0 green    no open hazard

Overdue raises a general hazard one step (to 3, orange: UI.md's "overdue" red is kept for
the major ones, so red on the map always means 重大). Each point's label says the counts in
words ("重大隐患 1 项，逾期 2 项") so colour is never alone, and its link opens the school's
hazard list. One query for all schools."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django_stubs_ext import StrOrPromise

from anwen.maps.marks import Mark
from anwen.orgs.models import Org

from .board import list_url
from .models import OPEN_STATES, Grade, HazardState
from .selectors import overdue_q, visible_hazards

LABEL = gettext_lazy("Worst open hazard")
LEGEND: dict[int, StrOrPromise] = {
    0: gettext_lazy("No open hazard"),
    1: gettext_lazy("Fixed, awaiting verification"),
    2: gettext_lazy("General hazard open"),
    3: gettext_lazy("General hazard overdue"),
    4: gettext_lazy("Major hazard open"),
}


def level(*, open: int, major: int, overdue: int, submitted: int) -> int:
    if major:
        return 4
    if overdue:
        return 3
    if open > submitted:
        return 2
    return 1 if open else 0


def label(*, open: int, major: int, overdue: int, submitted: int) -> str:
    if not open:
        return str(LEGEND[0])
    parts = []
    if major:
        parts.append(ngettext("%(n)s major hazard", "%(n)s major hazards", major) % {"n": major})
    general = open - major
    if general:
        parts.append(
            ngettext("%(n)s general hazard", "%(n)s general hazards", general) % {"n": general}
        )
    if overdue:
        parts.append(ngettext("%(n)s overdue", "%(n)s overdue", overdue) % {"n": overdue})
    if submitted:
        parts.append(_("%(n)s awaiting verification") % {"n": submitted})
    return pgettext("list separator", ", ").join(parts)


def worst_open_hazard(user, org: Org | None, schools: list[Org]) -> dict[int, Mark]:
    """A mark for every school of `schools` (the map has scoped them to its user), counting
    only the hazards `user` may see: the map tells nobody more than the hazard list would."""
    today = timezone.localdate()
    counts = {
        row["org"]: row
        for row in visible_hazards(user)
        .filter(org__in=[s.pk for s in schools], state__in=OPEN_STATES)
        .order_by()
        .values("org")
        .annotate(
            open=Count("pk"),
            major=Count("pk", filter=Q(grade=Grade.MAJOR)),
            overdue=Count("pk", filter=overdue_q(today)),
            submitted=Count("pk", filter=Q(state=HazardState.SUBMITTED)),
        )
    }
    marks = {}
    for school in schools:
        got = counts.get(school.pk, {})
        figures = {k: got.get(k, 0) for k in ("open", "major", "overdue", "submitted")}
        marks[school.pk] = Mark(
            level=level(**figures),
            label=label(**figures),
            link=list_url(school=school.pk, open="on" if figures["open"] else ""),
        )
    return marks
