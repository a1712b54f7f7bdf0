"""The case list reads the ids of a user's granted cases first and keeps them in the database
past a limit (a leader in charge of thousands): the page asks the same number of queries on
both sides of that limit (bench_cases found one more at 20,000 cases: the ids' queryset was
asked whether it was empty, which ran it alone)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.cases import selectors
from anwen.testing.world import api_key

from .helpers import handler_value, register_letter, step


@pytest.mark.parametrize("url", ["/cases/", "/cases/?overdue=1", "/api/v1/cases"])
def test_the_list_asks_as_many_queries_past_the_limit_of_listed_ids(
    client, login, world, clerk, dept, monkeypatch, url
):
    login(clerk)
    for n in range(3):
        case = register_letter(client, world, subject=f"来信{n}", phone=f"1380000000{n}")
        step(client, case, "assign", handler=handler_value(case, dept))
    login(dept)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key(dept)}"} if "/api/" in url else {}
    counts = []
    for limit in (100, 1):  # the three granted ids listed; then past the limit
        monkeypatch.setattr(selectors, "LISTED_IDS_MAX", limit)
        client.get(url, **headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
