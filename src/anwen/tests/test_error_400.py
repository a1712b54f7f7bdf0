"""PL11: a request Django refuses before any view (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS,
a body over DATA_UPLOAD_MAX_MEMORY_SIZE) gets the app's own Chinese 400 page, not Django's bare
English one; an API client gets JSON."""

import pytest
from django.test import Client

from anwen.testing.world import api_key

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]


@pytest.fixture
def client(settings):
    settings.DEBUG = False
    client = Client()
    client.raise_request_exception = False
    return client


def _is_the_apps_400(response) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bad Request (400)" not in page
    assert "请求过大或格式有误" in page and 'class="error-panel' in page.replace("panel ", "")
    assert "安稳" in page or "Anwen" in page


def test_a_query_with_too_many_fields_gets_the_apps_400_page(client, settings):
    fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    _is_the_apps_400(client.get("/login/?" + "&".join(f"a={i}" for i in range(fields))))


def test_an_oversized_field_gets_the_apps_400_page(client, settings):
    _is_the_apps_400(
        client.post("/login/", {"x": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    )


def test_an_api_request_with_too_many_fields_gets_json(world, client, settings):
    fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    response = client.get(
        "/api/v1/people?" + "&".join(f"a={i}" for i in range(fields)),
        HTTP_AUTHORIZATION=f"Bearer {api_key(world.users['school'])}",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad Request"}
