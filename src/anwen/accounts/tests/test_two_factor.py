import re
import time

import pyotp
import pytest

from anwen.accounts.models import LoginBlock, LoginFailure, User
from anwen.accounts.twofactor import SESSION_KEY
from anwen.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]

CODE_PAGE = "/login/code/"


def secret_on_page(response) -> str:
    text = response.content.decode()
    assert "<svg" in text  # the QR code, inline
    match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', text)
    assert match
    return match.group(1).replace(" ", "")


def enrol(client, password_login) -> pyotp.TOTP:
    password_login("admin")
    totp = pyotp.TOTP(secret_on_page(client.get(CODE_PAGE)))
    response = client.post(CODE_PAGE, {"code": totp.now()})
    assert response.status_code == 302
    return totp


def test_an_admin_is_sent_to_the_code_page_after_the_password(world, password_login, client):
    response = password_login("admin")
    assert response.status_code == 302 and response["Location"].startswith(CODE_PAGE)
    for url in ("/", "/account/", "/orgs/"):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked["Location"].startswith(CODE_PAGE), url
    assert client.session.get(SESSION_KEY) is None


def test_an_admin_enrols_with_a_qr_code_then_reaches_home(world, password_login, client):
    password_login("admin")
    page = client.get(CODE_PAGE)
    assert page.status_code == 200
    secret = secret_on_page(page)
    # Reloading shows the same secret, so a scanned code stays good.
    assert secret_on_page(client.get(CODE_PAGE)) == secret
    assert User.objects.get(username="admin").totp_confirmed_at is None

    key_before = client.session.session_key
    response = client.post(CODE_PAGE, {"code": pyotp.TOTP(secret).now(), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != key_before  # rotated
    assert client.get("/").status_code == 200
    admin = User.objects.get(username="admin")
    assert admin.totp_confirmed_at is not None and admin.totp_secret == secret
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.enrolled", actor_label="admin"
    ).exists()


def test_an_enrolled_admin_logs_in_again_with_a_code(world, password_login, client):
    totp = enrol(client, password_login)
    client.post("/logout/")
    assert client.get("/").status_code == 302

    password_login("admin", next="/account/")
    page = client.get(CODE_PAGE + "?next=/account/")
    assert page.status_code == 200 and "<svg" not in page.content.decode()  # no new enrolment
    assert client.get("/").status_code == 302
    wrong = client.post(CODE_PAGE, {"code": "000000" if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 200 and "Wrong code" in wrong.content.decode()
    # The next step's code is inside the window (valid_window=1), and not used before.
    response = client.post(CODE_PAGE, {"code": totp.at(time.time() + 30), "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/").status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="accounts.login.succeeded", actor_label="admin", data={"factors": 2}
        ).count()
        == 2
    )


def test_a_code_once_used_is_refused(world, password_login, client):
    totp = enrol(client, password_login)
    used = totp.now()
    client.post("/logout/")
    password_login("admin")
    # Still inside the window (one step either side), so only the replay check refuses it.
    response = client.post(CODE_PAGE, {"code": used})
    assert response.status_code == 200 and "used already" in response.content.decode()
    assert client.get("/").status_code == 302


def test_wrong_codes_count_toward_the_lockout(world, password_login, client):
    enrol(client, password_login)
    client.post("/logout/")
    password_login("admin")
    for _ in range(4):
        assert client.post(CODE_PAGE, {"code": "12345x"}).status_code == 200  # not even digits
    for _ in range(4):
        client.post(CODE_PAGE, {"code": "999999"})
    response = client.post(CODE_PAGE, {"code": "999998"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "locked" in client.get("/login/").content.decode()
    assert LoginBlock.objects.filter(scope="pair").exists()
    assert "_auth_user_id" not in client.session
    assert "locked" in password_login("admin").content.decode()  # the right password too


def test_a_known_password_does_not_reset_the_count_of_wrong_codes(world, password_login, client):
    enrol(client, password_login)
    for _ in range(2):
        client.post("/logout/")
        password_login("admin")
        client.post(CODE_PAGE, {"code": "999999"})
        client.post(CODE_PAGE, {"code": "999998"})
    assert LoginFailure.objects.count() == 4


def test_the_code_page_lets_logout_language_static_and_api_through(world, password_login, client):
    password_login("admin")
    assert client.get("/api/v1/me").status_code == 401  # token auth, not a redirect
    static = client.get("/static/anwen/anwen.css")
    assert not (static.status_code == 302 and CODE_PAGE in static["Location"])
    assert (
        client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})["Location"]
        == "/login/"
    )
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_sent_to_the_code_page_as_a_whole_page(world, password_login, client):
    password_login("admin")
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(CODE_PAGE)


def test_a_school_user_is_not_asked_for_a_code(world, password_login, client):
    response = password_login("school")
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get(CODE_PAGE).status_code == 302  # nothing to do there
    assert User.objects.get(username="school").totp_secret == ""


def test_a_new_password_login_asks_for_the_code_again_in_a_verified_session(
    world, login, password_login, client
):
    login(world.users["admin"])  # verified
    assert client.get("/").status_code == 200
    password_login("admin")
    assert client.get("/")["Location"].startswith(CODE_PAGE)
