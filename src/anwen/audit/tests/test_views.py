from datetime import UTC, datetime
from unittest import mock

import pytest

from anwen import audit
from anwen.audit.models import AuditEvent
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import PERSONAS

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


def record_at(when: datetime, **kwargs) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit.record(**kwargs)


@pytest.fixture
def trail(world):
    """Events in the admin's district, in the other district, and one tied to no org."""
    admin, school = world.users["admin"], world.users["school"]
    return {
        "s1": record_at(
            datetime(2026, 3, 1, 0, 0, 5, tzinfo=UTC),
            actor=school,
            action="tests.hazard.reported",
            obj=world.S1,
        ),
        "s9": record_at(
            datetime(2026, 3, 2, 0, 0, tzinfo=UTC),
            actor=world.users["other_school"],
            action="tests.hazard.reported",
            obj=world.S9,
        ),
        "login": record_at(
            datetime(2026, 3, 3, 0, 0, tzinfo=UTC),
            actor=admin,
            action="tests.login.succeeded",
            org=world.B1,
        ),
        "no_org": record_at(
            datetime(2026, 3, 4, 0, 0, tzinfo=UTC), actor=None, action="tests.address.blocked"
        ),
        "c2": record_at(
            datetime(2026, 4, 1, 0, 0, tzinfo=UTC),
            actor=admin,
            action="tests.org.updated",
            obj=world.C2,
        ),
    }


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [event.pk for event in response.context["page"]]


def test_the_bureau_admin_sees_the_district_newest_first_in_beijing_time(trail, world, login):
    client = login(world.users["admin"])
    response = client.get("/audit/")
    shown = listed(response)
    # The other district's event is not theirs, nor one tied to no org (platform admins').
    assert trail["s9"].pk not in shown and trail["no_org"].pk not in shown
    expected = [trail["c2"].pk, trail["login"].pk, trail["s1"].pk]
    assert [pk for pk in shown if pk in expected] == expected
    assert shown == sorted(shown, reverse=True)
    assert "2026-03-01 08:00:05" in response.content.decode()


def test_the_list_filters_by_date_actor_and_action(trail, world, login):
    client = login(world.users["admin"])
    assert listed(client.get("/audit/?start=2026-03-01&end=2026-03-03")) == [
        trail["login"].pk,
        trail["s1"].pk,
    ]
    assert listed(client.get("/audit/?actor=school&action=tests.")) == [trail["s1"].pk]
    assert listed(client.get("/audit/?action=tests.org")) == [trail["c2"].pk]
    # A reversed range shows the error and no events rather than everything.
    response = client.get("/audit/?start=2026-04-01&end=2026-03-01")
    assert listed(response) == [] and response.context["form"].errors


def test_the_export_is_a_real_workbook_of_the_filtered_rows_and_is_audited(trail, world, login):
    response = login(world.users["admin"]).get("/audit/?action=tests.hazard&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response)
    assert len(rows) == 2
    number, time, actor, action, obj, org_path, *_rest, hash_ = rows[1]
    assert (number, time, actor, action) == (
        trail["s1"].pk,
        "2026-03-01 08:00:05",
        "school",
        "tests.hazard.reported",
    )
    assert obj == f"orgs.org #{world.S1.pk}" and org_path == world.S1.path
    assert hash_ == trail["s1"].hash
    exported = AuditEvent.objects.order_by("id").last()
    assert exported.action == "exports.list.exported" and exported.data["list"] == "audit-trail"
    assert exported.actor_label == "admin" and exported.data["filters"]["action"] == "tests.hazard"
    assert exported.data["rows"] == 1


def test_verify_now_reports_an_intact_chain(trail, world, login):
    response = login(world.users["admin"]).post("/audit/verify/", follow=True)
    messages = [m.level_tag for m in response.context["messages"]]
    assert messages == ["success"]


def test_verify_now_reports_a_broken_chain(trail, world, login, tamper):
    tamper(
        "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["nobody", trail["login"].pk]
    )
    response = login(world.users["admin"]).post("/audit/verify/", follow=True)
    [message] = list(response.context["messages"])
    assert message.level_tag == "error" and str(trail["login"].pk) in str(message)


@pytest.mark.parametrize("persona", [name for name in PERSONAS if name != "admin"])
def test_every_other_role_gets_404(trail, world, login, persona):
    client = login(world.users[persona])
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/?format=xlsx").status_code == 404
    assert client.post("/audit/verify/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/audit/" in response["Location"]
