"""Regression (REVIEW1 item 7): a bureau administrator saw the other district's logins on the
audit trail, because account events carried no org and every bureau saw events tied to none.
Account events now carry the account's own org; events tied to no org are for platform
administrators only."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from anwen.accounts import services as accounts
from anwen.accounts.models import User
from anwen.audit.models import AuditEvent
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


@pytest.fixture
def platform(db) -> User:
    """A platform administrator: granted `calendar.manage_national`, no role in any org."""
    user = User.objects.create_user(username="platform", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(codename="manage_national", content_type__app_label="calendar")
    )
    return user


def log_in_by_form(username: str, password: str = PASSWORD) -> None:
    Client(REMOTE_ADDR="10.9.0.1").post("/login/", {"username": username, "password": password})


@pytest.fixture
def logins(world) -> dict[str, AuditEvent]:
    """Logins through the login page: district A's safety officer, district B's safety officer
    (and a wrong password for district B's bureau officer), and a name nobody has."""
    log_in_by_form("school")
    log_in_by_form("other_school")
    log_in_by_form("other_bureau", "Wrong-pass-1")
    log_in_by_form("nobody-here", "Wrong-pass-1")
    events = AuditEvent.objects.filter(action__startswith="accounts.login.")
    return {
        "a": events.get(actor_label="school", action="accounts.login.succeeded"),
        "b": events.get(actor_label="other_school", action="accounts.login.succeeded"),
        "b_failed": events.get(actor_label="other_bureau", action="accounts.login.failed"),
        "unknown": events.get(actor_label="", action="accounts.login.failed"),
    }


def shown(client, query: str = "") -> list[int]:
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return [event.pk for event in response.context["page"]]


def exported(client) -> list[int]:
    response = client.get("/audit/?format=xlsx")
    assert response.status_code == 200
    return [row[0] for row in sheet_rows(response)[1:]]


def test_login_events_carry_the_accounts_own_org(world, logins):
    assert logins["a"].org_path == world.S1.path
    assert logins["b"].org_path == world.S9.path
    assert logins["b_failed"].org_path == world.B2.path
    assert logins["unknown"].org_path == ""


def test_a_bureau_admin_sees_only_the_own_districts_logins(world, login, logins):
    client = login(world.users["admin"])
    for listed in (shown(client, "?action=accounts."), exported(client)):
        assert logins["a"].pk in listed
        assert logins["b"].pk not in listed
        assert logins["b_failed"].pk not in listed
        assert logins["unknown"].pk not in listed


def test_the_platform_admin_sees_the_failed_login_of_an_unknown_name(
    world, login, logins, platform
):
    client = login(platform)
    listed = shown(client, "?action=accounts.")
    assert logins["unknown"].pk in listed
    # No role in any district: the districts' own events are their auditors'.
    assert logins["a"].pk not in listed and logins["b"].pk not in listed
    assert logins["unknown"].pk in exported(client)
    assert "/audit/" in client.get("/").content.decode()


def test_token_lock_and_password_events_carry_the_accounts_org(world):
    user, admin = world.users["other_school"], world.users["other_bureau"]
    token, _key = accounts.token_create(user=user, name="script", by=user)
    accounts.token_revoke(token=token, by=user)
    accounts.password_change(user=user, new_password="Another-pass-2026")
    accounts.account_deactivate(user=user, by=admin)
    accounts.account_activate(user=user, by=admin)
    events = AuditEvent.objects.filter(action__startswith="accounts.")
    assert set(events.values_list("action", flat=True)) == {
        "accounts.token.created",
        "accounts.token.revoked",
        "accounts.password.changed",
        "accounts.account.deactivated",
        "accounts.account.activated",
    }
    assert set(events.values_list("org_path", flat=True)) == {world.S9.path}
