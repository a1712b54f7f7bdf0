"""An administrator's lock (deactivation) ends the account's sessions and suspends its API
tokens; a lockout after failed logins refuses new logins only (a stranger can cause one); an
administrator's token needs a confirmed second factor."""

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
            "/login/", {"username": username, "password": "Wrong-pass-1"}
        )


@pytest.mark.req("PL11", "PL9")
def test_a_lockout_refuses_new_logins_but_leaves_the_open_session_and_tokens(
    world, login, client, settings
):
    # Regression: 4 wrong passwords from each of 13 addresses locked `bureau` and threw its
    # logged-in owner out. Anyone can type wrong passwords for a name, so a lockout only
    # refuses new logins; the owner's session and scripts keep working.
    settings.ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS = 6
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False) as traveller:
        login(world.users["school"])
        key, _page = create_token(client)
        assert client.get("/").status_code == 200 and me(key) == 200

        fail_from_many_addresses("school", 6)
        assert User.objects.get(username="school").is_locked()
        assert client.get("/").status_code == 200
        assert me(key) == 200
        refused = Client(REMOTE_ADDR="10.21.0.1").post(
            "/login/", {"username": "school", "password": PASSWORD}
        )
        assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session

        # When the lock ends a new login works.
        traveller.shift(timedelta(minutes=settings.ANWEN_LOCKOUT_MINUTES, seconds=1))
        assert (
            Client(REMOTE_ADDR="10.21.0.1")
            .post("/login/", {"username": "school", "password": PASSWORD})
            .status_code
            == 302
        )


@pytest.mark.req("PL11", "PL9")
def test_a_stranger_failing_from_many_addresses_does_not_end_the_owners_session(
    world, login, client
):
    # 4 tries from each of 13 addresses: no pair refusal, 52 ≥ the account limit of 50.
    login(world.users["school"])
    key, _page = create_token(client)
    for n in range(13):
        for _ in range(4):
            Client(REMOTE_ADDR=f"10.40.0.{n}").post(
                "/login/", {"username": "school", "password": "Wrong-pass-1"}
            )
    assert User.objects.get(username="school").is_locked()
    assert client.get("/").status_code == 200 and me(key) == 200
    assert User.objects.get(username="school").session_epoch == 0


@pytest.mark.req("PL11", "PL9")
def test_a_stranger_locking_himself_out_leaves_the_owners_session_and_tokens(world, login, client):
    login(world.users["school"])
    key, _page = create_token(client)
    stranger = Client(REMOTE_ADDR="10.30.0.1")
    for _ in range(6):
        stranger.post("/login/", {"username": "school", "password": "Wrong-pass-1"})
    assert client.get("/").status_code == 200 and me(key) == 200


@pytest.mark.req("PL11", "PL9")
def test_an_administrator_deactivating_an_account_ends_its_sessions_and_tokens(
    world, login, client
):
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
def test_a_token_stops_working_when_its_user_needs_a_second_factor_not_yet_confirmed(
    world, login, client
):
    school = world.users["school"]
    key, _page = create_token(login(school))
    assert me(key) == 200
    org_services.role_assign(user=school, org=world.orgs["B1"], role=RoleName.BUREAU_ADMIN)
    assert me(key) == 401
    User.objects.filter(pk=school.pk).update(
        totp_secret="JBSWY3DPEHPK3PXP", totp_confirmed_at=timezone.now()
    )
    assert me(key) == 200
