import re

import pytest
from django.contrib.auth import get_user_model

from anwen.accounts.models import ApiToken
from anwen.audit.models import AuditEvent
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db]

NEW = "Safer-pass-2027"


def post_password(client, new1, new2=None, old=PASSWORD):
    return client.post(
        "/account/password/",
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.mark.req("PL11")
def test_the_security_page_shows_the_password_form_and_tokens(world, login):
    response = login(world.users["school"]).get("/account/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="new_password1"' in text and "/account/tokens/" in text


@pytest.mark.req("PL11")
@pytest.mark.parametrize("weak", ["Ab1-x", "onlylowercaseletters", "password123"])
def test_a_weak_new_password_is_refused(world, login, weak):
    client = login(world.users["school"])
    response = post_password(client, weak)
    assert response.status_code == 200
    assert response.context["password_form"].errors["new_password2"]
    assert get_user_model().objects.get(username="school").check_password(PASSWORD)


@pytest.mark.req("PL11")
def test_a_wrong_old_password_is_refused(world, login):
    response = post_password(login(world.users["school"]), NEW, old="Not-the-pass-1")
    assert response.context["password_form"].errors["old_password"]


@pytest.mark.req("PL11")
def test_a_good_new_password_is_set_and_the_session_kept(world, login, client):
    login(world.users["school"])
    response = post_password(client, NEW)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/").status_code == 200  # still logged in
    assert get_user_model().objects.get(username="school").check_password(NEW)
    event = AuditEvent.objects.get(action="accounts.password.changed")
    assert event.actor_label == "school" and NEW not in repr(event.data)


def create_token(client, name="nightly export") -> str:
    response = client.post("/account/tokens/", {"name": name})
    assert response.status_code == 200
    match = re.search(r'<code class="token-key">(anw_[\w-]+)</code>', response.content.decode())
    assert match
    return match.group(1)


@pytest.mark.req("PL9", "PL11")
def test_a_token_made_on_the_page_is_shown_once_and_stored_only_as_a_hash(world, login):
    client = login(world.users["school"])
    key = create_token(client)
    token = ApiToken.objects.get(user=world.users["school"])
    assert token.key_hash == ApiToken.hash_key(key) and token.prefix == key[:8]
    assert key not in repr(list(ApiToken.objects.values()))
    page = client.get("/account/").content.decode()
    assert "nightly export" in page and key not in page and f"{key[:8]}…" in page
    assert AuditEvent.objects.filter(action="accounts.token.created", actor_label="school").exists()


@pytest.mark.req("PL9")
def test_a_token_from_the_page_opens_the_api_until_it_is_revoked(world, login, client):
    key = create_token(login(world.users["school"]))
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    me = client.get("/api/v1/me", **bearer)
    assert me.status_code == 200 and me.json()["username"] == "school"
    assert ApiToken.objects.get().last_used_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}x").status_code == 401

    response = client.post("/account/tokens/revoke/", {"token": ApiToken.objects.get().pk})
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get("/api/v1/me", **bearer).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.token.revoked").count() == 1
    # Revoking twice changes nothing: the token is no longer one of the active ones.
    assert (
        client.post("/account/tokens/revoke/", {"token": ApiToken.objects.get().pk}).status_code
        == 404
    )


@pytest.mark.req("PL9")
def test_nobody_can_revoke_another_users_token(world, login):
    create_token(login(world.users["school"]))
    token = ApiToken.objects.get()
    other = login(world.users["bureau"])
    assert other.post("/account/tokens/revoke/", {"token": token.pk}).status_code == 404
    assert other.post("/account/tokens/revoke/", {"token": "x"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.req("PL9")
def test_a_token_needs_a_name(world, login):
    response = login(world.users["school"]).post("/account/tokens/", {"name": ""})
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.mark.req("PL9")
def test_a_token_of_a_deactivated_user_is_refused(world, login, client):
    key = create_token(login(world.users["school"]))
    get_user_model().objects.filter(username="school").update(is_active=False)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
