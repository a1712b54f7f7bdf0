"""Fixtures every app's tests share, and the test clock.

ANWEN_TEST_CLOCK (an ISO date or date and time, e.g. 2031-02-28T07:30:00+08:00; Beijing time
without an offset) moves the whole session's clock there, ticking, before any test or fixture
runs: a test that would break on another day (next year, a Sunday, a month end) breaks today.
Tests that travel themselves nest inside it. `bash .ci/run` runs the suite a second time so.

`@pytest.mark.day(date(2026, 10, 6))` (or a datetime) pins a test's clock, standing still,
before its fixtures are built (`anwen.testing.clock.on_day`); use it when the result depends on
what kind of day it is.
"""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

_clock = pytest.StashKey[time_machine.travel]()


def _test_clock(value: str) -> datetime:
    """ANWEN_TEST_CLOCK as an aware moment; without an offset it is Beijing time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"ANWEN_TEST_CLOCK={value!r} is not an ISO date and time "
            "(e.g. 2031-02-28T07:30:00+08:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def pytest_configure(config: pytest.Config) -> None:
    value = os.environ.get("ANWEN_TEST_CLOCK", "").strip()
    if value:
        traveller = time_machine.travel(_test_clock(value), tick=True)
        traveller.start()
        config.stash[_clock] = traveller
    config.addinivalue_line(
        "markers",
        "day(when): run the test and its fixtures on this date (10:00 in Beijing) or "
        "aware datetime, the clock standing still",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_clock, None)
    if traveller is not None:
        traveller.stop()
        del config.stash[_clock]


def pytest_report_header(config: pytest.Config) -> str | None:
    if _clock in config.stash:
        return f"test clock (ANWEN_TEST_CLOCK): {datetime.now().astimezone().isoformat()}"
    return None


@pytest.fixture(autouse=True)
def _pinned_day(request: pytest.FixtureRequest):
    """The day of `@pytest.mark.day(...)`. Autouse, so it starts before the test's own fixtures
    (the world, a semester around "today") are built."""
    marker = request.node.get_closest_marker("day")
    if marker is None:
        yield
        return
    from anwen.testing.clock import on_day

    (when,) = marker.args
    traveller = (
        time_machine.travel(when, tick=False) if isinstance(when, datetime) else on_day(when)
    )
    with traveller:
        yield


@pytest.fixture
def world(db):
    from anwen.testing.world import build_world

    return build_world()


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""
    from anwen.testing.world import log_in

    def _login(user):
        log_in(client, user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The calendar caches each year's days per process; a test's overrides vanish with its
    transaction, so the cache must too."""
    from anwen.calendar.rules import clear_cache

    clear_cache()
    yield
    clear_cache()
