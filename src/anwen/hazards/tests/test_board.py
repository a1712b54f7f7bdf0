"""The battle map (挂图作战, SM4.2): the district board's figures by grade, centre, campaign theme
and category, open and overdue, each a link to the hazard list that shows that many; the map
layer that colours each school by its worst open hazard; scoping; a constant query count."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.hazards import marks
from anwen.hazards.models import Hazard, HazardState
from anwen.orgs.models import SchoolProfile
from anwen.testing.world import add_schools

DAY = date(2026, 11, 18)  # a Wednesday
BOARD = "/hazards/board/"
MAP = "/maps/data.json?layer=hazards"
# A number of the board: a figure card's or a table cell's link and the figure it shows.
NUMBER = re.compile(r'href="(/hazards/\?[^"]*)"[^>]*>(?:<span class="figure">)?(\d+)')

pytestmark = pytest.mark.day(DAY)


def _hazard(raise_hazard, *, deadline=None, state=None, **kwargs):
    hazard = raise_hazard(**kwargs)
    changes = {}
    if deadline is not None:
        changes["deadline"] = deadline
    if state is not None:
        changes["state"] = state
    if changes:
        Hazard.objects.filter(pk=hazard.pk).update(**changes)
    return hazard


@pytest.fixture
def district(world, raise_hazard):
    """Open at S1 (青峰 centre C1): a major fire hazard and an electrical one, both overdue; at
    S2 (C1): one on time; at S3 (金龙 centre C2): a school-bus one, fixed, awaiting
    verification; a closed one at S3 and one in the other district, which count nowhere."""
    past, later = DAY - timedelta(days=3), DAY + timedelta(days=10)
    _hazard(raise_hazard, title="配电房电缆老化", grade="major", category="fire", deadline=past)
    _hazard(
        raise_hazard,
        title="教室插线板串接",
        category="electrical",
        theme="electrical_fire",
        deadline=past,
    )
    _hazard(raise_hazard, org=world.S2, title="滑梯螺丝松动", category="equipment", deadline=later)
    _hazard(
        raise_hazard,
        org=world.S3,
        title="校车安全锤缺失",
        category="traffic",
        theme="school_bus",
        deadline=past,
        state=HazardState.SUBMITTED,
    )
    _hazard(raise_hazard, org=world.S3, title="已整改的隐患", state=HazardState.CLOSED)
    _hazard(raise_hazard, org=world.S9, title="另一区的隐患", deadline=past)
    return world


def numbers(page: str) -> list[tuple[str, int]]:
    return [(html.unescape(url), int(n)) for url, n in NUMBER.findall(page)]


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def table(page: str, key: str) -> dict[str, tuple[int, int]]:
    """A board table as {row label: (overdue, open)}."""
    start = page.index(f'data-board="{key}"')
    body = page[start : page.index("</table>", start)]
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td[^>]*>(?:<a[^>]*>)?(\d+)(?:</a>)?</td>\s*'
        r"<td[^>]*>(?:<a[^>]*>)?(\d+)",
        body,
    )
    return {html.unescape(label): (int(overdue), int(open_)) for label, overdue, open_ in rows}


@pytest.mark.req("SM4.2")
def test_the_board_counts_open_and_overdue_hazards_and_each_number_opens_that_many(district, login):
    client = login(district.users["bureau"])
    page = client.get(BOARD).content.decode()
    assert "挂图作战" in page
    assert table(page, "grades") == {"重大隐患": (1, 1), "一般隐患": (2, 3)}
    assert table(page, "centres") == {"青峰镇教育管理中心": (2, 3), "金龙镇教育管理中心": (1, 1)}
    themes = table(page, "themes")
    assert themes["电气火灾"] == (1, 1)
    assert themes["校车"] == (1, 1)
    assert themes["在建工地"] == (0, 0)
    categories = table(page, "categories")
    assert categories["消防"] == (1, 1)
    assert categories["设施设备"] == (0, 1)
    # Overdue first: the rows with overdue hazards lead their table.
    assert list(categories)[-1] not in {"消防", "用电", "交通"}
    assert list(table(page, "centres"))[0] == "青峰镇教育管理中心"
    found = numbers(page)
    # Four headline figures, and two per row of each table.
    assert len(found) == 4 + 2 * (2 + 2 + 4 + len(categories))
    assert found[0] == ("/hazards/?overdue=on", 3)  # overdue first, the headline's lead
    assert ("/hazards/?open=on", 4) in found
    assert ("/hazards/?grade=major&open=on", 1) in found
    for url, count in found:
        assert listed(client, url) == count, url


def test_the_map_layer_colours_each_school_by_its_worst_open_hazard(district, login):
    for key, lon in (("S1", "105.90"), ("S2", "105.80"), ("S3", "105.95")):
        SchoolProfile.objects.filter(org=district.orgs[key]).update(
            longitude=Decimal(lon), latitude=Decimal("29.30")
        )
    client = login(district.users["bureau"])
    data = client.get(MAP).json()
    assert data["layer"]["name"] == "hazards"
    assert [lv["label"] for lv in data["levels"]] == [
        "无未销号隐患",
        "已整改待验收",
        "一般隐患整改中",
        "一般隐患逾期",
        "重大隐患未销号",
    ]
    by_id = {s["id"]: s for s in data["schools"]}
    s1, s2, s3 = (by_id[district.orgs[k].pk] for k in ("S1", "S2", "S3"))
    assert s1["level"] == 4
    assert s1["label"] == "重大隐患 1 项，一般隐患 1 项，逾期 2 项"
    assert s1["link"] == f"/hazards/?school={district.S1.pk}&open=on"
    assert s2["level"] == 2 and s2["label"] == "一般隐患 1 项"
    # Fixed but past its deadline while it waits: overdue still, one step above general.
    assert s3["level"] == 3 and s3["label"] == "一般隐患 1 项，逾期 1 项，待验收 1 项"
    # Each point opens its school's open hazards.
    assert [listed(client, s["link"]) for s in (s1, s2, s3)] == [2, 1, 1]


def test_the_provider_levels_and_labels():
    assert marks.level(open=0, major=0, overdue=0, submitted=0) == 0
    assert marks.level(open=2, major=0, overdue=0, submitted=2) == 1  # all fixed, to verify
    assert marks.level(open=2, major=0, overdue=0, submitted=1) == 2
    assert marks.level(open=2, major=0, overdue=1, submitted=0) == 3
    assert marks.level(open=1, major=1, overdue=0, submitted=0) == 4
    assert marks.level(open=1, major=1, overdue=1, submitted=1) == 4


def test_a_school_without_open_hazards_is_green_and_opens_its_whole_list(world, login):
    SchoolProfile.objects.filter(org=world.S2).update(
        longitude=Decimal("105.8"), latitude=Decimal("29.3")
    )
    data = login(world.users["centre"]).get(MAP).json()
    (s2,) = [s for s in data["schools"] if s["id"] == world.S2.pk]
    assert (s2["level"], s2["label"], s2["link"]) == (
        0,
        "无未销号隐患",
        f"/hazards/?school={world.S2.pk}",
    )


@pytest.mark.req("SM4.2")
@pytest.mark.parametrize(
    ("username", "centres", "open_"),
    [
        ("bureau", {"青峰镇教育管理中心", "金龙镇教育管理中心"}, 4),
        ("leader", {"青峰镇教育管理中心", "金龙镇教育管理中心"}, 4),
        ("centre", {"青峰镇教育管理中心"}, 3),
        ("centre2", {"金龙镇教育管理中心"}, 1),
        ("other_bureau", {"另一镇教育管理中心"}, 1),
    ],
)
def test_each_board_holds_the_hazards_of_its_own_scope(district, login, username, centres, open_):
    page = login(district.users[username]).get(BOARD).content.decode()
    assert set(table(page, "centres")) == centres
    assert sum(open_ for _overdue, open_ in table(page, "grades").values()) == open_
    if username == "other_bureau":
        assert "青峰" not in page and "永川" not in page


@pytest.mark.parametrize("username", ["school", "principal", "teacher", "agency"])
def test_a_school_or_an_agency_has_no_board(district, login, username):
    client = login(district.users[username])
    assert client.get(BOARD).status_code == 404
    assert "挂图作战" not in client.get("/").content.decode()


def test_the_board_is_in_the_navigation_of_the_bureau_and_centres(world, login, client):
    for username in ("bureau", "leader", "centre"):
        assert 'href="/hazards/board/"' in login(world.users[username]).get("/").content.decode()
    client.logout()
    assert client.get(BOARD).status_code == 302  # to the login page


def test_the_hazard_list_filters_by_the_centre_that_runs_the_school(district, login):
    client = login(district.users["bureau"])
    assert listed(client, f"/hazards/?centre={district.C1.pk}") == 3
    assert listed(client, f"/hazards/?centre={district.C2.pk}") == 2  # with the closed one
    assert listed(client, f"/hazards/?centre={district.C2.pk}&open=on") == 1
    # Another district's centre is no choice: the filter is refused, nothing of theirs shows.
    response = client.get(f"/hazards/?centre={district.C9.pk}")
    assert "另一区的隐患" not in response.content.decode()
    assert 'name="centre"' in response.content.decode()  # the bureau picks among its centres
    centre = login(district.users["centre"])
    # A centre that is not the user's is refused like a bad filter: their own list, no error.
    response = centre.get(f"/hazards/?centre={district.C2.pk}")
    assert response.status_code == 200
    assert "校车安全锤缺失" not in response.content.decode()
    assert 'name="centre"' not in response.content.decode()  # one centre: nothing to pick


def _queries(client, url) -> int:
    client.get(url)  # warm the process's caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["bureau", "centre"])
def test_the_board_and_its_map_keep_a_constant_query_count(district, login, raise_hazard, username):
    client = login(district.users[username])
    few = _queries(client, BOARD), _queries(client, MAP)
    for n, school in enumerate(add_schools(district, 25, parent="C1")):
        SchoolProfile.objects.filter(org=school).update(
            longitude=Decimal("105.9") + Decimal(n) / 1000, latitude=Decimal("29.3")
        )
        for grade in ("general", "major"):
            _hazard(raise_hazard, org=school, title=f"隐患{n}", grade=grade, deadline=DAY)
    many = _queries(client, BOARD), _queries(client, MAP)
    assert many == few
    assert len(client.get(MAP).json()["schools"]) >= 25


def test_the_schools_a_bureau_runs_itself_have_their_row(district, login, raise_hazard):
    (own,) = add_schools(district, 1, parent="B1", prefix="永川区职业教育中心")
    _hazard(raise_hazard, org=own, title="实训楼电线裸露", deadline=DAY - timedelta(days=1))
    client = login(district.users["bureau"])
    page = client.get(BOARD).content.decode()
    assert table(page, "centres")["永川区教育委员会（直属学校）"] == (1, 1)
    assert (f"/hazards/?centre={district.B1.pk}&overdue=on", 1) in numbers(page)
    assert listed(client, f"/hazards/?centre={district.B1.pk}&open=on") == 1


def test_a_hazard_granted_from_another_centre_counts_but_links_no_foreign_filter(
    district, login, raise_hazard
):
    # The centre's inspector found it at S3, under the other centre: they keep seeing it.
    _hazard(
        raise_hazard,
        org=district.S3,
        title="围墙开裂",
        grant_users=[district.users["centre"]],
        deadline=DAY + timedelta(days=5),
    )
    client = login(district.users["centre"])
    page = client.get(BOARD).content.decode()
    assert table(page, "centres")["金龙镇教育管理中心"] == (0, 1)
    assert f"centre={district.C2.pk}" not in page
    for url, count in numbers(page):
        assert listed(client, url) == count, url


def test_the_map_tells_nobody_more_than_the_hazard_list_would(district, login):
    # The map's colour for S1 says "major hazard" to exactly those whose list shows it (the
    # provider counts through the hazards' own visibility rule, for the user looking).
    SchoolProfile.objects.filter(org=district.S1).update(
        longitude=Decimal("105.90"), latitude=Decimal("29.30")
    )
    checked = []
    for persona in ("teacher", "guard", "principal", "school", "centre", "bureau"):
        client = login(district.users[persona])
        listing = client.get("/hazards/?open=on")
        shown = listing.status_code == 200 and "配电房电缆老化" in listing.content.decode()
        points = {s["id"]: s for s in client.get(MAP).json()["schools"]}
        if district.S1.pk not in points:
            continue
        s1 = points[district.S1.pk]
        assert (s1["level"] == 4) == shown, persona
        checked.append((persona, shown))
    assert any(shown for _p, shown in checked), checked
