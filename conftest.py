import pytest


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
