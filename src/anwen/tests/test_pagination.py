"""Every list is cut into pages (issue 7, sections 4 and 7), through HTTP: page 2 shows the next
rows, a junk or huge ?page= answers a page (never a 500), filters survive paging, and an export
takes the whole filtered list, not one page of it."""

import io
import re

import pytest
from openpyxl import load_workbook

from anwen.paging import PER_PAGE
from anwen.testing.world import add_schools

MORE = PER_PAGE + 10  # schools added under C1: C1 then holds PER_PAGE + 12


def rows_of(html: str) -> list[str]:
    """The rows of the page's (first) data table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[ >].*?</tr>", body, flags=re.S)


def pager_links(html: str) -> list[str]:
    nav = html.split('<nav class="pager"', 1)[1].split("</nav>", 1)[0]
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', nav)]


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))


@pytest.fixture
def big(world):
    add_schools(world, MORE)
    return world


# --- the school list, and any list: a bad page number ----------------------------------------


@pytest.mark.req("PL2")
def test_the_school_list_pages_with_its_search_and_stays_in_scope(big, login):
    client = login(big.users["centre"])
    first = client.get("/orgs/schools/?q=扩展").content.decode()
    [next_link] = pager_links(first)
    assert "q=%E6%89%A9%E5%B1%95" in next_link
    second = client.get("/orgs/schools/" + next_link).content.decode()
    assert len(rows_of(first)) == PER_PAGE and len(rows_of(second)) == MORE - PER_PAGE
    assert big.S3.name not in first + second and big.S9.name not in first + second


LISTS = [
    ("bureau", "/fire/"),
    ("bureau", "/obligations/"),
    ("bureau", "/duties/"),
    ("bureau", "/inspections/"),
    ("bureau", "/inspections/findings/"),
    ("bureau", "/inspections/accountability/"),
    ("bureau", "/patrol/rounds/"),
    ("bureau", "/files/"),
    ("bureau", "/orgs/schools/"),
    ("bureau", "/orgs/people/"),
    ("admin", "/audit/"),
    ("centre", "/obligations/"),
    ("school", "/duties/"),
]


@pytest.mark.parametrize(("username", "url"), LISTS)
def test_a_junk_or_huge_page_number_answers_a_page(big, login, username, url):
    client = login(big.users[username])
    for page in ["abc", "0", "-3", "2.5", "9" * 40, "1e9999", ""]:
        assert client.get(url, {"page": page}).status_code == 200, page


def test_a_page_past_the_end_answers_the_last_page(big, login):
    client = login(big.users["centre"])
    last = rows_of(client.get("/orgs/schools/?page=2").content.decode())
    assert rows_of(client.get("/orgs/schools/?page=" + "9" * 40).content.decode()) == last
    assert len(last) == MORE + 2 - PER_PAGE
