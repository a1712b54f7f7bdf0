"""Reads of the case engine. Every list, page, file, export and API answer starts from
`visible_cases`: the org tree (roles with `cases.view` over the case's org) and the grants (the
handlers by name, the orgs a case was assigned to). Whether a person reads a confidential
case's content is `may_read`: its named handlers only."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from anwen.forms import is_id
from anwen.orgs.scope import perm_or_granted_q
from anwen.workflow.grants import grants
from anwen.workflow.models import Grant, Timer

from .models import Case
from .types import case_types, type_of, workflow_codes
from .who import GRANTS, HANDLER, is_handler


def visible_q(user, *, full: bool = False) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return perm_or_granted_q(user, "cases.view", grants=grants(GRANTS), full=full)


def visible_cases(user, *, full: bool = False) -> QuerySet[Case]:
    return Case.objects.filter(visible_q(user, full=full), type__in=list(case_types()))


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
    late = _timers().filter(
        record_id=OuterRef("pk"),
        duty=True,
        stopped_at__isnull=True,
        paused_at__isnull=True,
        due_at__lte=now,
    )
    return Q(Exists(late))


def due_soon_q(now: datetime, until: datetime) -> Q:
    soon = _timers().filter(
        record_id=OuterRef("pk"),
        duty=True,
        stopped_at__isnull=True,
        paused_at__isnull=True,
        due_at__gt=now,
        due_at__lte=until,
    )
    return Q(Exists(soon))


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


def repeats_of(user, case: Case) -> list[Case]:
    """Other cases of the same writer or on the same matter, among those the user sees."""
    q = Q(repeat_of=case) | Q(pk=case.repeat_of_id or 0)
    if case.writer_key:
        q |= Q(writer_key=case.writer_key)
    return list(
        visible_cases(user, full=True).filter(q).exclude(pk=case.pk).order_by("-received_at")[:20]
    )


def cases_whose_files_open(user) -> QuerySet[Case]:
    """A case's attachments open to those who read its content."""
    return visible_cases(user, full=True).filter(readable_q(user))
