"""Years of cases for a benchmark: `bench_cases.py` and the load scenario (`load/run.sh`) write
them into a district that is already there, with bulk_create (history, not acts: the case
services take a lock, an event, an audit row and notices per step — far too slow for 20,000).

What is written is what the engine would have left after each case's life (see
`anwen.cases.demo._live` for the lives, `anwen.workflow.timers` for the clocks):

- petitions (信访件) received by the bureau: most registered by its petitions clerk (the first
  receiver, a named handler), some from the public write-in page (no first receiver); assigned
  to a person in a department, centre or school (owner, handling org: a handler grant to the
  person, an "assigned" grant to the org), accepted, replied, some reviewed, archived; a few
  not accepted; a few overdue and still handling; some extended once by 30 days, a few held
  for a hearing now;
- disputes (矛盾纠纷) found at the schools (an open type, one "measures" clock of 3 days).

Each case gets its `workflow.Timer` rows as the engine keeps them (one per clock started:
due_on from the bureau's plan rule counted on the calendar, due_at the next local midnight,
stopped ones with on_time), its handler grants and one "created" event with the clocks'
first due dates in its data, as `engine.start` writes it.

`main(count)` adds them to the database of the settings, as `load/run.sh` does.
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import islice

from django.contrib.auth import get_user_model
from django.utils import timezone

from anwen import calendar
from anwen.cases import disputes, rules
from anwen.cases.demo import REPLIES, SUBJECTS
from anwen.cases.models import Case, Outcome
from anwen.cases.petitions import PETITION, Channel
from anwen.cases.petitions import State as P
from anwen.cases.steps import HANDLE_ROLES
from anwen.cases.who import GRANTS, HANDLER
from anwen.obligations.plans import rule
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q
from anwen.workflow.models import Event, Grant, Timer

YEARS = 3
BATCH = 1000
DISPUTE_SHARE = 0.1
DISPUTE_SUBJECTS = [
    "邻里纠纷影响学生上学",
    "家校矛盾激化",
    "教师待遇诉求",
    "工程款拖欠",
    "学生家长冲突",
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "小红", "志强", "丽娟", "海涛", "春梅", "文军", "晓燕", "国平"]


def _tz():
    return timezone.get_current_timezone()


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours on `day`."""
    return datetime.combine(
        day, time(rng.randint(8, 16), rng.choice([0, 10, 20, 30, 40, 50])), tzinfo=_tz()
    )


class Dues:
    """The last days the bureau's plan and calendar give, counted once per rule and day (the
    clocks' own `due` in `petitions.py`: the rule in force on the starting day, counted by
    `calendar.due` for the org)."""

    def __init__(self, org: Org):
        self.org = org
        self._day = cache(self._count)
        self._extended = cache(self._extend)

    def _count(self, declaration, day: date) -> date:
        return calendar.due(day, rule(declaration, org=self.org, on=day), org=self.org)

    def _extend(self, due_on: date, days: int) -> date:
        counting = rule(rules.EXTEND, org=self.org, on=due_on).counting
        return calendar.due(due_on, calendar.DeadlineRule(days, counting), org=self.org)

    def on(self, declaration, start: datetime) -> date:
        return self._day(declaration, timezone.localtime(start).date())

    def extended(self, due_on: date, days: int) -> date:
        return self._extended(due_on, days)


class Life:
    """One case's rows before they have primary keys: the case, its timers, grants, event."""

    def __init__(self, case: Case):
        self.case = case
        self.timers: list[Timer] = []
        self.grants: list[Grant] = []
        self.created_data: dict = {"due": {}}

    def clock(
        self,
        name: str,
        *,
        started: datetime,
        due_on: date,
        now: datetime,
        duty: bool = True,
        stopped: datetime | None = None,
        paused: datetime | None = None,
        extended_days: int = 0,
    ) -> Timer:
        due_at = calendar.ends_at(due_on)
        stopped = stopped if stopped is not None and stopped < now else None
        timer = Timer(
            record_type=PETITION.workflow.code if self.case.type == "petition" else "",
            name=name,
            started_at=started,
            due_on=due_on,
            due_at=due_at,
            in_hours=False,
            duty=duty,
            paused_at=paused if stopped is None else None,
            extended_days=extended_days,
            stopped_at=stopped,
            on_time=(stopped < due_at) if stopped else None,
        )
        self.timers.append(timer)
        return timer

    def grant(self, *, user_id: int | None = None, org_id: int | None = None, reason: str):
        if any(g.user_id == user_id and g.org_id == org_id for g in self.grants):
            return
        self.grants.append(Grant(record_type=GRANTS, user_id=user_id, org_id=org_id, reason=reason))


def _handlers(bureau: Org) -> list[tuple[int, int]]:
    """(user id, org id) of the people a petition may be handed to (`steps.handler_choices`):
    a handling role in the bureau's tree; the departments' staff most often, as in a bureau."""
    rows = (
        RoleAssignment.objects.filter(
            within_q(bureau, "org"),
            role__in=HANDLE_ROLES,
            org__is_active=True,
            user__is_active=True,
        )
        .order_by("org__path", "user_id")
        .values_list("user_id", "org_id", "role")
    )
    seen: dict[int, tuple[int, int]] = {}
    weighted = []
    for user_id, org_id, role in rows:
        if user_id in seen:
            continue
        seen[user_id] = (user_id, org_id)
        weighted += [(user_id, org_id)] * (4 if role == RoleName.DEPARTMENT_STAFF else 1)
    return weighted


def _users(bureau: Org, role: str) -> list[int]:
    return list(
        RoleAssignment.objects.filter(within_q(bureau, "org"), role=role, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _petition(n: int, *, rng, today: date, now: datetime, bureau: Org, dues: Dues, people) -> Life:
    clerks, leaders, handlers = people
    received = today - timedelta(days=rng.randrange(YEARS * 365))
    received_at = _at(received, rng)
    if received_at >= now:
        received_at = now - timedelta(hours=rng.randint(1, 6))
    channel = rng.choices(
        [Channel.LETTER, Channel.VISIT, Channel.PHONE, Channel.ONLINE, Channel.PLATFORM],
        weights=[30, 20, 25, 15, 10],
    )[0]
    # The public write-in page has no person receiving it: no first receiver, no grant.
    clerk = None if channel == Channel.ONLINE else rng.choice(clerks)
    subject, content = rng.choice(SUBJECTS)
    case = Case(
        type=PETITION.code,
        org_id=bureau.pk,
        state=P.RECEIVED,
        channel=channel,
        received_at=received_at,
        subject=subject,
        content=content,
        people={
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "phone": f"13{rng.randrange(10**9):09d}",
        },
        details={"representatives": rng.randint(2, 5)}
        if channel == Channel.VISIT and rng.random() < 0.3
        else {},
        first_receiver_id=clerk,
        owner_id=clerk,
        created_by_id=clerk,
    )
    life = Life(case)
    if clerk:
        life.grant(user_id=clerk, reason=HANDLER)
    accept_due = dues.on(rules.ACCEPT, received_at)
    object_due = dues.on(rules.OBJECT, received_at)
    life.created_data["due"] = {"accept": accept_due.isoformat(), "object": object_due.isoformat()}

    def at_after(moment: datetime, days: float) -> datetime:
        return max(_at((moment + timedelta(days=days)).date(), rng), moment + timedelta(minutes=30))

    def opening(stopped: datetime | None) -> None:
        life.clock("accept", started=received_at, due_on=accept_due, now=now, stopped=stopped)
        life.clock("object", started=received_at, due_on=object_due, now=now, stopped=stopped)

    story = rng.random()
    if story < 0.04:  # not accepted, explained, archived
        decided = at_after(received_at, rng.randint(2, 10))
        opening(decided)
        if decided < now:
            case.state, case.outcome = P.NOT_ACCEPTED, Outcome.BEYOND_POLICY
            case.reply = REPLIES[Outcome.BEYOND_POLICY]
            if at_after(decided, 3) < now:
                case.state = P.ARCHIVED
        case.closed = case.state in PETITION.closed_states
        return life
    assigned = at_after(received_at, rng.uniform(0.1, 2))
    accepted = at_after(assigned, rng.randint(1, 10))
    # A stubborn few stay unaccepted past the 15 days (overdue at acceptance).
    if story > 0.995:
        accepted = now + timedelta(days=1)
    opening(accepted)
    if assigned >= now:
        case.closed = False
        return life
    owner, org = rng.choice(handlers)
    case.state, case.owner_id, case.handling_org_id = P.ASSIGNED, owner, org
    life.grant(user_id=owner, reason=HANDLER)
    life.grant(org_id=org, reason="assigned")
    if accepted >= now:
        return life
    case.state = P.HANDLING
    handle_due = dues.on(rules.HANDLE, accepted)
    extended = 0
    if rng.random() < 0.12:
        case.leader_id = rng.choice(leaders)
        life.grant(user_id=case.leader_id, reason=HANDLER)
    if rng.random() < 0.08 and at_after(accepted, 30) < now:  # the leader extends once
        extended = 30
        handle_due = dues.extended(handle_due, extended)
    replied = at_after(accepted, rng.randint(10, 50))
    held = None
    if rng.random() < 0.05 and replied >= now:  # a hearing holds the clock now
        held = min(now - timedelta(hours=2), at_after(accepted, rng.randint(1, 10)))
    # Left overdue (urged, still being handled): a few, as in the demo's year.
    overdue = story > 0.97 and (now - received_at).days > 75
    life.clock(
        "handle",
        started=accepted,
        due_on=handle_due,
        now=now,
        stopped=None if overdue else replied,
        paused=held,
        extended_days=extended,
    )
    if overdue or replied >= now:
        return life
    outcome = rng.choices(list(Outcome), weights=[55, 35, 10])[0]
    case.state, case.outcome, case.reply = P.REPLIED, outcome, REPLIES[outcome]
    ask_due = dues.on(rules.REVIEW_ASK, replied)
    archived = at_after(replied, rng.randint(31, 40))
    if outcome != Outcome.UPHELD and rng.random() < 0.25:
        requested = at_after(replied, rng.randint(5, 25))
        life.clock(
            "review_ask", started=replied, due_on=ask_due, now=now, duty=False, stopped=requested
        )
        if requested >= now:
            return life
        case.state = P.REVIEWING
        answered = at_after(requested, rng.randint(10, 28))
        life.clock(
            "review",
            started=requested,
            due_on=dues.on(rules.REVIEW, requested),
            now=now,
            stopped=answered,
        )
        if answered >= now:
            return life
        case.state = P.REVIEWED
        archived = at_after(answered, rng.randint(31, 40))
        life.clock(
            "review2_ask",
            started=answered,
            due_on=dues.on(rules.REVIEW_ASK, answered),
            now=now,
            duty=False,
            stopped=archived,
        )
    else:
        life.clock(
            "review_ask", started=replied, due_on=ask_due, now=now, duty=False, stopped=archived
        )
    if archived < now:
        case.state = P.ARCHIVED
    case.closed = case.state in PETITION.closed_states
    return life


def _dispute(n: int, *, rng, today: date, now: datetime, schools, dues: Dues) -> Life:
    org_id, staff = schools[n % len(schools)]
    received_at = _at(today - timedelta(days=rng.randrange(YEARS * 365)), rng)
    if received_at >= now:
        received_at = now - timedelta(hours=rng.randint(1, 6))
    by = rng.choice(staff) if staff else None
    D = disputes.State
    case = Case(
        type=disputes.DISPUTE.code,
        org_id=org_id,
        state=D.FOUND,
        channel=rng.choice(list(disputes.Source)),
        received_at=received_at,
        subject=rng.choice(DISPUTE_SUBJECTS),
        content="排查发现",
        details={"risk": rng.choices(list(disputes.Risk), weights=[1, 4, 10])[0]},
        first_receiver_id=by,
        owner_id=by,
        created_by_id=by,
    )
    life = Life(case)
    if by:
        life.grant(user_id=by, reason=HANDLER)
    due_on = dues.on(disputes.MEASURES_DUE, received_at)
    life.created_data["due"] = {"measures": due_on.isoformat()}
    late = rng.random() < 0.03
    measured = received_at + timedelta(days=rng.randint(4, 9) if late else rng.randint(0, 3))
    life.clock("measures", started=received_at, due_on=due_on, now=now, stopped=measured)
    if measured < now:
        case.state = D.RESOLVING
        case.details["measures"] = [rng.choice(list(disputes.Measure))]
        if measured + timedelta(days=rng.randint(7, 60)) < now:
            case.state = D.RESOLVED
    case.closed = case.state in disputes.DISPUTE.closed_states
    for timer in life.timers:
        timer.record_type = disputes.WORKFLOW.code
    return life


def _numbers(prefix: str) -> dict[int, int]:
    """The last number used per year for a type's prefix (the load's demo has its own)."""
    last: dict[int, int] = {}
    for number in Case.objects.filter(number__startswith=prefix + "-").values_list(
        "number", flat=True
    ):
        _p, year, n = number.rsplit("-", 2)
        last[int(year)] = max(last.get(int(year), 0), int(n))
    return last


def lives(*, total: int, rng: random.Random, today: date, now: datetime) -> Iterator[Life]:
    """`total` cases of the district's last YEARS years, made one at a time."""
    bureau = Org.objects.filter(kind=OrgKind.BUREAU).order_by("depth", "pk").first()
    if bureau is None:
        raise RuntimeError("no district: build one first")
    dues = Dues(bureau)
    clerks = _users(bureau, RoleName.CASE_CLERK) or _users(bureau, RoleName.BUREAU_OFFICER)
    leaders = _users(bureau, RoleName.BUREAU_LEADER) or clerks
    handlers = _handlers(bureau)
    if not clerks or not handlers:
        raise RuntimeError("the district has no accounts to receive and handle cases")
    schools = []
    staff_of: dict[int, list[int]] = {}
    for user_id, org_id in RoleAssignment.objects.filter(
        org__kind=OrgKind.SCHOOL, role__in=HANDLE_ROLES
    ).values_list("user_id", "org_id"):
        staff_of.setdefault(org_id, []).append(user_id)
    for org_id in (
        Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        schools.append((org_id, staff_of.get(org_id, [])))
    numbers = {"XF": _numbers("XF"), "MD": _numbers("MD")}
    for n in range(total):
        if rng.random() < DISPUTE_SHARE:
            life = _dispute(n, rng=rng, today=today, now=now, schools=schools, dues=dues)
            prefix = "MD"
        else:
            life = _petition(
                n,
                rng=rng,
                today=today,
                now=now,
                bureau=bureau,
                dues=dues,
                people=(clerks, leaders, handlers),
            )
            prefix = "XF"
        year = timezone.localtime(life.case.received_at).year
        numbers[prefix][year] = numbers[prefix].get(year, 0) + 1
        life.case.number = f"{prefix}-{year}-{numbers[prefix][year]:04d}"
        yield life


def seed(count: int, *, rng: random.Random, today: date, now: datetime | None = None) -> None:
    """Write `count` more cases with their timers, grants and created events, BATCH at a
    time. `now` (default: the end of `today`'s office hours) is the present of their lives."""
    now = now or datetime.combine(today, time(18), tzinfo=_tz())
    rows = lives(total=count, rng=rng, today=today, now=now)
    while batch := list(islice(rows, BATCH)):
        # received_at has no auto_now: created_at is written as the present (auto_now_add).
        created = Case.objects.bulk_create([life.case for life in batch])
        timers, grants, events = [], [], []
        for life, case in zip(batch, created, strict=True):
            for timer in life.timers:
                timer.record_id = case.pk
                timers.append(timer)
            for g in life.grants:
                g.record_id = case.pk
                grants.append(g)
            workflow = PETITION.workflow if case.type == "petition" else disputes.WORKFLOW
            events.append(
                Event(
                    record_type=workflow.code,
                    record_id=case.pk,
                    name="created",
                    from_state="",
                    to_state=workflow.initial,
                    actor_id=case.first_receiver_id,
                    at=case.received_at,
                    data=life.created_data,
                )
            )
        Timer.objects.bulk_create(timers)
        Grant.objects.bulk_create(grants)
        Event.objects.bulk_create(events)


def main(count: int) -> None:
    """Into the database of DJANGO_SETTINGS_MODULE (the load scenario's demo): `count` more
    cases up to today. Call it after django.setup()."""
    from django.db import transaction

    with transaction.atomic():
        seed(count, rng=random.Random(9), today=timezone.localdate(), now=timezone.now())
    print(
        f"{Case.objects.count()} cases, {Timer.objects.filter(record_type__startswith='cases.').count()}"
        f" timers, {get_user_model().objects.count()} users"
    )
