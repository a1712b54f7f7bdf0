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
