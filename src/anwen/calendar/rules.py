"""Working days and deadlines: the one place every clock in anwen asks.

China's public holidays and adjusted working days (调休) come from the `holidays` package; the
bureau's `DayOverride` rows win over it. Counting follows civil-law practice (民法典 arts.
200–204): the day of the triggering event is not counted, a period ends at the end of its last
day, and a calendar-day period whose last day is a rest day or public holiday ends on the next
working day. Working-day periods count only working days; a 调休 Saturday counts.

The package's dates are fixed for the life of the process; the overrides are read once per year
per process and re-read after `OVERRIDES_TTL` seconds, so an edit made in another worker
process shows up there within that time. Services call `clear_cache()` after every change so
the process that made it sees it at once.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import holidays
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from anwen.errors import AppError

Counting = Literal["calendar", "working"]
COUNTINGS: tuple[str, ...] = ("calendar", "working")

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
    counting: Counting = "calendar"

    def __post_init__(self) -> None:
        if self.counting not in COUNTINGS:
            raise ValueError(f"counting must be one of {COUNTINGS}, not {self.counting!r}")
        if self.days < 0:
            raise ValueError("a deadline cannot be a negative number of days")

    def __str__(self) -> str:
        if self.counting == "working":
            return ngettext("%(n)d working day", "%(n)d working days", self.days) % {
                "n": self.days}
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
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, _Year] = {}
        self._loaded_at = time.monotonic()

    def clear(self) -> None:
        with self._lock:
            self._years = {}
            self._loaded_at = time.monotonic()

    def year(self, year: int) -> _Year:
        if time.monotonic() - self._loaded_at > OVERRIDES_TTL:
            self.clear()
        table = self._years.get(year)
        if table is None:
            table = _combine(package_days(year), _overrides(year))
            with self._lock:
                self._years[year] = table
        return table


def _overrides(year: int) -> list[tuple[date, str]]:
    # Imported here so that this module (and DeadlineRule) can be imported before the app
    # registry is ready, e.g. in another app's module-level rule declarations.
    from anwen.calendar.models import DayOverride

    return list(DayOverride.objects.filter(date__year=year).values_list("date", "kind"))


def _combine(package: _Year, overrides: list[tuple[date, str]]) -> _Year:
    rest, work = set(package.rest), set(package.work)
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
    """Forget the overrides read so far; call after any change to `DayOverride`."""
    _cache.clear()


def is_working_day(d: date) -> bool:
    table = _cache.year(d.year)
    if d.weekday() >= 5:
        return d in table.work
    return d not in table.rest


def _on_or_after(d: date) -> date:
    for _i in range(_MAX_SEARCH_DAYS):
        if is_working_day(d):
            return d
        d += _ONE_DAY
    raise CalendarError(gettext("No working day found within ten years."))


def next_working_day(d: date) -> date:
    """The first working day strictly after `d`."""
    return _on_or_after(d + _ONE_DAY)


def working_day_on_or_after(d: date) -> date:
    """`d` itself when it is a working day, else the next working day."""
    return _on_or_after(d)


def working_days_between(a: date, b: date) -> int:
    """How many working days lie in (a, b]: after `a`, up to and including `b`."""
    count, d = 0, a + _ONE_DAY
    while d <= b:
        count += is_working_day(d)
        d += _ONE_DAY
    return count


def _as_date(start: date | datetime) -> date:
    if isinstance(start, datetime):
        # The triggering event's day is the local calendar day it happened on.
        return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    return start


def due(start: date | datetime, days: "int | DeadlineRule | None" = None,
        counting: Counting | None = None, *, rule: DeadlineRule | None = None) -> date:
    """The last day of a period of `days` counted from the event on `start`.

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
    checked = DeadlineRule(days=int(days), counting=counting or "calendar")
    day = _as_date(start)
    if checked.counting == "calendar":
        return _on_or_after(day + timedelta(days=checked.days))
    left = checked.days
    for _i in range(_MAX_SEARCH_DAYS):
        if left == 0:
            return day
        day += _ONE_DAY
        left -= is_working_day(day)
    raise CalendarError(gettext("No working day found within ten years."))


def ends_at(last_day: date) -> datetime:
    """The moment a period whose last day is `last_day` has run out: the next local midnight."""
    return timezone.make_aware(datetime.combine(last_day + _ONE_DAY, datetime.min.time()))


def is_overdue(last_day: date, now: datetime | None = None) -> bool:
    """Whether a period ending on `last_day` has run out at `now`."""
    return (now or timezone.now()) >= ends_at(last_day)
