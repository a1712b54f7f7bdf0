import pytest

from anwen.accounts.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL9")]


def token_for(user) -> dict:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", prefix=key[:8], key_hash=ApiToken.hash_key(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_openapi_schema_lists_the_org_routes(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/orgs", "/api/v1/orgs/{org_id}", "/api/v1/people", "/api/v1/me"):
        assert path in paths


def test_without_a_token_the_api_answers_401(client, world):
    assert client.get("/api/v1/orgs").status_code == 401
    assert client.get("/api/v1/orgs", HTTP_AUTHORIZATION="Bearer anw_wrong").status_code == 401


def test_a_school_token_lists_only_its_school(client, world):
    response = client.get("/api/v1/orgs", **token_for(world.users["school"]))
    assert response.status_code == 200
    body = response.json()
    assert [o["code"] for o in body["items"]] == ["S1"]
    assert body["items"][0]["school"]["enrolment"] == 820


def test_the_bureau_token_lists_the_district_and_filters_by_kind(client, world):
    response = client.get("/api/v1/orgs?kind=school", **token_for(world.users["bureau"]))
    assert {o["code"] for o in response.json()["items"]} == {"S1", "S2", "S3"}


def test_another_schools_org_and_people_answer_404(client, world):
    auth = token_for(world.users["school"])
    assert client.get(f"/api/v1/orgs/{world.S2.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/people/{world.people['school3'].pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/people/{world.people['teacher'].pk}", **auth).status_code == 200


def test_people_are_scoped_and_need_the_people_permission(client, world):
    school = client.get("/api/v1/people", **token_for(world.users["school"])).json()
    assert {p["name"] for p in school["items"]} == {
        "测试principal",
        "测试school",
        "测试teacher",
        "测试guard",
    }
    teacher = client.get("/api/v1/people", **token_for(world.users["teacher"])).json()
    assert teacher["items"] == []


def test_me_tells_the_roles_and_scope(client, world):
    body = client.get("/api/v1/me", **token_for(world.users["centre"])).json()
    assert body["roles"] == ["centre_officer"] and body["scope"] == [world.C1.path]
