"""The fire overview (200 schools were 27,000 px on a phone, 1 MB at 4,000 schools) is paged and
filtered by school or centre name and status, like every other list (issue 7, sections 4, 7)."""

import pytest

from anwen.paging import PER_PAGE
from anwen.testing.world import add_schools
from anwen.tests.test_pagination import pager_links, rows_of, sheet_rows

MORE = PER_PAGE + 10  # schools added under C1: C1 then holds PER_PAGE + 12


@pytest.fixture
def big(world):
    add_schools(world, MORE)
    return world


@pytest.mark.req("PL2")
def test_the_fire_overview_pages_its_schools_and_keeps_the_scope(big, login, semester):
    client = login(big.users["bureau"])
    first = client.get(f"/fire/?semester={semester.pk}").content.decode()
    second = client.get(f"/fire/?semester={semester.pk}&page=2").content.decode()
    assert len(rows_of(first)) == PER_PAGE
    assert len(rows_of(second)) == MORE + 3 - PER_PAGE  # with S1, S2, S3
    seen = "".join(rows_of(first) + rows_of(second))
    for school in (big.S1, big.S2, big.S3, *[f"扩展学校{n:02d}" for n in range(MORE)]):
        assert str(school) in seen
    assert big.S9.name not in first + second  # the other district, on no page
    # The cards count every school of the filter, not the page's.
    assert f"{MORE + 3}<small>" in first
    centre = login(big.users["centre"]).get(f"/fire/?semester={semester.pk}&page=2")
    assert big.S3.name not in centre.content.decode()  # C2's school: not the centre's


def test_the_fire_overview_filters_by_school_or_centre_name_across_pages(big, login, semester):
    client = login(big.users["bureau"])
    by_centre = client.get(f"/fire/?semester={semester.pk}&q=金龙").content.decode()
    assert [big.S3.name in row for row in rows_of(by_centre)] == [True]
    page = client.get(f"/fire/?semester={semester.pk}&q=扩展&status=not_started")
    html = page.content.decode()
    assert len(rows_of(html)) == PER_PAGE and big.S1.name not in "".join(rows_of(html))
    [next_link] = pager_links(html)
    assert "q=%E6%89%A9%E5%B1%95" in next_link and "status=not_started" in next_link
    rest = client.get("/fire/" + next_link).content.decode()
    assert len(rows_of(rest)) == MORE - PER_PAGE
    assert all("扩展学校" in row for row in rows_of(rest))


@pytest.mark.req("PL8")
def test_the_fire_export_holds_the_whole_filtered_list_not_a_page(big, login, semester):
    client = login(big.users["bureau"])
    rows = sheet_rows(client.get(f"/fire/?semester={semester.pk}&q=扩展&format=xlsx&page=2"))
    schools = [row[0] for row in rows if row[0] and str(row[0]).startswith("扩展学校")]
    assert sorted(schools) == [f"扩展学校{n:02d}" for n in range(MORE)]
    assert not any(row[0] == big.S1.name for row in rows)
