"""A hazard list longer than one download holds (ANWEN_EXPORT_MAX_ROWS) is refused with how to
narrow it, like every other list: the view hands the exporter its queryset, which is counted
first and then read a chunk at a time (a bare iterator could not be counted, and a 100,000-row
district list went out regardless)."""

import pytest

from anwen.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL8")]


@pytest.mark.parametrize("fmt", ["xlsx", "problems", "measures"])
def test_a_hazard_list_longer_than_the_limit_is_refused(world, login, raise_hazard, settings, fmt):
    for n in range(3):
        raise_hazard(title=f"隐患{n}")
    settings.ANWEN_EXPORT_MAX_ROWS = 2
    client = login(world.users["bureau"])
    response = client.get(f"/hazards/?category=fire&format={fmt}")
    assert response.status_code == 302
    assert response["Location"] == "/hazards/?category=fire"
    assert "超过单次导出上限 2 行" in client.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.filter(action="exports.list.exported").exists()
    settings.ANWEN_EXPORT_MAX_ROWS = 3
    assert client.get(f"/hazards/?category=fire&format={fmt}").status_code == 200
