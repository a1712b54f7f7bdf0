"""404, 403 and 500 are the app's own Chinese pages, with the layout and a way back."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.req("PL11"),
    pytest.mark.usefixtures("_production_errors"),
]


@pytest.fixture
def _production_errors(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "anwen.web.tests.urls_raising"


def test_an_unknown_page_is_a_chinese_404_with_the_layout_and_a_way_home(world, login):
    client = login(world.users["teacher"])
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/inbox/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "巡查二维码" in page and "其他学校" in page
    assert 'class="sidenav"' in page  # the normal layout, with the menu
    assert 'href="/"' in page and 'href="http://testserver/inbox/"' in page
    assert "Not Found" not in page


def test_another_schools_record_answers_the_same_404_page_as_a_missing_one(world, login):
    client = login(world.users["school"])
    forbidden = client.get(f"/orgs/{world.S2.pk}/")
    missing = client.get("/orgs/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert "页面不存在" in forbidden.content.decode()
    assert forbidden.content == missing.content  # byte for byte: existence does not leak


def test_a_qr_code_scanned_by_a_role_without_patrols_says_why(world, login):
    client = login(world.users["teacher"])
    response = client.get("/patrol/s/not-a-checkpoint/")
    assert response.status_code == 404
    assert "巡查二维码" in response.content.decode()


def test_an_unknown_api_path_answers_the_apis_json_404(client, db):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_a_foreign_referer_is_not_offered_as_the_way_back(world, login):
    client = login(world.users["teacher"])
    page = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page


def test_an_anonymous_404_has_the_plain_layout_and_a_way_to_log_in(client, db):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in page
    assert 'class="sidenav"' not in page and 'href="/login/"' in page


def test_a_refused_action_is_a_chinese_403(world, login):
    response = login(world.users["teacher"]).get("/test-denied/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权" in page and 'class="sidenav"' in page and "Forbidden" not in page


def test_a_form_refused_for_its_token_is_a_chinese_403(world):
    from django.test import Client

    from anwen.testing.world import log_in

    client = Client(enforce_csrf_checks=True)
    log_in(client, world.users["bureau"])
    response = client.post("/focus/", {"org": world.S1.pk})
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单" in page and "CSRF" not in page


def test_a_failing_view_gives_the_chinese_500_page_without_the_database(world, login):
    client = login(world.users["teacher"])
    client.raise_request_exception = False
    with CaptureQueriesContext(connection) as queries:
        from django.test import RequestFactory

        from anwen.web.errors import server_error

        direct = server_error(RequestFactory().get("/"))
    assert len(queries) == 0 and direct.status_code == 500
    response = client.get("/test-fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "出错" in page and 'href="/"' in page and "anwen.css" in page
    assert "Server Error" not in page and "RuntimeError" not in page


@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
)
def test_the_500_page_renders_even_without_the_static_manifest(client, db):
    client.raise_request_exception = False
    response = client.get("/test-fails/")
    assert response.status_code == 500 and "出错" in response.content.decode()
