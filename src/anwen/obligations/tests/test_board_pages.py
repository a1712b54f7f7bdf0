"""The board's table of schools is paged like every other list, and its export still holds
every school of the filter (issue 7, section 7)."""

from datetime import date

import pytest
import time_machine

from anwen.obligations.services import ensure_periods
from anwen.paging import PER_PAGE
from anwen.testing.world import add_schools
from anwen.tests.test_pagination import pager_links, rows_of, sheet_rows

MORE = PER_PAGE + 10  # schools added under C1: C1 then holds PER_PAGE + 12


@pytest.fixture
def big(world, make_obligation):
    add_schools(world, MORE)
    make_obligation("info", record_kind="routine.info_report", frequency="weekly")
    ensure_periods(through=date(2026, 10, 31))
    with time_machine.travel(date(2026, 11, 5), tick=False):
        yield world


def test_the_boards_table_of_schools_is_paged_with_its_filters(big, login):
    client = login(big.users["centre"])
    first = client.get("/obligations/?period=month&date=2026-10-15").content.decode()
    assert len(rows_of(first)) == PER_PAGE
    [next_link] = pager_links(first)
    assert "period=month" in next_link and "date=2026-10-15" in next_link
    assert "page=2" in next_link
    second = client.get("/obligations/" + next_link).content.decode()
    assert len(rows_of(second)) == MORE + 2 - PER_PAGE  # with S1, S2
    assert set(rows_of(first)).isdisjoint(rows_of(second))


@pytest.mark.req("PL8")
def test_the_boards_export_holds_every_school_of_the_centre(big, login):
    rows = sheet_rows(
        login(big.users["centre"]).get(
            "/obligations/?period=month&date=2026-10-15&format=xlsx&page=2"
        )
    )
    names = {row[0] for row in rows}
    assert big.S1.name in names and "扩展学校00" in names and f"扩展学校{MORE - 1:02d}" in names
