"""The one "due soon / expired" mechanism of every dated thing in the registers.

A register declares its dated fields (`declare.Dated`: a certificate's expiry, a bus's next
technical inspection, an extinguisher's next service …). Everything that asks "what lapses
soon, what has lapsed" asks here: the district list (`views.expiring`), the inbox (`todo.py`)
and the reminders (`tasks.remind_expiring`). The state of a date is

- expired: the day is before today;
- soon: the day is today or within the plan's warning days (`rules.WARN_DAYS`, or the
  `Dated.warn` rule of that field);
- nothing to say otherwise.

Every function answers in a fixed number of queries: one per dated field of the registers
asked about, whatever the number of records (the district's 20,000 extinguishers)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from anwen.obligations.plans import Rules
from anwen.orgs.models import Org
from anwen.orgs.scope import paths_q

from .declare import Dated, Register, registers
from .rules import WARN_DAYS

EXPIRED = "expired"
SOON = "soon"
STATES = (EXPIRED, SOON)


def state_of(day: date | None, *, today: date, warn: int) -> str:
    """expired / soon / "" for a date, today and the warning days."""
    if day is None:
        return ""
    if day < today:
        return EXPIRED
    if day <= today + timedelta(days=warn):
        return SOON
    return ""


def warn_days(dated: Dated, *, org: Org, today: date, rules: Rules | None = None) -> int:
    """The warning days of `dated` in force for `org` (its bureau's plan) on `today`."""
    rules = rules or Rules(on=today)
    return int(rules.get(dated.warn or WARN_DAYS, org=org))


def _bureau_of(paths: Sequence[str]) -> Org | None:
    """The org whose plan decides the warning days of a scope: the root of its first path (a
    district's bureau; every org of a scope belongs to one district)."""
    if not paths:
        return None
    root = paths[0].split("/")[0]
    return Org.objects.filter(pk=int(root)).first() if root.isdigit() else None


def warns(register: Register, paths: Sequence[str], *, today: date) -> dict[str, int]:
    """The warning days of each dated field of `register` for a scope (its bureau's plan; the
    declared default for a scope of nothing)."""
    bureau = _bureau_of(paths)
    rules = Rules(on=today)
    return {
        d.field: warn_days(d, org=bureau, today=today, rules=rules)
        if bureau
        else int((d.warn or WARN_DAYS).default)
        for d in register.dated
    }


def register_due_q(register: Register, paths: Sequence[str], *, today: date, state: str) -> Q:
    """The records of `register` with any dated field in `state` (a list's "expired" filter)."""
    by_field = warns(register, paths, today=today)
    q = Q(pk__in=[])
    for dated in register.dated:
        q |= due_q(dated, today=today, warn=by_field[dated.field], state=state)
    return q


def dated_fields(only: Register | None = None) -> list[tuple[Register, Dated]]:
    return [(r, d) for r in registers() if only is None or r is only for d in r.dated]


def due_q(dated: Dated, *, today: date, warn: int, state: str = "") -> Q:
    """The records of a dated field that are due soon or expired (or only one of the two)."""
    name = dated.field
    if state == EXPIRED:
        q = Q(**{f"{name}__lt": today})
    elif state == SOON:
        q = Q(**{f"{name}__gte": today, f"{name}__lte": today + timedelta(days=warn)})
    else:
        q = Q(**{f"{name}__lte": today + timedelta(days=warn)})
    return q & (dated.active or Q())


@dataclass(frozen=True)
class Due:
    """One dated thing that is due soon or has expired."""

    register: Register
    dated: Dated
    record: Any
    on: date
    state: str
    days: int  # days left (0 today, negative: days past)

    @property
    def org(self) -> Org:
        return self.record.org

    @property
    def what(self) -> str:
        return self.register.describe(self.record)


def _records(register: Register, paths: Sequence[str]) -> QuerySet:
    return register.model._default_manager.filter(paths_q(paths, "org"))


def due_items(
    paths: Sequence[str],
    *,
    today: date,
    state: str = "",
    only: Register | None = None,
    dated_field: str = "",
    org: Org | None = None,
    limit: int | None = None,
) -> list[Due]:
    """The dated things under `paths` that are due soon or expired, earliest first; one query
    per dated field. `limit` bounds each field's rows (a page of a long list needs no more)."""
    bureau = _bureau_of(paths)
    if bureau is None:
        return []
    rules = Rules(on=today)
    out: list[Due] = []
    for register, dated in dated_fields(only):
        if dated_field and dated.field != dated_field:
            continue
        warn = warn_days(dated, org=bureau, today=today, rules=rules)
        rows = (
            _records(register, [org.path] if org else paths)
            .filter(due_q(dated, today=today, warn=warn, state=state))
            .select_related("org", *register.select_related)
            .order_by(dated.field, "pk")
        )
        if limit is not None:
            rows = rows[:limit]
        for record in rows:
            day = getattr(record, dated.field)
            out.append(
                Due(
                    register,
                    dated,
                    record,
                    day,
                    state_of(day, today=today, warn=warn),
                    (day - today).days,
                )
            )
    out.sort(key=lambda d: (d.on, str(d.register.key), d.record.pk))
    return out


@dataclass(frozen=True)
class Tally:
    """How many things of one dated field of one org are expired and due soon, and the first
    of their days."""

    register: Register
    dated: Dated
    org_id: int
    expired: int
    soon: int
    first: date


def tallies(paths: Sequence[str], *, today: date, orgs: Iterable[int] | None = None) -> list[Tally]:
    """Per dated field and org under `paths` (or among `orgs`): the counts of expired and
    soon-due things. One grouped query per dated field."""
    bureau = _bureau_of(paths)
    if bureau is None:
        return []
    rules = Rules(on=today)
    wanted = list(orgs) if orgs is not None else None
    out = []
    for register, dated in dated_fields():
        warn = warn_days(dated, org=bureau, today=today, rules=rules)
        rows = _records(register, paths).filter(due_q(dated, today=today, warn=warn))
        if wanted is not None:
            rows = rows.filter(org_id__in=wanted)
        grouped = (
            rows.values("org_id")
            .annotate(
                expired=Count("pk", filter=Q(**{f"{dated.field}__lt": today})),
                total=Count("pk"),
                first=Min(dated.field),
            )
            .order_by("org_id")
        )
        for row in grouped:
            out.append(
                Tally(
                    register,
                    dated,
                    row["org_id"],
                    row["expired"],
                    row["total"] - row["expired"],
                    row["first"],
                )
            )
    return out


def summary(paths: Sequence[str], *, today: date) -> list[dict[str, Any]]:
    """Per dated field: how many things are expired and due soon under `paths`, and in how
    many orgs — the district list's head and the board's figure."""
    by: dict[tuple[str, str], dict[str, Any]] = {}
    for t in tallies(paths, today=today):
        entry = by.setdefault(
            (t.register.key, t.dated.field),
            {
                "register": t.register,
                "dated": t.dated,
                "expired": 0,
                "soon": 0,
                "orgs": 0,
            },
        )
        entry["expired"] += t.expired
        entry["soon"] += t.soon
        entry["orgs"] += 1
    return list(by.values())


def by_org(tallies_: Iterable[Tally]) -> dict[int, list[Tally]]:
    grouped: dict[int, list[Tally]] = defaultdict(list)
    for t in tallies_:
        grouped[t.org_id].append(t)
    return grouped
