"""The top bar's narrowing: a bureau or centre user picks one centre or school, every list
follows, the choice sticks for the session, and it never widens what the roles cover."""

import pytest

pytestmark = [pytest.mark.django_db]


def _schools_listed(client) -> str:
    """The school list's table, without the top bar."""
    body = client.get("/orgs/schools/").content.decode()
    return body[body.index("<tbody") :]


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


def _search(client, q="", **headers) -> str:
    return client.get(
        "/focus/search/", {"q": q, "next": "/orgs/schools/"}, **headers
    ).content.decode()


def test_the_search_offers_only_the_users_scope(world, login):
    client = login(world.centre)
    page = _search(client)
    assert 'name="org"' in page and "永川区青峰镇幼儿园" in page
    assert "永川区金龙中学" not in page
    # A school of another centre, another district's school, or an agency cannot be chosen.
    for org in (world.S3, world.S9, world.A1):
        assert client.post("/focus/", {"org": org.pk}).status_code == 404
    assert client.post("/focus/", {"org": "x"}).status_code == 404
    # Their centre is their whole scope: "all" says it, it is not offered as a choice.
    assert f'value="{world.C1.pk}"' not in page
    assert f'value="{world.S1.pk}"' in page
    assert f'value="{world.C1.pk}"' in _search(login(world.bureau))


@pytest.mark.req("PL2")
def test_typing_a_name_finds_the_school_and_picking_it_sticks(world, login):
    client = login(world.bureau)
    dropdown = _search(client, "金龙", HTTP_HX_REQUEST="true")
    assert "<html" not in dropdown  # htmx gets the matches alone
    assert "永川区金龙中学" in dropdown and "永川区青峰镇中心小学" not in dropdown
    assert 'name="next" value="/orgs/schools/"' in dropdown
    client.post("/focus/", {"org": world.S3.pk, "next": "/orgs/schools/"})
    body = _schools_listed(client)
    assert "永川区金龙中学" in body and "永川区青峰镇中心小学" not in body
    # The top bar says what is shown and offers the way back to all.
    home = client.get("/").content.decode()
    topbar = home[home.index('<header class="topbar">') : home.index("</header>")]
    assert "永川区金龙中学" in topbar and 'name="org" value=""' in topbar


def test_without_javascript_the_search_is_a_page_of_results(world, login):
    client = login(world.bureau)
    page = _search(client, "S1")  # a code matches too
    assert "<html" in page and 'class="sidenav"' in page
    assert f'value="{world.S1.pk}"' in page and f'value="{world.S3.pk}"' not in page
    assert "永川区青峰镇中心小学" in page
    assert "没有" in _search(client, "不存在的学校")


def test_a_school_user_cannot_search_to_narrow(world, login):
    assert login(world.school).get("/focus/search/").status_code == 404


@pytest.mark.req("PL2")
def test_the_top_bar_does_not_grow_with_the_number_of_schools(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anwen.orgs import services
    from anwen.orgs.models import OrgKind

    client = login(world.bureau)

    def topbar():
        with CaptureQueriesContext(connection) as queries:
            home = client.get("/inbox/").content.decode()
        return home[home.index('<header class="topbar">') : home.index("</header>")], len(queries)

    before, queries_before = topbar()
    for n in range(60):
        services.org_create(
            kind=OrgKind.SCHOOL, name=f"永川区测试第{n}小学", code=f"T{n:03}", parent=world.C2
        )
    after, queries_after = topbar()
    assert len(after) == len(before) and "测试第" not in after
    assert queries_after == queries_before


def test_a_school_user_has_nothing_to_narrow(world, login):
    page = login(world.school).get("/").content.decode()
    assert 'name="org"' not in page


def test_focus_refuses_to_redirect_elsewhere(world, login):
    client = login(world.bureau)
    response = client.post("/focus/", {"org": world.C1.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_focus_only_takes_post(world, login):
    assert login(world.bureau).get("/focus/").status_code == 405
