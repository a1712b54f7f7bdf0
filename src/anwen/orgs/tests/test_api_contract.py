"""The API's contract for clients: bounded paging and documented error answers."""

import pytest

from anwen.orgs.tests.test_api import token_for

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL9")]

HUGE = str(2**70)


def test_every_operation_documents_401_404_and_422(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [
        (path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    ]
    assert len(operations) >= 5
    for path, method, op in operations:
        # Success is 200, or 201 for an operation that creates (the public write-in).
        success = "201" if "201" in op["responses"] else "200"
        for status in (success, "401", "404", "422"):
            assert status in op["responses"], f"{method} {path} does not document {status}"
        for status in ("401", "404", "422"):
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.split("/")[-1] in schema["components"]["schemas"]
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_the_documented_error_answers_are_the_ones_given(client, world):
    auth = token_for(world.users["school"])
    assert client.get("/api/v1/orgs").json() == {"detail": "Unauthorized"}
    assert "detail" in client.get(f"/api/v1/orgs/{world.S2.pk}", **auth).json()
    invalid = client.get("/api/v1/orgs?limit=0", **auth)
    assert invalid.status_code == 422
    body = invalid.json()
    assert body["message"] and body["detail"][0]["loc"][-1] == "limit"


@pytest.mark.req("PL11")
@pytest.mark.parametrize(
    "query",
    [
        f"limit={HUGE}",
        f"offset={HUGE}",
        f"offset=-{HUGE}",
        "offset=-1",
        "limit=0",
        "limit=501",
        "offset=10000001",
        "limit=abc",
        f"limit={'9' * 5000}",
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/orgs", "/api/v1/people"])
def test_paging_beyond_its_bounds_answers_422_with_the_reason(client, world, path, query):
    client.raise_request_exception = False
    response = client.get(f"{path}?{query}", **token_for(world.users["bureau"]))
    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"][0]["loc"][-1] in ("limit", "offset")


def test_paging_within_its_bounds_pages(client, world):
    auth = token_for(world.users["bureau"])
    first = client.get("/api/v1/orgs?kind=school&limit=2&offset=0", **auth).json()
    rest = client.get("/api/v1/orgs?kind=school&limit=500&offset=2", **auth).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and len(rest["items"]) == 1
    far = client.get("/api/v1/orgs?offset=10000000", **auth).json()
    assert far["items"] == []


@pytest.mark.req("PL11")
def test_a_huge_id_in_the_path_answers_404(client, world):
    auth = token_for(world.users["bureau"])
    assert client.get(f"/api/v1/orgs/{HUGE}", **auth).status_code == 404
    assert client.get(f"/api/v1/people/{HUGE}", **auth).status_code == 404
