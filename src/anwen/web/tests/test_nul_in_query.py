"""A NUL in a query parameter is dropped before any view reads it: PostgreSQL refuses NUL in
text and JSON, so a list filter or an export's audit row would otherwise be a 500 there."""

import pytest

from anwen.audit.models import AuditEvent


@pytest.mark.req("PL11")
def test_a_nul_in_a_list_filter_is_dropped_not_a_500(world, login):
    client = login(world.users["school"])
    response = client.get("/orgs/people/?q=%00测试teacher%00")
    assert response.status_code == 200
    assert "测试teacher" in response.content.decode()


@pytest.mark.req("PL11", "PL3")
def test_an_export_with_a_nul_in_its_filter_is_audited_without_it(world, login):
    client = login(world.users["school"])
    response = client.get("/orgs/people/?format=xlsx&q=%00")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="exports.list.exported").latest("pk")
    assert "\x00" not in str(event.data)
