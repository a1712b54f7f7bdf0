"""The battle map in a real browser: the board and the school map coloured by the hazards
layer fill a 1920×1080 projector without scrolling, with the demo district's 23 centres too;
on a 390 px phone it stacks, nothing scrolls sideways; a click on a point opens that school's
hazard list."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from anwen.demo.district import DEMO_PASSWORD, build_district
from anwen.hazards.models import Category, Grade, Hazard, HazardState, Source, Theme
from anwen.orgs.models import Org, OrgKind, SchoolProfile

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser

DRAWN = """() => {
    const box = document.getElementById("school-map");
    const chart = echarts.getInstanceByDom(box);
    const option = chart.getOption();
    const root = document.documentElement;
    return {
        series: option.series.map((s) => ({name: s.name, colour: s.itemStyle.color,
                                           points: s.data.map((d) => d.name)})),
        map: [box.clientWidth, box.clientHeight],
        scroll: [root.scrollWidth, root.scrollHeight],
        view: [window.innerWidth, window.innerHeight],
    };
}"""


def _open(org, title, *, grade=Grade.GENERAL, category=Category.FIRE, theme="", due=None, **kw):
    today = timezone.localdate()
    return Hazard(
        org=org,
        source=Source.SELF,
        title=title,
        grade=grade,
        category=category,
        theme=theme,
        found_on=today - timedelta(days=20),
        deadline=due if due is not None else today + timedelta(days=10),
        state=kw.get("state", HazardState.ASSIGNED),
    )


@pytest.fixture
def live_board(transactional_db):
    from anwen.testing.world import build_world

    world = build_world()
    for key, lon, lat in (
        ("S1", "105.927", "29.356"),
        ("S2", "105.80", "29.25"),
        ("S3", "105.9", "29.4"),
    ):
        SchoolProfile.objects.filter(org=world.orgs[key]).update(
            longitude=Decimal(lon), latitude=Decimal(lat)
        )
    late = timezone.localdate() - timedelta(days=5)
    Hazard.objects.bulk_create(
        [
            _open(world.S1, "配电房电缆老化", grade=Grade.MAJOR, due=late),
            _open(
                world.S1,
                "教室插线板串接",
                category=Category.ELECTRICAL,
                theme=Theme.ELECTRICAL_FIRE,
            ),
            _open(
                world.S3,
                "校车安全锤缺失",
                category=Category.TRAFFIC,
                theme=Theme.SCHOOL_BUS,
                due=late,
            ),
        ]
    )
    return world


@pytest.mark.req("SM4.2")
def test_the_board_and_its_map_fit_a_projector_and_a_point_opens_the_schools_list(
    live_server, live_board, page
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/hazards/board/")
    page.wait_for_selector("#school-map[data-state=ready]")
    drawn = page.evaluate(DRAWN)
    screenshot(page, "hazards-board-projector")
    by_name = {s["name"]: s for s in drawn["series"]}
    assert by_name["重大隐患未销号"]["points"] == ["永川区青峰镇中心小学"]
    assert by_name["重大隐患未销号"]["colour"] == "#c62828"
    assert by_name["一般隐患逾期"]["points"] == ["永川区金龙中学"]
    assert by_name["无未销号隐患"]["points"] == ["永川区青峰镇幼儿园"]
    assert drawn["scroll"][1] <= drawn["view"][1]  # nothing scrolls on the projector
    assert drawn["scroll"][0] <= drawn["view"][0]
    assert drawn["map"][1] >= 700  # the map takes the height the figures leave
    assert page.inner_text(".board-figure.is-overdue .figure").startswith("2")
    assert not errors, errors

    box = page.locator("#school-map").bounding_box()
    pixel = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("school-map"))
                   .convertToPixel({gridIndex: 0}, [105.927, 29.356])"""
    )
    page.mouse.click(box["x"] + pixel[0], box["y"] + pixel[1] - 6)
    page.wait_for_url(f"{live_server.url}/hazards/?school={live_board.S1.pk}&open=on")
    assert "配电房电缆老化" in page.inner_text("main")


def test_the_board_stacks_on_a_phone_without_sideways_scroll(live_server, live_board, phone_page):
    page = phone_page
    log_in(page, live_server.url, "centre")
    page.goto(f"{live_server.url}/hazards/board/")
    page.wait_for_selector("#school-map[data-state=ready]")
    drawn = page.evaluate(DRAWN)
    screenshot(page, "hazards-board-phone")
    assert drawn["scroll"][0] <= 390
    assert sum(len(s["points"]) for s in drawn["series"]) == 2  # the centre's two schools
    figures = page.locator(".board-figure").all()
    assert figures[0].bounding_box()["width"] < 200  # two figures a row
    assert page.locator("[data-board=centres]").bounding_box()["y"] > drawn["map"][1]


@pytest.fixture
def live_demo_board(transactional_db):
    district = build_district(schools=120)
    rng = random.Random(8)
    schools = list(Org.objects.filter(kind=OrgKind.SCHOOL))
    today = timezone.localdate()
    rows = []
    for n in range(400):
        rows.append(
            _open(
                rng.choice(schools),
                f"演示隐患{n}",
                grade=Grade.MAJOR if rng.random() < 0.04 else Grade.GENERAL,
                category=rng.choice(list(Category)),
                theme=rng.choice(["", "", *Theme]),
                due=today + timedelta(days=rng.randint(-30, 30)),
                state=HazardState.CLOSED if rng.random() < 0.6 else HazardState.RECTIFYING,
            )
        )
    Hazard.objects.bulk_create(rows)
    return district


def test_the_demo_districts_board_fills_a_projector_without_scrolling(
    live_server, live_demo_board, page
):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "bureau")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/hazards/board/")
    page.wait_for_selector("#school-map[data-state=ready]")
    drawn = page.evaluate(DRAWN)
    screenshot(page, "hazards-board-demo-projector")
    assert sum(len(s["points"]) for s in drawn["series"]) == 120
    assert drawn["scroll"][1] <= drawn["view"][1]
    assert drawn["scroll"][0] <= drawn["view"][0]
    # Every centre's row is on the screen, none hidden below its column's fold.
    last = page.locator("[data-board=centres] tbody tr").last.bounding_box()
    assert last["y"] + last["height"] <= 1080
