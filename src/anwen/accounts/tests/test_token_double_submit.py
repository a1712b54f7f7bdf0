"""PL9, PL11: the "create API token" form sent twice, or twenty times at once, makes one token;
the resent form says the token exists and shows no key (a second working credential nobody saw
would stay live until revoked)."""

import re

import pytest

from anwen.accounts.models import ApiToken
from anwen.testing.concurrency import post_at_once

pytestmark = pytest.mark.req("PL9", "PL11")

KEY = re.compile(r'<code class="token-key">anw_')


def _token(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, "the token form carries no one-time token"
    return match.group(1)


@pytest.mark.django_db
def test_a_token_form_sent_twice_makes_one_token_and_shows_no_second_key(world, login):
    client = login(world.users["school"])
    data = {"once": _token(client.get("/account/").content.decode()), "name": "脚本"}
    first = client.post("/account/tokens/", data)
    assert first.status_code == 200 and KEY.search(first.content.decode())
    again = client.post("/account/tokens/", data, follow=True)
    page = again.content.decode()
    assert again.status_code == 200 and not KEY.search(page)
    assert "already created" in page or "已创建" in page
    assert ApiToken.objects.filter(user=world.users["school"]).count() == 1
    # The page after a creation is a new form: it makes a second token.
    data["once"] = _token(first.content.decode())
    assert KEY.search(client.post("/account/tokens/", data).content.decode())
    assert ApiToken.objects.filter(user=world.users["school"]).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_token_forms_at_once_make_one_token(world, login):
    user = world.users["teacher"]
    token = _token(login(user).get("/account/").content.decode())
    statuses = post_at_once(user, "/account/tokens/", {"once": token, "name": "脚本"})
    assert set(statuses) <= {200, 302} and statuses.count(200) == 1
    assert ApiToken.objects.filter(user=user).count() == 1
