"""Reads of the case engine. Every list, page, file, export and API answer starts from
`visible_cases`: the org tree (roles with `cases.view` over the case's org) and the grants (the
handlers by name, the orgs a case was assigned to). Whether a person reads a confidential
case's content is `may_read`: its named handlers only."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from anwen.forms import is_id
from anwen.orgs.models import Org
from anwen.orgs.scope import (
    full_scope_paths,
    grantee_q,
    paths_q,
    paths_with,
    perm_or_granted_q,
    scope_paths,
)
from anwen.workflow.grants import grants
from anwen.workflow.models import Grant, Timer

from .models import Case
from .types import case_types, type_of, workflow_codes
from .who import GRANTS, HANDLER, is_handler


def visible_q(user, *, full: bool = False) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return perm_or_granted_q(user, "cases.view", grants=grants(GRANTS), full=full)


# Beyond this many org or case ids a list asks the database for them in a subquery instead.
LISTED_IDS_MAX = 10000


def visible_cases(user, *, full: bool = False) -> QuerySet[Case]:
    """The cases `visible_q` keeps, in the form a list and a count are fast in: the tree's
    org ids and the granted case ids are read first (two small queries), so what is left is
    `org_id IN (…) OR pk IN (…)` on indexed columns, not an OR of a path join and a subquery
    that makes the database test every case (the issue's 20,000: 95 ms for a count)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    types = list(case_types())
    roots = full_scope_paths(user) if full else scope_paths(user)
    tree = paths_q(roots) & paths_q(paths_with(user, "cases.view"))
    orgs: list[int] | QuerySet = (
        list(Org.objects.filter(tree).values_list("pk", flat=True)[: LISTED_IDS_MAX + 1])
        if roots
        else []
    )
    if len(orgs) > LISTED_IDS_MAX:
        orgs = Org.objects.filter(tree).values("pk")
    granted_rows = grants(GRANTS).filter(grantee_q(user))
    listed = list(granted_rows.values_list("record_id", flat=True)[: LISTED_IDS_MAX + 1])
    if not listed:
        return Case.objects.filter(org_id__in=orgs, type__in=types)
    # Past the limit the ids stay in the database, a subquery of the same statement (never
    # asked for alone: the page then asks as many queries however many grants there are).
    granted: list[int] | QuerySet = (
        granted_rows.values("record_id") if len(listed) > LISTED_IDS_MAX else listed
    )
    return Case.objects.filter(Q(org_id__in=orgs) | Q(pk__in=granted), type__in=types)


def access_case(user, pk) -> Case:
    """One case the user may see, or 404 (missing and forbidden alike)."""
    if not is_id(pk):
        raise Http404
    case = (
        visible_cases(user, full=True)
        .select_related("org", "handling_org", "owner", "first_receiver", "leader")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def may_read(user, case: Case) -> bool:
    """Whether the user reads the case's content and the people in it: anyone who sees a case
    of an open type; a confidential type's named handlers only."""
    return not type_of(case).confidential or is_handler(user, case)


def readable_ids(user, cases) -> set[int]:
    """The ids among `cases` whose content `user` reads (`selectors.may_read`, for a whole
    page at once): every case of an open type, and those the user is a named handler of."""
    cases = list(cases)
    if not getattr(user, "is_authenticated", False):
        return set()
    secret = [c.pk for c in cases if type_of(c).confidential]
    handled: set[int] = set()
    if secret:
        handled = set(
            Grant.objects.filter(
                record_type=GRANTS, record_id__in=secret, user=user, reason=HANDLER
            ).values_list("record_id", flat=True)
        )
    return {c.pk for c in cases if not type_of(c).confidential or c.pk in handled}


def handled_q(user) -> Q:
    """Cases the user is a named handler of."""
    mine = Grant.objects.filter(record_type=GRANTS, user=user, reason=HANDLER)
    return Q(pk__in=mine.values("record_id"))


def readable_q(user) -> Q:
    """Cases whose content the user reads (for search and exports of content)."""
    open_types = [code for code, t in case_types().items() if not t.confidential]
    return Q(type__in=open_types) | handled_q(user)


def _timers(case_ids=None) -> QuerySet[Timer]:
    rows = Timer.objects.filter(record_type__in=workflow_codes())
    return rows if case_ids is None else rows.filter(record_id__in=case_ids)


def overdue_q(now: datetime) -> Q:
    # The late timers' record ids, not an EXISTS per case: the database reads the few running
    # timers past due through their index instead of probing it once for every case.
    late = _timers().filter(
        duty=True,
        stopped_at__isnull=True,
        paused_at__isnull=True,
        due_at__lte=now,
    )
    return Q(pk__in=late.values("record_id"))


def due_soon_q(now: datetime, until: datetime) -> Q:
    soon = _timers().filter(
        duty=True,
        stopped_at__isnull=True,
        paused_at__isnull=True,
        due_at__gt=now,
        due_at__lte=until,
    )
    return Q(pk__in=soon.values("record_id"))


def case_list(
    user,
    *,
    now: datetime | None = None,
    type: str = "",
    state: str = "",
    overdue: bool = False,
    mine: bool = False,
    open_only: bool = False,
    q: str = "",
) -> QuerySet[Case]:
    """The cases of the user's view, filtered. A search looks at numbers everywhere and at
    subjects only where the user reads them, so a search cannot reveal a confidential case's
    subject to someone who may not read it."""
    now = now or timezone.now()
    rows = visible_cases(user)
    if type:
        rows = rows.filter(type=type)
    if state:
        rows = rows.filter(state=state)
    if open_only:
        rows = rows.filter(closed=False)
    if mine:
        rows = rows.filter(handled_q(user))
    if overdue:
        rows = rows.filter(closed=False).filter(overdue_q(now))
    q = " ".join((q or "").split())[:100]
    if q:
        rows = rows.filter(Q(number__icontains=q) | (Q(subject__icontains=q) & readable_q(user)))
    return rows.select_related("org", "handling_org").order_by("closed", "-received_at", "-pk")


@dataclass(frozen=True)
class ClockView:
    name: str
    label: str
    due_on: date
    due_at: datetime
    in_hours: bool
    state: str  # running / held / stopped
    overdue: bool
    days_left: int | None
    on_time: bool | None
    extended_days: int
    duty: bool  # a time limit on the handlers; False: the writer's window

    @property
    def days_over(self) -> int:
        """Whole days past the due date of a running clock (the case page says "逾期 N 天")."""
        return max(-(self.days_left or 0), 0)


def clocks_of(cases: list[Case], *, now: datetime | None = None) -> dict[int, list[ClockView]]:
    """The clocks of a page of cases, in one query: case id → its clocks in declared order."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    by_case: dict[int, list[ClockView]] = {c.pk: [] for c in cases}
    types = {c.pk: type_of(c) for c in cases}
    rows = _timers([c.pk for c in cases])
    for t in rows:
        case_type = types.get(t.record_id)
        if case_type is None or t.record_type != case_type.workflow.code:
            continue
        try:
            clock = case_type.workflow.clock(t.name)
        except StopIteration:
            continue
        state = "stopped" if t.stopped_at else ("held" if t.paused_at else "running")
        by_case[t.record_id].append(
            ClockView(
                name=t.name,
                label=str(clock.label or t.name),
                due_on=t.due_on,
                due_at=t.due_at,
                in_hours=t.in_hours,
                state=state,
                overdue=t.duty and state == "running" and now >= t.due_at,
                days_left=(t.due_on - today).days if state == "running" else None,
                on_time=t.on_time,
                extended_days=t.extended_days,
                duty=t.duty,
            )
        )
    for case_id, views in by_case.items():
        order = [c.name for c in types[case_id].workflow.clocks]
        views.sort(key=lambda v: order.index(v.name) if v.name in order else 99)
    return by_case


def running_clocks(case: Case, *, now: datetime | None = None) -> list[ClockView]:
    return [c for c in clocks_of([case], now=now)[case.pk] if c.state != "stopped"]


@dataclass(frozen=True)
class Repeats:
    """The cases linked to one: those the viewer reads (shown by number) and how many more
    the viewer sees exist but may not read (counted, never numbered: a number
    would lead a clerk who is no handler to the stage and the dates of another confidential
    case)."""

    cases: list[Case]
    hidden: int

    def __bool__(self) -> bool:
        return bool(self.cases) or self.hidden > 0


def repeats_of(user, case: Case) -> Repeats:
    """Other cases of the same writer or on the same matter, among those the user reads. Not
    merely sees: a clerk who types a phone number on a new letter would otherwise learn which
    of the confidential petitions they only see that person wrote. Those are counted, never numbered: the
    office must know a letter repeats one (a matter handled is not accepted again)."""
    q = Q(repeat_of=case) | Q(pk=case.repeat_of_id or 0)
    if case.writer_key:
        q |= Q(writer_key=case.writer_key)
    linked = visible_cases(user, full=True).filter(q).exclude(pk=case.pk)
    readable = linked.filter(readable_q(user))
    return Repeats(
        cases=list(readable.order_by("-received_at")[:20]),
        hidden=linked.exclude(pk__in=readable.values("pk")).count(),
    )


def cases_whose_files_open(user) -> QuerySet[Case]:
    """A case's attachments open to those who read its content."""
    return visible_cases(user, full=True).filter(readable_q(user))
