"""Reads of the fire self-check: where each school in a user's scope stands for a semester."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from anwen import calendar
from anwen.calendar.models import Semester
from anwen.fire.models import STATE_CLASS, CheckStatus, FireSelfCheck
from anwen.fire.rules import FORM_DEADLINE, MISSING_AFTER_DAYS
from anwen.obligations import plans
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import with_perm

# Who watches the schools' self-checks (their safety office, centre and bureau).
WATCH_PERM = "inspections.view"


def semesters_until(today: date, org=None) -> list[Semester]:
    """Semesters (of `org`'s calendar) that have begun, newest first."""
    return calendar.semesters_between(date(2000, 1, 1), today, org=org)[::-1]


def current_semester(today: date, org=None) -> Semester | None:
    """The semester of `today`, or in a vacation the one that ended last."""
    return calendar.semester_of(today, org=org) or next(iter(semesters_until(today, org)), None)


@dataclass(frozen=True)
class FireRule:
    """What the plan in force says for one school's self-check."""

    deadline: calendar.DeadlineRule
    missing_after_days: int


class Rules:
    """The plan's fire rules for each org, read once for a whole list (two queries). `on`:
    the day whose plan applies (a semester's first day; today by default)."""

    def __init__(self, on: date | None = None) -> None:
        self._rules = plans.Rules(on=on or timezone.localdate())

    def of(self, org: Org) -> FireRule:
        return FireRule(
            deadline=self._rules.get(FORM_DEADLINE, org=org),
            missing_after_days=self._rules.get(MISSING_AFTER_DAYS, org=org),
        )


def last_day(semester: Semester, rule: FireRule, org=None) -> date:
    """The last day a semester's check can still be done; after it a semester without a
    submitted check is missing."""
    return calendar.due(semester.end, calendar.DeadlineRule(rule.missing_after_days), org=org)


def status_of(
    check: FireSelfCheck | None, semester: Semester, rule: FireRule, today: date, org=None
) -> str:
    """Where a school's check of `semester` stands on `today`: missing when the cut-off has
    passed without a submitted check, or when the check was submitted only after it."""
    status = check.status if check is not None else CheckStatus.NOT_STARTED
    cut_off = last_day(semester, rule, org)
    if status in (CheckStatus.NOT_STARTED, CheckStatus.IN_PROGRESS) and today > cut_off:
        return CheckStatus.MISSING
    submitted_at = check.inspection.submitted_at if check is not None else None
    if submitted_at is not None and timezone.localtime(submitted_at).date() > cut_off:
        return CheckStatus.MISSING
    return status


@dataclass
class Row:
    school: Org
    check: FireSelfCheck | None
    status: str
    overdue: bool = False  # an awaited form past its due day

    @property
    def state_class(self) -> str:
        return "overdue" if self.overdue else STATE_CLASS[self.status]

    @property
    def label(self) -> StrOrPromise:
        return CheckStatus(self.status).label


def row_for(
    school: Org, check: FireSelfCheck | None, semester: Semester, rule: FireRule, today: date
) -> Row:
    state = status_of(check, semester, rule, today, school)
    return Row(
        school,
        check,
        state,
        overdue=state == CheckStatus.AWAITING_FORM
        and check is not None
        and check.form_overdue(today),
    )


@dataclass
class Overview:
    semester: Semester
    rows: list[Row] = field(default_factory=list)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @cached_property
    def counts(self) -> dict[str, int]:
        # Read by every card of the page: counted once over the (city-sized) list.
        found = {value: 0 for value in CheckStatus.values}
        for row in self.rows:
            found[row.status] = found.get(row.status, 0) + 1
        return found

    @property
    def done_share(self) -> int:
        done = self.count(CheckStatus.ON_TIME) + self.count(CheckStatus.LATE)
        return round(100 * done / len(self.rows)) if self.rows else 0


# A filter of the overview: the checks still to be done (not started or in progress).
OPEN = "open"


def overview(
    user, semester: Semester, *, today: date, status: str | None = None, q: str = ""
) -> Overview:
    """Every school in the user's view that the user watches (WATCH_PERM), with its check of
    `semester` (four queries whatever the number of schools); `q` keeps the schools whose name
    or whose centre's name contains it."""
    found = with_perm(Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True), user, WATCH_PERM)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(parent__name__icontains=q))
    # Only what the list shows and the status needs: the rows are built for the whole city.
    schools = list(
        found.select_related("parent").only("name", "path", "parent__name").order_by("path")
    )
    checks = {
        c.org_id: c
        for c in FireSelfCheck.objects.filter(
            semester=semester, org__in=[s.pk for s in schools]
        ).select_related("inspection", "signed_form", "received_by")
    }
    rules = Rules(on=semester.start)
    result = Overview(semester=semester)
    for school in schools:
        row = row_for(school, checks.get(school.pk), semester, rules.of(school), today)
        if (
            not status
            or row.status == status
            or (status == OPEN and row.status in (CheckStatus.NOT_STARTED, CheckStatus.IN_PROGRESS))
        ):
            result.rows.append(row)
    return result


def checks_of(org: Org) -> QuerySet[FireSelfCheck]:
    return (
        FireSelfCheck.objects.filter(org=org)
        .select_related(
            "semester", "semester__school_year", "inspection", "signed_form", "received_by"
        )
        .order_by("-semester__start")
    )
