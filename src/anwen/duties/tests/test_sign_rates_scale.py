"""PL2: the bureau's and a centre's sign-rate page (/duties/) asks the same number of queries
however many schools and staff the district has (one grouped count, not one per school)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.testing.world import add_schools

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL2")]


def _queries(client, url: str) -> int:
    client.get(url)  # warm: the process's caches are not the page's
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["bureau", "centre"])
@pytest.mark.parametrize("url", ["/duties/", "/duties/?group=centre"])
def test_the_sign_rates_ask_the_same_queries_with_more_schools(world, login, username, url):
    client = login(world.users[username])
    before = _queries(client, url)
    add_schools(world, 30, parent="C1", staff=10)
    assert _queries(client, url) == before
