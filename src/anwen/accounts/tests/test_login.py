import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from anwen.accounts.models import LoginBlock, LoginFailure, User
from anwen.audit.models import AuditEvent
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]

GENERIC = "Wrong username or password."


def page_text(response) -> str:
    return response.content.decode()


def fail(password_login, username, times):
    for _ in range(times):
        response = password_login(username, "Wrong-pass-1")
    return response


def test_the_right_password_logs_in_and_goes_home(world, password_login, client):
    response = password_login("school")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.login.succeeded", actor_label="school"
    ).exists()


def test_a_wrong_password_gets_the_generic_message(world, password_login):
    response = password_login("school", "Wrong-pass-1")
    assert response.status_code == 200
    assert GENERIC in page_text(response)
    assert LoginFailure.objects.filter(ip="127.0.0.1").count() == 1


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(world, password_login):
    unknown = password_login("nobody", "Wrong-pass-1")
    wrong = password_login("school", "Wrong-pass-1")
    assert GENERIC in page_text(unknown)
    errors = lambda r: r.context["form"].non_field_errors()  # noqa: E731
    assert errors(unknown) == errors(wrong) == [GENERIC]
    assert "locked" not in page_text(unknown)


def test_five_failures_refuse_the_name_from_that_address_and_the_right_password_too(
    world, password_login, client
):
    fail(password_login, "school", 5)
    block = LoginBlock.objects.get(scope="pair")
    assert timedelta(minutes=14) < block.until - timezone.now() <= timedelta(minutes=15)
    # Only from this address: the account itself is not locked for everyone.
    assert not User.objects.get(username="school").is_locked()

    response = password_login("school")  # the right password
    assert response.status_code == 200
    text = page_text(response)
    assert "locked" in text and timezone.localtime(block.until).strftime("%H:%M") in text
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_fifth_failure_itself_says_the_account_is_locked(world, password_login):
    fail(password_login, "school", 4)
    response = password_login("school", "Wrong-pass-1")
    assert "locked" in page_text(response)
    assert GENERIC not in page_text(response)


def test_after_the_lock_time_the_right_password_works_again(world, password_login, client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(password_login, "school", 5)
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = password_login("school")
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        assert not LoginFailure.objects.exists()


def test_a_success_resets_the_failure_count(world, password_login):
    fail(password_login, "school", 4)
    assert LoginFailure.objects.count() == 4
    password_login("school")
    assert LoginFailure.objects.count() == 0
    # So four more failures do not lock.
    fail(password_login, "school", 4)
    assert password_login("school").status_code == 302


def test_a_lock_of_one_account_leaves_the_others_alone(world, password_login, client):
    fail(password_login, "school", 5)
    assert password_login("teacher").status_code == 302


WRONG = "Wrong-pass-1"


def post_from(address, username, password=WRONG):
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post("/login/", {"username": username, "password": password})


def test_a_stranger_cannot_lock_the_owner_out_from_their_own_network(world):
    for _ in range(8):
        post_from("10.9.9.9", "school")
    assert "locked" in page_text(post_from("10.9.9.9", "school", PASSWORD))
    assert post_from("10.1.1.1", "school", PASSWORD).status_code == 302
    assert not User.objects.get(username="school").is_locked()


def test_an_unknown_name_gets_the_same_answers_as_a_known_one(world):
    with time_machine.travel(timezone.now(), tick=False):
        answers = {}
        for name in ("school", "nobody"):
            answers[name] = [post_from("10.2.2.2", name) for _ in range(6)]
        for known, unknown in zip(answers["school"], answers["nobody"], strict=True):
            assert known.status_code == unknown.status_code == 200
            errors = lambda r: r.context["form"].non_field_errors()  # noqa: E731
            assert errors(known) == errors(unknown)
        assert errors(answers["nobody"][4])[0].startswith("This account is locked")
        assert errors(answers["nobody"][0]) == [GENERIC]


def test_many_failures_from_one_address_refuse_that_address_only(world, settings):
    settings.ANWEN_LOCKOUT_ADDRESS_ATTEMPTS = 6
    for name in ("a1", "a2", "a3", "a4", "a5", "school"):
        post_from("10.3.3.3", name)
    refused = post_from("10.3.3.3", "teacher", PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed attempts from this network address" in page_text(refused)
    assert post_from("10.4.4.4", "teacher", PASSWORD).status_code == 302
    assert (
        AuditEvent.objects.filter(action="accounts.login.address_blocked", ip="10.3.3.3").count()
        == 1
    )


def test_failures_from_many_addresses_lock_the_account_for_everyone(world, settings):
    settings.ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS = 6
    for n in range(6):
        post_from(f"10.5.5.{n}", "school")
    assert User.objects.get(username="school").is_locked()
    assert "locked" in page_text(post_from("10.6.6.6", "school", PASSWORD))
    # And an unknown name is refused everywhere after as many failures, in the same words.
    for n in range(6):
        post_from(f"10.7.7.{n}", "nobody")
    # One refusal of each name everywhere (the known one is also marked on the user row).
    assert LoginBlock.objects.filter(scope="name").count() == 2
    assert "locked" in page_text(post_from("10.8.8.8", "nobody"))


def test_logins_and_lockouts_are_audited_without_the_password(world, password_login):
    password_login("nobody", "Secret-guess-1")
    fail(password_login, "school", 5)
    password_login("teacher")
    actions = list(AuditEvent.objects.values_list("action", "actor_label", "data"))
    import hashlib

    digest = hashlib.sha256(b"nobody").hexdigest()[:16]
    assert (
        "accounts.login.failed",
        "",
        {"reason": "unknown_user", "username_sha256": digest},
    ) in actions
    assert sum(1 for a, who, _d in actions if a == "accounts.login.failed" and who == "school") == 5
    assert any(
        a == "accounts.login.locked" and who == "school" and d["scope"] == "address"
        for a, who, d in actions
    )
    assert any(a == "accounts.login.succeeded" and who == "teacher" for a, who, _d in actions)
    dump = repr(actions)
    assert "Wrong-pass-1" not in dump and "Secret-guess-1" not in dump and PASSWORD not in dump


def test_a_safe_next_is_followed(world, password_login):
    response = password_login("school", next="/account/")
    assert response["Location"] == "/account/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_an_outside_next_is_ignored(world, password_login, next_url):
    response = password_login("school", next=next_url)
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_login_page_carries_next_through_the_form(world, client):
    text = page_text(client.get("/login/?next=/account/"))
    assert 'name="next" value="/account/"' in text
    assert 'name="next" value="https' not in page_text(
        client.get("/login/?next=https://evil.example/")
    )


def test_the_demo_notice_and_password_show_only_in_the_demo(world, client, settings):
    settings.DEMO = False
    text = page_text(client.get("/login/"))
    assert "demo-note" not in text and "anwen-demo" not in text
    settings.DEMO = True
    text = page_text(client.get("/login/"))
    assert "demo-note" in text and "anwen-demo" in text
    assert "Demo data: the schools, people and events are invented." in text


def test_the_login_page_is_built_for_phones_and_desks(world, client):
    text = page_text(client.get("/login/"))
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in text
    assert 'class="login-page"' in text and 'class="login-box"' in text
    assert 'autocomplete="current-password"' in text


def test_a_post_to_login_without_a_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "school", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_post_to_login_with_the_csrf_token_works(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text(page)).group(1)
    response = client.post(
        "/login/", {"username": "school", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_content_security_policy_forbids_inline_script_and_outside_hosts(world, client, login):
    for response in (client.get("/login/"), login(world.users["school"]).get("/account/")):
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert not re.search(r"https?:|\*", policy)
        # And the page itself has no inline script to be blocked.
        assert not re.search(r"<script(?![^>]*\bsrc=)", page_text(response))


def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled_not_the_proxy(world, settings):
    settings.ANWEN_TRUSTED_PROXIES = 1

    def post(forwarded, password=WRONG):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client.post("/login/", {"username": "school", "password": password})

    for _ in range(5):
        # A client's own claim (the left entry) changes nothing: the proxy saw 203.0.113.9.
        post("1.2.3.4, 203.0.113.9")
    assert "locked" in page_text(post("203.0.113.9", PASSWORD))
    assert post("198.51.100.7", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login.locked", ip="203.0.113.9").exists()


def test_five_tries_per_name_still_reach_the_address_limit(world):
    # Regression: each pair refusal deleted the failures the address count reads, so 5 wrong
    # passwords for each of 20 names from one address (100 failures) never refused it.
    for n in range(7):
        for _ in range(5):
            post_from("10.9.9.9", f"ghost{n}")
    assert LoginBlock.objects.filter(scope="address", key="10.9.9.9").exists()
    refused = post_from("10.9.9.9", "teacher", PASSWORD)
    assert "Too many failed attempts from this network address" in page_text(refused)
    assert post_from("10.9.9.10", "teacher", PASSWORD).status_code == 302


def test_five_tries_per_address_still_reach_the_account_limit(world):
    # Regression: the same deletion kept 5 tries from each of 20 addresses (100 at one
    # account) below the account limit of 50.
    for n in range(10):
        for _ in range(5):
            post_from(f"10.30.0.{n}", "bureau")
    assert User.objects.get(username="bureau").is_locked()
    assert "locked" in page_text(post_from("10.31.0.1", "bureau", PASSWORD))


def test_after_a_refusal_ends_each_limit_counts_afresh(world, settings):
    settings.ANWEN_LOCKOUT_WINDOW_MINUTES = 60
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False) as traveller:
        for _ in range(5):
            post_from("10.9.9.9", "school")
        traveller.shift(timedelta(minutes=16))
        # The five counted ones are still in the window but do not count a second time.
        for _ in range(4):
            post_from("10.9.9.9", "school")
        assert post_from("10.9.9.9", "school", PASSWORD).status_code == 302
