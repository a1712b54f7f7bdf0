"""Working days and deadlines: the one place every clock in anwen asks.

China's public holidays and adjusted working days (调休) come from the `holidays` package; the
national `DayOverride` rows (no owner: the arrangement entered ahead of the package, by a
platform administrator) win over it, and a bureau's own rows (local closures) win over both for
the orgs under that bureau. Every question takes the org it is asked for (`org=`, any object with
a materialised `path` such as "1/7/42/", or the path itself): its ancestors are the owners whose
rows apply. Without an org only the national arrangement applies.

Counting follows civil-law practice (民法典 arts. 200–204): the day of the triggering event is not counted, a period ends at the end of its last
day, and a calendar-day period whose last day is a rest day or public holiday ends on the next
working day. Working-day periods count only working days; a 调休 Saturday counts.

The package's dates are fixed for the life of the process; the overrides are read once per year
per process (all owners in one query, one combined table per year and set of owners, so every
school of a district shares one table) and re-read after `OVERRIDES_TTL` seconds, so an edit
made in another worker process shows up there within that time. Services call `clear_cache()` after every change so
the process that made it sees it at once.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol

import holidays
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from anwen.errors import AppError


class Counting(models.TextChoices):
    """How a period's days are counted; the one definition every engine's rule uses."""

    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


COUNTINGS: tuple[str, ...] = tuple(Counting.values)


class HasPath(Protocol):
    """An org as the calendar sees it: its materialised path of primary keys ("1/7/42/").
    The calendar imports no other app, so it takes anything that has one."""

    path: str


OrgLike = HasPath | str


def owner_ids(org: OrgLike | None) -> tuple[int, ...]:
    """The primary keys on `org`'s path, root first: the owners whose calendar rows apply to
    it (a bureau's rows apply to every org under it)."""
    if org is None:
        return ()
    path = org if isinstance(org, str) else org.path
    return tuple(int(part) for part in (path or "").split("/") if part)


OVERRIDES_TTL = 60.0  # seconds

_ONE_DAY = timedelta(days=1)
# No deadline rule in the plan is longer than a few months; a loop that runs past this has met
# a calendar with no working day at all (a mistaken override spree) and must not spin forever.
_MAX_SEARCH_DAYS = 3660


class CalendarError(AppError):
    """A calendar rule was broken; the message is for the user."""


@dataclass(frozen=True)
class DeadlineRule:
    """N days, counted as calendar days or as working days. Every clock declares one."""

    days: int
    counting: Counting | str = Counting.CALENDAR

    def __post_init__(self) -> None:
        if self.counting not in COUNTINGS:
            raise ValueError(f"counting must be one of {COUNTINGS}, not {self.counting!r}")
        if self.days < 0:
            raise ValueError("a deadline cannot be a negative number of days")

    def __str__(self) -> str:
        if self.counting == Counting.WORKING:
            return ngettext("%(n)d working day", "%(n)d working days", self.days) % {"n": self.days}
        return ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}


@dataclass(frozen=True)
class _Year:
    rest: frozenset[date]  # Monday–Friday dates that are not worked
    work: frozenset[date]  # Saturday/Sunday dates that are worked (调休)


@lru_cache(maxsize=256)
def package_days(year: int) -> _Year:
    """The package's non-working weekdays and working weekend days of `year`.

    The following year is loaded too: an arrangement can move a weekend of late December into
    the next year's New Year holiday (2002 took 2001-12-29/30)."""
    cn = holidays.China(years=(year, year + 1))
    rest = frozenset(d for d in cn if d.year == year and d.weekday() < 5)
    work = frozenset(d for d in cn.weekend_workdays if d.year == year)
    return _Year(rest=rest, work=work)


def arrangement_published(year: int) -> bool:
    """Whether the package carries the State Council's arrangement (调休) for `year`. Past
    that year the package only knows the statutory days, and the bureau enters the
    arrangement as overrides once it is published."""
    from holidays.countries.china import ChinaStaticHolidays

    return year <= max(ChinaStaticHolidays.special_public_holidays)


class _Cache:
    """Per process: each year's override rows by owner (None: national), and the combined
    tables built from them, keyed by (year, the owners that have rows that year)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[int, dict[int | None, list[tuple[date, str]]]] = {}
        self._tables: dict[tuple[int, tuple[int, ...]], _Year] = {}
        self._loaded_at = time.monotonic()

    def clear(self) -> None:
        with self._lock:
            self._rows, self._tables = {}, {}
            self._loaded_at = time.monotonic()

    def year(self, year: int, owners: tuple[int, ...] = ()) -> _Year:
        if time.monotonic() - self._loaded_at > OVERRIDES_TTL:
            self.clear()
        rows = self._rows.get(year)
        if rows is None:
            rows = _overrides(year)
            with self._lock:
                self._rows[year] = rows
        # Only owners with rows this year make a table of their own: every school of a
        # district without local closures shares the national one.
        key = (year, tuple(o for o in owners if o in rows))
        table = self._tables.get(key)
        if table is None:
            table = _combine(package_days(year), rows.get(None, []))
            for owner in key[1]:  # the bureau's closures, over the national arrangement
                table = _combine(table, rows[owner])
            with self._lock:
                self._tables[key] = table
        return table


def _overrides(year: int) -> dict[int | None, list[tuple[date, str]]]:
    # Imported here so that this module (and DeadlineRule) can be imported before the app
    # registry is ready, e.g. in another app's module-level rule declarations.
    from anwen.calendar.models import DayOverride

    rows: dict[int | None, list[tuple[date, str]]] = {}
    for owner, day, kind in DayOverride.objects.filter(date__year=year).values_list(
        "org_id", "date", "kind"
    ):
        rows.setdefault(owner, []).append((day, kind))
    return rows


def _combine(base: _Year, overrides: list[tuple[date, str]]) -> _Year:
    """`base` with `overrides` laid over it: an override's word wins for its date."""
    rest, work = set(base.rest), set(base.work)
    for day, kind in overrides:
        weekend = day.weekday() >= 5
        if kind == "working":
            rest.discard(day)
            if weekend:
                work.add(day)
        else:  # a holiday or a local closure: nobody works
            work.discard(day)
            if not weekend:
                rest.add(day)
    return _Year(rest=frozenset(rest), work=frozenset(work))


_cache = _Cache()


def clear_cache() -> None:
    """Forget the overrides read so far, of every owner; call after any change to
    `DayOverride`."""
    _cache.clear()


def is_working_day(d: date, *, org: OrgLike | None = None) -> bool:
    """Whether `d` is worked where `org` lies (the national arrangement without an org)."""
    return _working(d, owner_ids(org))


def _on_or_after(d: date, owners: tuple[int, ...]) -> date:
    for _i in range(_MAX_SEARCH_DAYS):
        if _working(d, owners):
            return d
        d += _ONE_DAY
    raise CalendarError(gettext("No working day found within ten years."))


def _working(d: date, owners: tuple[int, ...]) -> bool:
    table = _cache.year(d.year, owners)
    if d.weekday() >= 5:
        return d in table.work
    return d not in table.rest


def next_working_day(d: date, *, org: OrgLike | None = None) -> date:
    """The first working day strictly after `d`."""
    return _on_or_after(d + _ONE_DAY, owner_ids(org))


def working_day_on_or_after(d: date, *, org: OrgLike | None = None) -> date:
    """`d` itself when it is a working day, else the next working day."""
    return _on_or_after(d, owner_ids(org))


def working_days_between(a: date, b: date, *, org: OrgLike | None = None) -> int:
    """How many working days lie in (a, b]: after `a`, up to and including `b`."""
    owners = owner_ids(org)
    count, d = 0, a + _ONE_DAY
    while d <= b:
        count += _working(d, owners)
        d += _ONE_DAY
    return count


def _as_date(start: date | datetime) -> date:
    if isinstance(start, datetime):
        # The triggering event's day is the local calendar day it happened on.
        return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    return start


def due(
    start: date | datetime,
    days: "int | DeadlineRule | None" = None,
    counting: Counting | str | None = None,
    *,
    rule: DeadlineRule | None = None,
    org: OrgLike | None = None,
) -> date:
    """The last day of a period of `days` counted from the event on `start`, by the calendar
    of `org` (its bureau's closures are days off; the national arrangement without an org).

    Call as `due(received_on, 15)`, `due(received_on, 5, "working")`, or with a rule:
    `due(received_on, PETITION_ACCEPT)` / `due(received_on, rule=PETITION_ACCEPT)`. The
    period ends at the end of the returned day (see `ends_at`).
    """
    if rule is not None:
        if days is not None:
            raise TypeError("give either days or rule, not both")
        days = rule
    if isinstance(days, DeadlineRule):
        if counting is not None and counting != days.counting:
            raise TypeError("the rule already says how to count")
        counting = days.counting
        days = days.days
    if days is None:
        raise TypeError("due() needs a number of days or a rule")
    # Validates days and counting in one place.
    checked = DeadlineRule(days=int(days), counting=counting or Counting.CALENDAR)
    owners = owner_ids(org)
    day = _as_date(start)
    if checked.counting == Counting.CALENDAR:
        return _on_or_after(day + timedelta(days=checked.days), owners)
    left = checked.days
    for _i in range(_MAX_SEARCH_DAYS):
        if left == 0:
            return day
        day += _ONE_DAY
        left -= _working(day, owners)
    raise CalendarError(gettext("No working day found within ten years."))


def ends_at(last_day: date) -> datetime:
    """The moment a period whose last day is `last_day` has run out: the next local midnight."""
    return timezone.make_aware(datetime.combine(last_day + _ONE_DAY, datetime.min.time()))


def is_overdue(last_day: date, now: datetime | None = None) -> bool:
    """Whether a period ending on `last_day` has run out at `now`."""
    return (now or timezone.now()) >= ends_at(last_day)
