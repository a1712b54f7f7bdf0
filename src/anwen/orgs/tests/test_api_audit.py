"""Reading staff records through the API leaves the same trace as the Excel export (issue 7
§3: who, which list, how many rows, the filters, from where): each page of /api/v1/people and
each person read by id is an audit event."""

import pytest
from django.test import Client

from anwen.audit.models import AuditEvent
from anwen.orgs.models import Person
from anwen.testing.world import add_schools, api_key

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}", REMOTE_ADDR="10.9.8.7")


def test_every_page_of_the_people_list_is_audited(world):
    add_schools(world, 2, staff=30)
    api = _api(world.users["bureau"])
    total = Person.objects.filter(is_active=True, org__path__startswith=world.B1.path).count()
    pages = []
    for offset in range(0, total, 50):
        response = api.get("/api/v1/people", {"limit": 50, "offset": offset})
        assert response.status_code == 200
        pages.append(len(response.json()["items"]))
    events = list(AuditEvent.objects.filter(action="api.people.listed").order_by("pk"))
    assert [e.data["rows"] for e in events] == pages and sum(pages) == total
    assert [e.data["offset"] for e in events] == list(range(0, total, 50))
    first = events[0]
    assert first.actor_label == world.users["bureau"].username
    assert first.ip == "10.9.8.7"
    assert first.org_path == world.B1.path  # the bureau's auditors see it
    assert first.data["filters"] == {} and first.data["path"] == "/api/v1/people"


def test_the_people_list_audit_names_the_filter(world):
    api = _api(world.users["bureau"])
    response = api.get("/api/v1/people", {"org_id": world.S1.pk})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="api.people.listed")
    assert event.data["filters"] == {"org_id": str(world.S1.pk)}
    assert event.data["rows"] == len(response.json()["items"]) > 0


def test_a_person_read_by_id_is_audited_like_the_person_page(world):
    person = world.people["teacher"]
    api = _api(world.users["school"])
    assert api.get(f"/api/v1/people/{person.pk}").status_code == 200
    event = AuditEvent.objects.get(action="api.person.viewed")
    assert (event.object_type, event.object_id) == ("orgs.person", str(person.pk))
    assert event.actor_label == world.users["school"].username and event.ip == "10.9.8.7"
    # Another school's person: 404, and nothing read is recorded.
    other = world.people["school3"]
    assert api.get(f"/api/v1/people/{other.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="api.person.viewed").count() == 1
