"""A lock (after failed logins, or an administrator's) ends the account's sessions and
suspends its API tokens; an administrator's token needs a confirmed second factor."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from anwen.accounts.models import ApiToken, User
from anwen.audit.models import AuditEvent
from anwen.orgs import services as org_services
from anwen.orgs.roles import RoleName
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db]


def create_token(client, name="nightly export"):
    response = client.post("/account/tokens/", {"name": name})
    match = re.search(r'<code class="token-key">(anw_[\w-]+)</code>', response.content.decode())
    return match.group(1) if match else None, response


def me(key):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def fail_from_many_addresses(username, times):
    for n in range(times):
        Client(REMOTE_ADDR=f"10.20.0.{n}").post(
            "/login/", {"username": username, "password": "Wrong-pass-1"})


@pytest.mark.req("PL11", "PL9")
def test_a_lockout_ends_the_open_session_and_suspends_tokens_until_it_ends(world, login, client, settings):
    settings.ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS = 6
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(world.users["school"])
        key, _page = create_token(client)
        assert client.get("/").status_code == 200 and me(key) == 200

        fail_from_many_addresses("school", 6)
        assert User.objects.get(username="school").is_locked()
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert me(key) == 401

        # Suspended, not revoked: when the lock ends the owner's scripts work again.
        traveller.shift(timedelta(minutes=settings.ANWEN_LOCKOUT_MINUTES, seconds=1))
        assert me(key) == 200
        assert ApiToken.objects.get().revoked_at is None
        # The ended session stays ended; a new login works.
        assert client.get("/").status_code == 302
        assert client.post("/login/", {"username": "school", "password": PASSWORD}).status_code == 302


@pytest.mark.req("PL11", "PL9")
def test_a_stranger_locking_himself_out_leaves_the_owners_session_and_tokens(world, login, client):
    login(world.users["school"])
    key, _page = create_token(client)
    stranger = Client(REMOTE_ADDR="10.30.0.1")
    for _ in range(6):
        stranger.post("/login/", {"username": "school", "password": "Wrong-pass-1"})
    assert client.get("/").status_code == 200 and me(key) == 200


@pytest.mark.req("PL11", "PL9")
def test_an_administrator_deactivating_an_account_ends_its_sessions_and_tokens(world, login, client):
    login(world.users["school"])
    key, _page = create_token(client)
    out = StringIO()
    call_command("account", "deactivate", "school", stdout=out)
    assert "done" in out.getvalue()
    assert client.get("/")["Location"].startswith("/login/")
    assert me(key) == 401
    call_command("account", "activate", "school", stdout=StringIO())
    assert me(key) == 200
    assert AuditEvent.objects.filter(action="accounts.account.deactivated").count() == 1
    assert AuditEvent.objects.filter(action="accounts.account.activated").count() == 1


@pytest.mark.req("PL11")
def test_unlock_ends_a_lockout_before_its_time(world, password_login):
    for _ in range(5):
        password_login("school", "Wrong-pass-1")
    assert "locked" in password_login("school").content.decode()
    call_command("account", "unlock", "school", stdout=StringIO())
    assert password_login("school").status_code == 302


@pytest.mark.req("PL11", "PL9")
def test_an_administrator_without_a_confirmed_second_factor_gets_no_token(world, login, client):
    admin = world.users["admin"]
    assert admin.totp_confirmed_at is None
    _key, response = create_token(login(admin))
    assert response.status_code == 200 and _key is None
    assert "Set up the authenticator app" in response.content.decode()
    assert not ApiToken.objects.exists()
    with pytest.raises(CommandError, match="authenticator"):
        call_command("token", "create", "admin", "--name", "x", stdout=StringIO())


@pytest.mark.req("PL11", "PL9")
def test_a_token_stops_working_when_its_user_needs_a_second_factor_not_yet_confirmed(world, login, client):
    school = world.users["school"]
    key, _page = create_token(login(school))
    assert me(key) == 200
    org_services.role_assign(user=school, org=world.orgs["B1"], role=RoleName.BUREAU_ADMIN)
    assert me(key) == 401
    User.objects.filter(pk=school.pk).update(totp_secret="JBSWY3DPEHPK3PXP",
                                             totp_confirmed_at=timezone.now())
    assert me(key) == 200
