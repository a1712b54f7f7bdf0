"""The map's data: the schools a user sees, placed by their coordinates, marked by a provider
another engine registers, the unplaced ones listed apart; the query count does not grow with
the district."""

from decimal import Decimal

import pytest

from anwen.maps import marks
from anwen.maps.tests.geo import collection, polygon, upload
from anwen.orgs.models import SchoolProfile
from anwen.testing.world import add_schools

pytestmark = pytest.mark.django_db

URL = "/maps/data.json"


def place(world, key, lon, lat):
    SchoolProfile.objects.filter(org=world.orgs[key]).update(
        longitude=Decimal(lon), latitude=Decimal(lat)
    )


@pytest.fixture
def placed(world):
    place(world, "S1", "105.927001", "29.356001")
    place(world, "S2", "105.880000", "29.300000")
    place(world, "S9", "106.500000", "29.500000")  # the other district's
    return world


def names(data):
    return {s["name"] for s in data["schools"]}, {s["name"] for s in data["unplaced"]}


@pytest.mark.req("PL2")
@pytest.mark.parametrize(
    ("username", "on_map", "beside"),
    [
        ("bureau", {"永川区青峰镇中心小学", "永川区青峰镇幼儿园"}, {"永川区金龙中学"}),
        ("centre", {"永川区青峰镇中心小学", "永川区青峰镇幼儿园"}, set()),
        ("centre2", set(), {"永川区金龙中学"}),
        ("school", {"永川区青峰镇中心小学"}, set()),
        ("teacher", {"永川区青峰镇中心小学"}, set()),
        ("agency", set(), set()),
        ("other_bureau", {"另一区第一小学"}, set()),
    ],
)
def test_each_user_sees_the_schools_of_their_scope(placed, login, username, on_map, beside):
    data = login(placed.users[username]).get(URL).json()
    assert names(data) == (on_map, beside)


def test_a_point_has_its_coordinates_link_and_a_plain_level_without_provider(placed, login):
    data = login(placed.users["bureau"]).get(URL).json()
    s1 = next(s for s in data["schools"] if s["id"] == placed.S1.pk)
    assert (s1["lon"], s1["lat"]) == (105.927001, 29.356001)
    assert s1["link"] == f"/orgs/{placed.S1.pk}/"
    assert s1["level"] == 0
    assert data["layer"] is None
    assert data["levels"] == [
        {"level": 0, "label": "学校", "colour": "#5f6b7a", "symbol": "circle"}
    ]
    assert data["boundary"] is None


def test_a_registered_provider_colours_the_points(placed, login):
    seen = []

    def worst(org, schools):
        seen.append((org, [s.pk for s in schools]))
        return {
            placed.S1.pk: marks.Mark(level=9, label="重大隐患 1 项", link="/hazards/?school=1"),
            placed.S2.pk: marks.Mark(level=2, label="一般隐患 3 项"),
        }

    marks.register("test.worst", worst, label="最严重的未整改隐患")
    try:
        client = login(placed.users["bureau"])
        data = client.get(URL, {"org": placed.C1.pk}).json()
        page = client.get("/maps/", {"org": placed.C1.pk})
    finally:
        marks.unregister("test.worst")
    assert seen[0] == (placed.C1, [placed.S1.pk, placed.S2.pk])
    by_id = {s["id"]: s for s in data["schools"]}
    assert by_id[placed.S1.pk]["level"] == 4  # clamped to the scale
    assert by_id[placed.S1.pk]["link"] == "/hazards/?school=1"
    assert by_id[placed.S2.pk]["label"] == "一般隐患 3 项"
    assert by_id[placed.S2.pk]["link"] == f"/orgs/{placed.S2.pk}/"
    assert [lv["label"] for lv in data["levels"]] == ["无", "低", "一般", "较大", "重大"]
    assert [lv["colour"] for lv in data["levels"]][1:] == [
        "#1e6fd9",
        "#c9a400",
        "#e67e22",
        "#c62828",
    ]
    assert data["layer"] == {"name": "test.worst", "label": "最严重的未整改隐患"}
    assert "最严重的未整改隐患" in page.content.decode()


def test_the_boundary_of_the_users_district_is_named_for_the_map(placed, login):
    admin = login(placed.users["admin"])
    admin.post("/maps/boundary/", {"org": placed.B1.pk, "file": upload(collection(polygon()))})
    for username in ("bureau", "centre", "school"):
        data = login(placed.users[username]).get(URL).json()
        assert data["boundary"]["url"] == f"/maps/boundary/{placed.B1.pk}.json", username
    assert login(placed.users["other_bureau"]).get(URL).json()["boundary"] is None


def test_a_map_of_another_districts_org_is_not_found(placed, login):
    client = login(placed.users["bureau"])
    assert client.get(URL, {"org": placed.S9.pk}).status_code == 404
    assert client.get("/maps/", {"org": placed.C9.pk}).status_code == 404
    assert client.get(URL, {"org": "abc"}).status_code == 404
    school = login(placed.users["school"])
    assert school.get(URL, {"org": placed.S2.pk}).status_code == 404


def test_the_page_lists_the_schools_without_coordinates(placed, login):
    page = login(placed.users["bureau"]).get("/maps/").content.decode()
    assert "未标注坐标的学校" in page
    aside = page[page.index("map-side") :]
    assert "永川区金龙中学" in aside
    assert "永川区青峰镇幼儿园" not in aside
    assert "/static/vendor/echarts/echarts-" in page
    assert "<script>" not in page  # everything from static files: the CSP allows no inline script


@pytest.mark.parametrize("username", ["bureau", "centre", "school"])
def test_the_map_data_asks_the_same_queries_in_a_bigger_district(placed, login, username):
    calls = []

    def provider(org, schools):
        calls.append(len(schools))
        return {}

    marks.register("test.count", provider, label="计数")
    try:
        client = login(placed.users[username])
        client.get(URL)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(URL)
            client.get("/maps/")
        for n, school in enumerate(add_schools(placed, 60, parent="C1")):
            SchoolProfile.objects.filter(org=school).update(
                longitude=Decimal("105.9") + Decimal(n) / 1000, latitude=Decimal("29.3")
            )
        with CaptureQueriesContext(connection) as big:
            data = client.get(URL).json()
            client.get("/maps/")
    finally:
        marks.unregister("test.count")
    assert len(big) == len(small)
    if username != "school":
        assert len(data["schools"]) >= 60
        assert calls[-1] > calls[0]
