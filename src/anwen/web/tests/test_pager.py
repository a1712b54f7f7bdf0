import pytest

from anwen import audit

pytestmark = pytest.mark.django_db


def test_the_pager_keeps_every_value_of_a_repeated_filter(world, login):
    for n in range(60):
        audit.record(actor=world.users["bureau"], action=f"test.pager.{n}", org=world.S1)
    response = login(world.users["admin"]).get("/audit/", {"action": "test.pager", "k": ["a", "b"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "action=test.pager&amp;k=a&amp;k=b&amp;page=2" in body
