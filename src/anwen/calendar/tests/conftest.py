import pytest

from anwen.calendar.rules import clear_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test's overrides vanish with its rolled-back transaction; so must the cache."""
    clear_cache()
    yield
    clear_cache()
