"""The hazard list, its page and its API answer in a fixed number of queries, whatever the
number of hazards; bad filters are refused with a message, never a 500."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.testing.world import api_key


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def test_the_list_and_the_api_keep_a_constant_query_count(world, login, raise_hazard):
    client = login(world.users["centre"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(world.users['centre'])}"}
    for n in range(3):
        raise_hazard(title=f"隐患{n}", place="操场")
    few = _queries(client, "/hazards/?category=fire"), _queries(client, "/api/v1/hazards", **auth)
    for n in range(30):
        raise_hazard(title=f"更多隐患{n}", org=world.S2 if n % 2 else world.S1)
    many = _queries(client, "/hazards/?category=fire"), _queries(client, "/api/v1/hazards", **auth)
    assert many == few


def test_bad_filters_are_refused_or_ignored_without_an_error(world, login):
    client = login(world.users["principal"])
    assert client.get("/hazards/?state=nonsense&school=abc&page=999").status_code == 200
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(world.users['principal'])}"}
    assert client.get("/api/v1/hazards?state=nonsense", **auth).status_code == 422
    assert client.get("/api/v1/hazards/abc", **auth).status_code == 422
    assert client.get("/hazards/99999999999999999999999/").status_code == 404
