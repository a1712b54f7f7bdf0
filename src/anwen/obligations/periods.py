"""Periods: generated lazily and idempotently, counted from records in the database.

`ensure_periods(through=day)` makes sure that every target (an org, or a subject inside it such
as a grid area) of every obligation in force has its periods up to `day`. Each target keeps a
watermark (`Target.generated_through`), so a second call for the same day only reads the
obligations, the orgs, the subjects and the targets (a fixed handful of queries) and writes
nothing. Rows are inserted with `bulk_create(ignore_conflicts=True)` against the unique
(obligation, org, subject, start) constraint, so two workers racing change nothing twice.

Counting is set-based: `recount` runs one UPDATE per obligation whose subqueries count the
matching records of each period and pick the moment the `times`-th record arrived. Periods
created after their records (a record logged before the nightly generation, the demo's history)
are counted right after they are inserted.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from anwen import calendar
from anwen.obligations.bulk import insert_rows
from anwen.obligations.models import Frequency, Obligation, Period, Plan, Record, Target
from anwen.obligations.registry import Subject, conditions, subject_providers
from anwen.obligations.registry import kind as record_kind
from anwen.orgs.models import Org
from anwen.orgs.scope import paths_q

ONE_DAY = timedelta(days=1)
PERIOD_FIELDS = (
    "obligation_id",
    "org_id",
    "subject_id",
    "assignee_id",
    "start",
    "end",
    "due",
    "records",
    "done_at",
    "on_time",
)
TARGET_FIELDS = (
    "obligation_id",
    "org_id",
    "subject_id",
    "person_id",
    "label",
    "since",
    "generated_through",
    "is_active",
)
# Frequencies whose periods are single days: the inbox collapses their missed days.
DAILY_FREQUENCIES = frozenset({Frequency.DAILY, Frequency.WORKING_DAILY, Frequency.SENSITIVE_DAILY})
_BATCH = 5000


# --- spans of time -----------------------------------------------------------------------------


@dataclass
class CalendarSlice:
    """Semesters and sensitive periods of a..b read once for one run of the generator, per
    calendar (a bureau's closures, semesters and sensitive periods are its own)."""

    a: date
    b: date
    frequencies: set[str]
    _by_owners: dict[tuple[int, ...], tuple[list, list]] = field(default_factory=dict)

    @classmethod
    def load(cls, a: date, b: date, frequencies: set[str]) -> "CalendarSlice":
        return cls(a=a, b=b, frequencies=set(frequencies))

    def _of(self, org) -> tuple[list[tuple[date, date]], list[tuple[date, date]]]:
        key = calendar.owner_ids(org)
        if key not in self._by_owners:
            semesters: list[tuple[date, date]] = []
            sensitive: list[tuple[date, date]] = []
            if Frequency.SEMESTER in self.frequencies:
                semesters = [
                    (s.start, s.end) for s in calendar.semesters_between(self.a, self.b, org=org)
                ]
            if Frequency.SENSITIVE_DAILY in self.frequencies:
                sensitive = list(
                    calendar.sensitive_periods_between(self.a, self.b, org=org).values_list(
                        "start", "end"
                    )
                )
            self._by_owners[key] = (semesters, sensitive)
        return self._by_owners[key]

    def semesters(self, org=None) -> list[tuple[date, date]]:
        return self._of(org)[0]

    def sensitive(self, org=None) -> list[tuple[date, date]]:
        return self._of(org)[1]


def _month_end(first: date) -> date:
    following = (
        date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    )
    return following - ONE_DAY


def spans(
    frequency: str, a: date, b: date, cal: CalendarSlice | None = None, org=None
) -> list[tuple[date, date]]:
    """The periods (first day, last day) of `frequency` that overlap the days a..b, by the
    calendar of `org` (the plan's owner: its orgs share its bureau's calendar)."""
    if a > b:
        return []
    days = (b - a).days + 1
    if frequency == Frequency.DAILY:
        return [(d, d) for d in (a + timedelta(days=i) for i in range(days))]
    if frequency == Frequency.WORKING_DAILY:
        return [
            (d, d)
            for d in (a + timedelta(days=i) for i in range(days))
            if calendar.is_working_day(d, org=org)
        ]
    if frequency == Frequency.WEEKLY:
        monday, out = a - timedelta(days=a.weekday()), []
        while monday <= b:
            out.append((monday, monday + timedelta(days=6)))
            monday += timedelta(days=7)
        return out
    if frequency == Frequency.MONTHLY:
        first, out = a.replace(day=1), []
        while first <= b:
            last = _month_end(first)
            out.append((first, last))
            first = last + ONE_DAY
        return out
    if frequency == Frequency.YEARLY:
        return [(date(y, 1, 1), date(y, 12, 31)) for y in range(a.year, b.year + 1)]
    cal = cal or CalendarSlice.load(a, b, {frequency})
    if frequency == Frequency.SEMESTER:
        return sorted((s, e) for s, e in cal.semesters(org) if s <= b and e >= a)
    if frequency == Frequency.SENSITIVE_DAILY:
        found: set[date] = set()
        for s, e in cal.sensitive(org):
            d = max(s, a)
            while d <= min(e, b):
                found.add(d)
                d += ONE_DAY
        return [(d, d) for d in sorted(found)]
    raise ValueError(f"unknown frequency {frequency!r}")


def period_due(obligation: Obligation, start: date, end: date) -> date:
    own = record_kind(obligation.record_kind)
    if own is not None and own.due is not None:
        return own.due(obligation, start, end)
    return calendar.due(
        end,
        calendar.DeadlineRule(obligation.due_days, obligation.due_counting),
        org=obligation.plan.owner,
    )


# --- who owes what -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Org:
    id: int
    path: str
    kind: str
    school_type: str | None
    boarding: bool | None


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def applies_to(obligation: Obligation, org: _Org) -> bool:
    if org.kind != obligation.org_kind or not org.path.startswith(obligation.plan.owner.path):
        return False
    if obligation.school_types and org.school_type not in obligation.school_types:
        return False
    return not (obligation.boarding_only and not org.boarding)


def plan_bounds(
    plans: Iterable[tuple[int, int, int]],
) -> dict[int, tuple[date | None, date | None]]:
    """plan id -> (first, last) day of the periods its obligations owe, from (plan id, owner
    id, year) of the published plans. A period belongs to the plan of the year it starts in:
    a plan that follows an earlier one of the same bureau begins on 1 January of its year,
    and one that a later plan follows ends on 31 December of the year before (None: open)."""
    rows = list(plans)
    out: dict[int, tuple[date | None, date | None]] = {}
    for pk, owner, year in rows:
        later = [y for _p, o, y in rows if o == owner and y > year]
        earlier = any(o == owner and y < year for _p, o, y in rows)
        out[pk] = (
            date(year, 1, 1) if earlier else None,
            date(min(later), 1, 1) - ONE_DAY if later else None,
        )
    return out


def _active_obligations(obligations, through: date) -> list[Obligation]:
    qs = (
        Obligation.objects.filter(is_active=True, plan__is_active=True, starts_on__lte=through)
        .select_related("plan__owner")
        .order_by("pk")
    )
    if obligations is not None:
        ids = [o.pk if isinstance(o, Obligation) else int(o) for o in obligations]
        qs = qs.filter(pk__in=ids)
    found = list(qs)
    if found:
        bounds = plan_bounds(
            Plan.objects.filter(is_active=True).values_list("pk", "owner_id", "year")
        )
        for o in found:
            first, until = bounds.get(o.plan_id, (None, None))
            last = [d for d in (o.ends_on, until) if d is not None]
            # Read by _until and _generate: the span of days this run generates for.
            setattr(o, "owed_until", min(last) if last else None)  # noqa: B010
            setattr(o, "owed_from", first)  # noqa: B010
    return [
        o
        for o in found
        if getattr(o, "owed_until", None) is None or o.starts_on <= getattr(o, "owed_until")  # noqa: B009
    ]


def _until(o: Obligation, through: date) -> date:
    """The last day to generate for: `through`, or the obligation's (or its plan's) end."""
    last = getattr(o, "owed_until", o.ends_on)
    return min(through, last) if last else through


def _candidate_orgs(obligations: list[Obligation], org_ids) -> list[_Org]:
    q = paths_q({o.plan.owner.path for o in obligations})
    qs = Org.objects.filter(q, is_active=True, kind__in={o.org_kind for o in obligations})
    if org_ids is not None:
        qs = qs.filter(pk__in=list(org_ids))
    return [
        _Org(*row)
        for row in qs.values_list("id", "path", "kind", "school__school_type", "school__boarding")
    ]


@dataclass
class _Wanted:
    person_id: int | None
    label: str
    since: date | None  # the subject's own first day, if it has one


def _wanted_targets(
    obligations: list[Obligation], orgs: list[_Org]
) -> dict[int, dict[tuple[int, int], _Wanted]]:
    """obligation id -> {(org id, subject id): wanted}; obligations whose subject provider is
    not registered (yet) are left out, so that their targets are neither made nor retired."""
    # Obligations owed only where a condition holds (runs school buses): the orgs that meet
    # it, asked once per condition; one whose condition no app registered is left out below.
    registered = conditions()
    met: dict[str, set[int]] = {}
    for code in sorted({o.condition for o in obligations if o.condition}):
        if code in registered:
            met[code] = set(registered[code].orgs([org.id for org in orgs]))
    by_obligation: dict[int, list[_Org]] = {
        o.pk: [
            org
            for org in orgs
            if applies_to(o, org) and (not o.condition or org.id in met.get(o.condition, ()))
        ]
        for o in obligations
    }
    providers = subject_providers()
    needed: dict[str, set[int]] = defaultdict(set)
    for o in obligations:
        if o.per_subject and o.per_subject in providers:
            needed[o.per_subject].update(org.id for org in by_obligation[o.pk])
    subjects: dict[str, dict[int, list[Subject]]] = {}
    for code, org_ids in needed.items():
        grouped: dict[int, list[Subject]] = defaultdict(list)
        if org_ids:
            for subject in providers[code].subjects(sorted(org_ids)):
                grouped[subject.org_id].append(subject)
        subjects[code] = grouped
    wanted: dict[int, dict[tuple[int, int], _Wanted]] = {}
    for o in obligations:
        if o.per_subject and o.per_subject not in providers:
            continue
        if o.condition and o.condition not in met:
            continue
        mine: dict[tuple[int, int], _Wanted] = {}
        for org in by_obligation[o.pk]:
            if not o.per_subject:
                mine[(org.id, 0)] = _Wanted(None, "", None)
                continue
            for s in subjects[o.per_subject].get(org.id, ()):
                mine[(org.id, int(s.subject_id))] = _Wanted(
                    s.person_id, str(s.label)[:120], _as_date(s.since)
                )
        wanted[o.pk] = mine
    return wanted


# --- generation --------------------------------------------------------------------------------


@dataclass
class EnsureResult:
    created: int = 0  # period rows offered for insertion (existing ones are skipped)
    targets_added: int = 0
    targets_retired: int = 0

    def __int__(self) -> int:
        return self.created


def ensure_periods(*, through: date, obligations=None, org_ids=None) -> EnsureResult:
    """Make every period that starts on or before `through` exist, for every target of the
    obligations in force (or of `obligations`), in every applicable active org (or in
    `org_ids`). Idempotent and cheap to repeat; counts records that were there first."""
    today = timezone.localdate()
    result = EnsureResult()
    obligations_ = _active_obligations(obligations, through)
    if not obligations_:
        return result
    orgs = _candidate_orgs(obligations_, org_ids)
    wanted = _wanted_targets(obligations_, orgs)
    existing_qs = Target.objects.filter(obligation__in=[o.pk for o in obligations_])
    if org_ids is not None:
        existing_qs = existing_qs.filter(org_id__in=list(org_ids))
    existing: dict[tuple[int, int, int], Target] = {
        (t.obligation_id, t.org_id, t.subject_id): t for t in existing_qs
    }

    # Targets: add the new, follow the changed, retire the gone.
    new, changed, retired = [], [], []
    for o in obligations_:
        if o.pk not in wanted:
            continue
        mine = wanted[o.pk]
        eff_through = _until(o, through)
        owed_until: date | None = getattr(o, "owed_until", None)
        ended = owed_until is not None and owed_until < today
        for (org_id, subject_id), w in mine.items():
            t = existing.get((o.pk, org_id, subject_id))
            if t is None and ended and o.generated_through is not None:
                continue  # a school that appears after last year's plan ended owes it nothing
            if t is not None and t.is_active:
                if t.person_id != w.person_id or t.label != w.label:
                    t.person_id, t.label = w.person_id, w.label
                    changed.append(t)
                continue
            if w.since is not None:
                since = max(o.starts_on, w.since)
            elif o.generated_through is None and t is None:
                since = o.starts_on
            else:
                # An org (or a subject without a first day) that appears once the obligation
                # runs owes from now on, not the obligation's whole past.
                since = max(o.starts_on, min(eff_through, today))
            if t is None:
                t = Target(
                    obligation=o,
                    org_id=org_id,
                    subject_id=subject_id,
                    person_id=w.person_id,
                    label=w.label,
                    since=since,
                )
                new.append(t)
                existing[(o.pk, org_id, subject_id)] = t
            else:  # it comes back after a pause
                t.is_active, t.since, t.generated_through = True, since, None
                t.person_id, t.label = w.person_id, w.label
                changed.append(t)
        for key, t in existing.items():
            if key[0] == o.pk and t.is_active and (key[1], key[2]) not in mine:
                t.is_active = False
                retired.append(t)

    if changed:
        Target.objects.bulk_update(
            changed,
            ["person", "label", "is_active", "since", "generated_through"],
            batch_size=_BATCH,
        )
        for t in changed:
            _open_periods(t, today).update(assignee_id=t.person_id)
    if retired:
        Target.objects.bulk_update(retired, ["is_active"], batch_size=_BATCH)
        result.targets_retired = len(retired)
        for t in retired:
            # What was still to be done stops being owed; what was missed or done stays.
            _open_periods(t, today).delete()
    if new:
        insert_rows(
            Target,
            TARGET_FIELDS,
            (
                (t.obligation_id, t.org_id, t.subject_id, t.person_id, t.label, t.since, None, True)
                for t in new
            ),
            ignore_conflicts=True,
        )
        result.targets_added = len(new)
        # ignore_conflicts leaves pks unset: read them back (a rival may have made some).
        fresh = Target.objects.filter(obligation__in={t.obligation_id for t in new})
        if org_ids is not None:
            fresh = fresh.filter(org_id__in=list(org_ids))
        for t in fresh:
            existing[(t.obligation_id, t.org_id, t.subject_id)] = t

    # Periods for every target that is behind.
    behind: dict[int, list[Target]] = defaultdict(list)
    by_pk = {o.pk: o for o in obligations_}
    for (ob_id, _org, _subject), t in existing.items():
        if ob_id not in by_pk or not t.is_active or ob_id not in wanted:
            continue
        o = by_pk[ob_id]
        eff_through = _until(o, through)
        if t.generated_through is None or t.generated_through < eff_through:
            behind[ob_id].append(t)
    if behind:
        lows = [
            t.since if t.generated_through is None else t.generated_through + ONE_DAY
            for ts in behind.values()
            for t in ts
        ]
        cal = CalendarSlice.load(min(lows), through, {by_pk[i].frequency for i in behind})
        for ob_id, targets in behind.items():
            result.created += _generate(by_pk[ob_id], targets, through, cal, org_ids)

    for o in obligations_:
        eff_through = _until(o, through)
        # Also for an obligation whose subject provider is missing: targets that appear once
        # it is registered owe from then on (or from their own first day).
        if org_ids is None and (o.generated_through is None or o.generated_through < eff_through):
            Obligation.objects.filter(pk=o.pk).update(generated_through=eff_through)
            o.generated_through = eff_through
    return result


def _open_periods(target: Target, today: date) -> QuerySet[Period]:
    return Period.objects.filter(
        obligation_id=target.obligation_id,
        org_id=target.org_id,
        subject_id=target.subject_id,
        done_at__isnull=True,
        due__gte=today,
    )


def _generate(
    obligation: Obligation, targets: list[Target], through: date, cal: CalendarSlice, org_ids
) -> int:
    eff_through = _until(obligation, through)
    dues: dict[date, date] = {}
    span_cache: dict[date, list[tuple[date, date]]] = {}
    rows: list[tuple] = []
    first_start: date | None = None  # the first day of the earliest span made
    for t in targets:
        low = t.since if t.generated_through is None else t.generated_through + ONE_DAY
        if low > eff_through:
            continue
        if low not in span_cache:
            span_cache[low] = spans(
                obligation.frequency, low, eff_through, cal, org=obligation.plan.owner
            )
        owed_from = getattr(obligation, "owed_from", None)
        for start, end in span_cache[low]:
            if owed_from is not None and start < owed_from:
                continue  # the week that began last year is last year's plan's
            due = dues.get(end)
            if due is None:
                due = dues[end] = period_due(obligation, start, end)
            first_start = start if first_start is None else min(first_start, start)
            rows.append(
                (obligation.pk, t.org_id, t.subject_id, t.person_id, start, end, due, 0, None, None)
            )
    ids = [t.pk for t in targets]
    # Inserting, moving the watermark and counting go together: a crash between them must not
    # leave periods behind the watermark that nobody will count again.
    with transaction.atomic():
        created = insert_rows(Period, PERIOD_FIELDS, rows, ignore_conflicts=True)
        for i in range(0, len(ids), 500):
            Target.objects.filter(pk__in=ids[i : i + 500]).update(generated_through=eff_through)
        if created and first_start is not None:
            # Records may have come first (logged before the periods were made): count them.
            # A span can begin before the day generation resumed from (a week's Monday, a
            # month's 1st), so look from the first day of the earliest span.
            org_scope = None if org_ids is None else list(org_ids)
            records = Record.objects.filter(
                kind=obligation.record_kind,
                occurred_on__gte=first_start,
                occurred_on__lte=eff_through,
            )
            if org_scope is not None:
                records = records.filter(org_id__in=org_scope)
            if records.exists():
                recount(
                    obligations=[obligation], org_ids=org_scope, start=first_start, end=eff_through
                )
    return created


# --- counting ----------------------------------------------------------------------------------


class _Count(Func):
    function = "COUNT"
    output_field = IntegerField()


def matching_records(obligation: Obligation) -> QuerySet[Record]:
    """The records that count towards a period (an OuterRef to it) of `obligation`."""
    qs = Record.objects.filter(
        kind=obligation.record_kind,
        org_id=OuterRef("org_id"),
        occurred_on__gte=OuterRef("start"),
        occurred_on__lte=OuterRef("end"),
    )
    if obligation.per_subject:
        qs = qs.filter(subject_id=OuterRef("subject_id"))
    return qs


def recount_periods(obligation: Obligation, periods: QuerySet[Period]) -> int:
    """Set `records`, `done_at` and `on_time` of `periods` (all of `obligation`) from the
    records, in two UPDATE statements whatever their number."""
    records = matching_records(obligation).order_by()
    times = max(obligation.times, 1)
    n = periods.update(
        records=Coalesce(Subquery(records.annotate(n=_Count("pk")).values("n")[:1]), Value(0)),
        done_at=Subquery(
            records.order_by("submitted_at", "pk").values("submitted_at")[times - 1 : times]
        ),
    )
    periods.update(
        on_time=Case(
            When(done_at__isnull=True, then=Value(None)),
            When(done_at__date__lte=F("due"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(null=True),
        )
    )
    return n


def recount(
    *,
    obligations: Iterable | None = None,
    org_ids=None,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Recount the periods of `obligations` (all by default), optionally only those of
    `org_ids` overlapping start..end. One pair of UPDATEs per obligation."""
    qs = Obligation.objects.order_by("pk")
    if obligations is not None:
        qs = qs.filter(pk__in=[o.pk if isinstance(o, Obligation) else int(o) for o in obligations])
    n = 0
    for obligation in qs:
        periods = Period.objects.filter(obligation=obligation)
        if org_ids is not None:
            periods = periods.filter(org_id__in=list(org_ids))
        if start is not None:
            periods = periods.filter(end__gte=start)
        if end is not None:
            periods = periods.filter(start__lte=end)
        n += recount_periods(obligation, periods)
    return n
