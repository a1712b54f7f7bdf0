import pytest

from anwen.calendar.rules import clear_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test's overrides vanish with its rolled-back transaction; so must the cache."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def platform(db):
    """A platform administrator: an account granted `calendar.manage_national`, no role in
    any org."""
    from django.contrib.auth.models import Permission

    from anwen.accounts.models import User
    from anwen.testing.world import PASSWORD

    user = User.objects.create_user(username="platform", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(codename="manage_national", content_type__app_label="calendar")
    )
    return user
