"""Pinning the day a test runs on.

A test whose result depends on what kind of day today is (a working day, inside a semester, in
the year of fixed dates it also uses) says which day it means instead of reading the wall
clock: `@on_day(date(2026, 10, 6))` on the test, or `with on_day(...):` around the part that
needs it. The clock stands still there (tick=False), local time in Beijing, so "today" and
"now" are the same however slow the machine. The session clock of ANWEN_TEST_CLOCK (the root
conftest.py) is undone inside and comes back after.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment on `day`, local time."""
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


def on_day(day: date, hour: int = 10, minute: int = 0) -> time_machine.travel:
    """Travel to `day` at hour:minute local time, clock standing still (decorator or `with`)."""
    return time_machine.travel(moment(day, hour, minute), tick=False)
