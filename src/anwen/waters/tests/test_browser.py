"""The waters on the battle map in a real browser: a series of their own beside the schools,
the unguarded apart, under the strict CSP, without a script error."""

from decimal import Decimal

import pytest

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser

SERIES = """() => echarts.getInstanceByDom(document.getElementById("school-map")).getOption()
    .series.map((s) => ({name: s.name, points: s.data.map((d) => d.name)}))"""


@pytest.fixture
def live_waters(transactional_db):
    from anwen.orgs.models import SchoolProfile
    from anwen.testing.world import build_world
    from anwen.waters.models import Water

    world = build_world()
    SchoolProfile.objects.filter(org=world.orgs["S1"]).update(
        longitude=Decimal("105.927"), latitude=Decimal("29.356")
    )
    for name, signs in (("长江朱沱段", False), ("黄桷水库", True)):
        Water.objects.create(
            org=world.orgs["S1"],
            kind="river",
            name=name,
            longitude=Decimal("105.93"),
            latitude=Decimal("29.35"),
            distance_m=400,
            warning_signs=signs,
            barriers=True,
        )
    return world


@pytest.mark.req("SM9.1")
def test_the_battle_map_draws_the_waters_apart_from_the_schools(live_server, live_waters, page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/hazards/board/")
    page.wait_for_selector("#school-map[data-state=ready]")
    series = {s["name"]: s["points"] for s in page.evaluate(SERIES)}
    screenshot(page, "waters-battle-map")
    assert series["水域·缺标志或护栏"] == ["长江朱沱段"]
    assert series["水域·已防护"] == ["黄桷水库"]
    assert page.get_attribute("#school-map", "data-places") == "2"
    assert not errors, errors
