"""What a school or a teacher opens does not grow with the district (issue 7, section 7).

Two measures, on the small world and on the same world with many more schools and staff: the
number of queries of each page stays the same, and (on SQLite) no query of it reads a table
that grows with the district from end to end. A full scan of every person of the city was what
made a school's home take 85 ms at 4,000 schools against 36 ms at 200.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.testing.world import add_schools

PAGES = ["/", "/inbox/", "/orgs/people/", "/duties/"]
# Tables with a row per person (or more): reading one whole is reading the city.
BIG_TABLES = ("orgs_person", "orgs_person_positions", "duties_responsibilityletter")


def grow(world) -> None:
    """Forty more schools under centre C2, each with 25 staff."""
    add_schools(world, 40, parent="C2", staff=25)


def queries_of(client, url: str) -> list[str]:
    client.get(url)  # warm: caches of the process (calendar, providers) are not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # A teacher has no staff list (404) and is sent on to their own letter (302).
    assert response.status_code in (200, 302, 404), url
    return [q["sql"] for q in captured.captured_queries]


def full_scans(sql: list[str]) -> list[str]:
    """The plan lines of `sql` that read a big table whole (SQLite's EXPLAIN QUERY PLAN)."""
    found = []
    with connection.cursor() as cursor:
        for statement in sql:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + statement)
            for *_ids, detail in cursor.fetchall():
                words = detail.split()
                if (
                    words[:1] == ["SCAN"]
                    and len(words) > 1
                    and words[1] in BIG_TABLES
                    and "INDEX" not in detail
                ):
                    found.append(f"{detail}  <-  {statement[:160]}")
    return found


@pytest.mark.req("PL2")
@pytest.mark.parametrize("username", ["school", "principal", "teacher"])
def test_a_schools_pages_ask_the_same_queries_in_a_bigger_district(world, login, username):
    client = login(world.users[username])
    before = {url: len(queries_of(client, url)) for url in PAGES}
    grow(world)
    after = {url: len(queries_of(client, url)) for url in PAGES}
    assert after == before


@pytest.mark.req("PL2")
@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
@pytest.mark.parametrize("username", ["school", "principal", "teacher"])
def test_a_schools_pages_read_no_table_of_the_whole_city(world, login, username):
    grow(world)
    client = login(world.users[username])
    scans = [line for url in PAGES for line in full_scans(queries_of(client, url))]
    assert scans == []
