"""The school map in a real browser: ECharts from the project's own static files draws the
uploaded boundary and a point per placed school, coloured by the registered provider, under
the strict CSP; it fits a 1920×1080 projector and a 390 px phone."""

from decimal import Decimal

import pytest

from anwen.demo.district import DEMO_PASSWORD, build_district
from anwen.maps import marks
from anwen.maps.tests.geo import collection, polygon

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser

OPTION = """() => {
    const box = document.getElementById("school-map");
    const chart = echarts.getInstanceByDom(box);
    const option = chart.getOption();
    return {
        canvas: !!box.querySelector("canvas"),
        geo: (option.geo || []).map((g) => g.map),
        series: option.series.map((s) => ({name: s.name, colour: s.itemStyle.color,
                                           points: s.data.map((d) => d.name)})),
        legend: option.legend[0].data || option.series.map((s) => s.name),
        scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
        view: [window.innerWidth, window.innerHeight],
    };
}"""


@pytest.fixture
def live_map(transactional_db):
    import json

    from django.core.files.base import ContentFile

    from anwen.maps import services
    from anwen.orgs.models import SchoolProfile
    from anwen.testing.world import build_world

    world = build_world()
    for key, lon, lat in (("S1", "105.927", "29.356"), ("S2", "105.80", "29.25")):
        SchoolProfile.objects.filter(org=world.orgs[key]).update(
            longitude=Decimal(lon), latitude=Decimal(lat)
        )
    square = collection(polygon(), names=["示例区"])
    services.boundary_upload(
        bureau=world.B1,
        file=ContentFile(json.dumps(square).encode(), name="示例区.geojson"),
        by=world.users["admin"],
    )
    s1 = world.S1.pk

    def worst(user, org, schools):
        return {s1: marks.Mark(level=4, label="重大隐患 1 项")}

    marks.register("test.browser", worst, label="最严重的未整改隐患")
    yield world
    marks.unregister("test.browser")


def test_the_map_draws_the_boundary_and_a_coloured_point_per_school(live_server, live_map, page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/maps/")
    page.wait_for_selector("#school-map[data-state=ready]")
    drawn = page.evaluate(OPTION)
    screenshot(page, "maps-projector")
    assert drawn["canvas"]
    assert drawn["geo"] == ["anwen-district"]
    by_name = {s["name"]: s for s in drawn["series"]}
    assert by_name["重大"]["points"] == ["永川区青峰镇中心小学"]
    assert by_name["重大"]["colour"] == "#c62828"
    assert by_name["无"]["points"] == ["永川区青峰镇幼儿园"]
    assert list(by_name) == ["无", "低", "一般", "较大", "重大"]
    assert drawn["scroll"] == drawn["view"]  # a projector shows it whole, nothing scrolls
    assert "永川区金龙中学" in page.inner_text(".map-side")  # no coordinates: listed beside
    assert not errors, errors  # no CSP refusal, no script error

    # A click on a point opens its school.
    chart_box = page.locator("#school-map").bounding_box()
    pixel = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("school-map"))
                   .convertToPixel({geoIndex: 0}, [105.927, 29.356])"""
    )
    # A pin stands on its point: click its head, a little above.
    page.mouse.click(chart_box["x"] + pixel[0], chart_box["y"] + pixel[1] - 8)
    page.wait_for_url(f"{live_server.url}/orgs/{live_map.S1.pk}/")


def test_without_a_boundary_a_school_sees_its_point_on_a_plain_frame(
    live_server, live_map, phone_page
):
    from anwen.maps.models import Boundary

    Boundary.objects.all().delete()
    page = phone_page
    log_in(page, live_server.url, "school")
    page.goto(f"{live_server.url}/maps/")
    page.wait_for_selector("#school-map[data-state=ready]")
    drawn = page.evaluate(OPTION)
    screenshot(page, "maps-phone")
    assert drawn["canvas"]
    assert drawn["geo"] == []
    placed = [p for s in drawn["series"] for p in s["points"]]
    assert placed == ["永川区青峰镇中心小学"]  # its own school only
    assert drawn["scroll"][0] <= 390  # nothing scrolls sideways


@pytest.fixture
def live_demo(transactional_db):

    return build_district(schools=120)


def test_the_demo_districts_schools_fill_a_projector(live_server, live_demo, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "bureau")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/maps/")
    page.wait_for_selector("#school-map[data-state=ready]")
    drawn = page.evaluate(OPTION)
    screenshot(page, "maps-demo-projector")
    assert sum(len(s["points"]) for s in drawn["series"]) == 120
    assert drawn["scroll"] == drawn["view"]


def test_names_in_the_right_part_of_the_map_are_written_to_the_left(live_server, live_map, page):
    """A label right of a point near the east edge ran past the chart and was cut off (walk
    8): there the name goes to the left of its point, elsewhere to the right."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/maps/")
    page.wait_for_selector("#school-map[data-state=ready]")
    sides = page.evaluate(
        """() => Object.fromEntries(echarts.getInstanceByDom(document.getElementById("school-map"))
                 .getOption().series.flatMap((s) => s.data.map((d) => [d.name, d.label.position])))"""
    )
    screenshot(page, "maps-labels-projector")
    assert sides == {"永川区青峰镇中心小学": "left", "永川区青峰镇幼儿园": "right"}
