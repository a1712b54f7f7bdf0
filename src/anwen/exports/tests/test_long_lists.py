"""A list too long for one download is refused with a way forward; a long one that fits
streams from disk instead of being built in memory."""

import pytest
from django.http import FileResponse

from anwen.audit.models import AuditEvent
from anwen.inspections.services import inspection_start, standard_templates_load
from anwen.testing.sheets import sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL8")]


def test_a_list_longer_than_the_limit_is_refused_with_how_to_narrow_it(world, login, settings):
    settings.ANWEN_EXPORT_MAX_ROWS = 2
    client = login(world.users["bureau"])
    response = client.get("/orgs/schools/?q=&type=&format=xlsx")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/schools/?q=&type="
    page = client.get(response["Location"])
    assert "此列表共 3 行，超过单次导出上限 2 行" in page.content.decode()
    assert not AuditEvent.objects.filter(action="exports.list.exported").exists()
    # Narrowed to within the limit, the same list downloads.
    narrowed = client.get("/orgs/schools/?type=primary&format=xlsx")
    assert narrowed.status_code == 200
    assert len(sheet_rows(narrowed)) - 1 <= 2


def test_a_download_streams_from_a_file(world, login):
    response = login(world.users["bureau"]).get("/orgs/schools/?format=xlsx")
    assert isinstance(response, FileResponse) and response.streaming
    assert sorted(row[0] for row in sheet_rows(response)[1:]) == ["S1", "S2", "S3"]


def test_a_list_exported_from_a_generator_is_limited_by_its_count(world, login, settings):
    # The inspection list's rows come from a generator (counts added a slice at a time).
    standard_templates_load(owner=world.B1)
    inspection_start(org=world.S1, purpose="office_weekly", level="self", by=world.school)
    settings.ANWEN_EXPORT_MAX_ROWS = 0
    client = login(world.users["bureau"])
    response = client.get("/inspections/?format=xlsx")
    assert response.status_code == 302 and "format" not in response["Location"]
