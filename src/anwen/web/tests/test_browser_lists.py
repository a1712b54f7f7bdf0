"""Lists on a phone: below the phone width a wide table's row is a card of its labelled fields;
on a desk it stays a table."""

import pytest

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    from anwen.testing.world import build_world

    return build_world()


LAYOUT = """() => {
    const table = document.querySelector("table.data");
    const cell = table.querySelector("tbody td:nth-child(3)");
    const title = table.querySelector("tbody tr td.card-title");
    return {
        cards: table.classList.contains("rows-as-cards"),
        label: cell.dataset.label,
        display: getComputedStyle(cell).display,
        header: getComputedStyle(table.querySelector("thead")).position,
        pageWidth: document.documentElement.scrollWidth,
        titleHasLink: !!title.querySelector("a[href]"),
    };
}"""


@pytest.mark.parametrize(
    ("url", "label"), [("/orgs/people/", "单位"), ("/orgs/schools/", "学校类型")]
)
def test_a_wide_list_is_a_card_per_row_on_a_phone(live_server, live_world, phone_page, url, label):
    page = phone_page
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}{url}")
    layout = page.evaluate(LAYOUT)
    screenshot(page, f"list-phone-cards{url.replace('/', '-').rstrip('-')}")
    assert layout["cards"]
    assert layout["label"] == label  # each field says which column it is
    assert layout["display"] == "flex"  # a line of the card, not a table cell
    assert layout["header"] == "absolute"  # the header row is kept for screen readers only
    assert layout["pageWidth"] <= 390  # nothing scrolls sideways
    assert layout["titleHasLink"]  # the card is titled by what opens the record


def test_the_same_list_stays_a_table_on_a_desk(live_server, live_world, page):
    log_in(page, live_server.url, "school")
    page.goto(f"{live_server.url}/orgs/people/")
    layout = page.evaluate(LAYOUT)
    assert layout["display"] == "table-cell"
    assert layout["header"] != "absolute"


ACTION_CARD = """() => {
    const table = document.querySelector("table.data.rows-as-cards");
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    const row = rows.find((tr) => tr.querySelector("td.card-actions a[href]"));
    const box = (el) => el.getBoundingClientRect();
    const title = row.querySelector("td.card-title");
    const action = row.querySelector("td.card-actions a[href]");
    const lines = Array.from(row.children).filter((td) => getComputedStyle(td).display !== "none");
    const bottoms = lines.filter((td) => !td.classList.contains("card-actions")).map((td) => box(td).bottom);
    return {
        title: title.textContent.trim(),
        titleIsFirst: Math.min(...lines.map((td) => box(td).top)) === box(title).top,
        titles: rows.map((tr) => tr.querySelector("td.card-title").textContent.trim()),
        action: action.textContent.trim(),
        actionTop: box(action).top,
        lowestLine: Math.max(...bottoms),
        actionWidth: box(action).width,
        rowWidth: box(row).width,
        actionHeight: box(action).height,
        // a card line is its label and one value, however rich the value
        flexItems: Math.max(...lines.map((td) => td.children.length)),
        emptyShown: lines.filter((td) => !td.textContent.trim() && !td.querySelector("img")).length,
        pageWidth: document.documentElement.scrollWidth,
    };
}"""


def test_a_card_is_titled_by_its_marked_column_and_ends_with_its_actions(
    live_server, live_world, phone_page
):
    """/duties/ for a school: the staff list's header marks the name as the title and the
    "record a paper letter" column as actions (lists.js's convention)."""
    page = phone_page
    log_in(page, live_server.url, "school")
    page.goto(f"{live_server.url}/duties/")
    card = page.evaluate(ACTION_CARD)
    screenshot(page, "list-phone-cards-duties-actions")
    assert card["title"].startswith("测试")  # a person's name, not "录入纸质责任书" or "已签订"
    assert card["titleIsFirst"]
    assert all(t.startswith("测试") for t in card["titles"])
    assert card["action"] == "录入纸质责任书"
    assert card["actionTop"] >= card["lowestLine"]  # below every other line of the card
    assert card["actionWidth"] >= card["rowWidth"] - 2 * 14  # full width, within the padding
    assert card["actionHeight"] >= 44
    assert card["flexItems"] == 1  # one .cell-value per cell, the label is ::before
    assert card["emptyShown"] == 0  # "签订日期：" with nothing after it is left off
    assert card["pageWidth"] <= 390


def test_a_district_list_is_titled_by_the_school_on_a_phone(live_server, live_world, phone_page):
    """/inspections/ for the bureau: many schools, so the school names the card, not the date
    that every card of the day shares."""
    import datetime

    from anwen.inspections import services

    services.standard_templates_load(owner=live_world.B1)
    for key in ("S1", "S3"):
        services.inspection_start(
            org=live_world.orgs[key],
            purpose="spot",
            level="bureau",
            lead_org=live_world.B1,
            by=live_world.users["bureau"],
            inspected_on=datetime.date(2026, 11, 30),
        )
    page = phone_page
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/inspections/")
    titles = page.eval_on_selector_all(
        "table.data tbody td.card-title", "cells => cells.map(c => c.textContent.trim())"
    )
    screenshot(page, "list-phone-cards-inspections-bureau")
    assert sorted(titles) == ["永川区金龙中学", "永川区青峰镇中心小学"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
