"""The top bar's narrowing: a bureau or centre user picks one centre or school, every list
follows, the choice sticks for the session, and it never widens what the roles cover."""

import pytest

pytestmark = [pytest.mark.django_db]


def _schools_listed(client) -> str:
    """The school list's table, without the top bar (whose selector names every school)."""
    body = client.get("/orgs/schools/").content.decode()
    return body[body.index("<tbody"):]


def test_bureau_user_narrows_the_lists_to_one_centre_and_back(world, login):
    client = login(world.bureau)
    body = _schools_listed(client)
    assert "永川区金龙中学" in body and "永川区青峰镇中心小学" in body

    response = client.post("/focus/", {"org": world.C1.pk, "next": "/orgs/schools/"})
    assert response.status_code == 302 and response["Location"] == "/orgs/schools/"
    body = _schools_listed(client)
    assert "永川区青峰镇中心小学" in body and "永川区青峰镇幼儿园" in body
    assert "永川区金龙中学" not in body  # S3 sits under the other centre

    client.post("/focus/", {"org": ""})
    assert "永川区金龙中学" in _schools_listed(client)


def test_narrowing_hides_from_lists_but_does_not_break_a_link(world, login):
    client = login(world.bureau)
    client.post("/focus/", {"org": world.S1.pk})
    assert client.get(f"/orgs/{world.S3.pk}/").status_code == 200


def test_the_selector_offers_only_the_users_scope(world, login):
    client = login(world.centre)
    page = client.get("/").content.decode()
    assert 'name="org"' in page and "永川区青峰镇幼儿园" in page
    assert "永川区金龙中学" not in page
    # A school of another centre, another district's school, or an agency cannot be chosen.
    for org in (world.S3, world.S9, world.A1):
        assert client.post("/focus/", {"org": org.pk}).status_code == 404
    assert client.post("/focus/", {"org": "x"}).status_code == 404
    # Their centre is their whole scope: "all" says it, no second "whole centre" entry.
    assert f'value="{world.C1.pk}"' not in page
    assert f'value="{world.S1.pk}"' in page
    bureau_page = login(world.bureau).get("/").content.decode()
    assert f'value="{world.C1.pk}"' in bureau_page


def test_a_school_user_has_nothing_to_narrow(world, login):
    page = login(world.school).get("/").content.decode()
    assert 'name="org"' not in page


def test_focus_refuses_to_redirect_elsewhere(world, login):
    client = login(world.bureau)
    response = client.post("/focus/", {"org": world.C1.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_focus_only_takes_post(world, login):
    assert login(world.bureau).get("/focus/").status_code == 405
