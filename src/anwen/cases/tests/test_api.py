"""Cases over the API: the list and the case with their clocks as dates, the steps the caller
may take as actions, fired under the pages' permissions; the confidential face absent for
those who may not read it."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from anwen.cases.models import Case
from anwen.testing.world import api_key
from anwen.workflow.models import Event

from .helpers import register_letter

TZ = timezone.get_default_timezone()
DAY = datetime(2026, 9, 28, 10, tzinfo=TZ)
pytestmark = [pytest.mark.day(DAY)]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}


def act(client, user, case, name, **body):
    return client.post(
        f"/api/v1/cases/{case.pk}/actions/{name}",
        body,
        content_type="application/json",
        **bearer(user),
    )


@pytest.fixture
def letter(client, login, world, clerk) -> Case:
    login(clerk)
    case = register_letter(client, world)
    client.logout()
    return case


@pytest.mark.req("PL9")
def test_a_case_answers_with_its_clocks_as_dates_and_its_actions(client, world, clerk, letter):
    response = client.get(f"/api/v1/cases/{letter.pk}", **bearer(clerk))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == letter.number and body["readable"] is True
    assert body["accept_due"] == "2026-10-13" and body["object_due"] == "2026-10-10"
    assert body["handle_due"] is None  # declared, not started
    assert {"review_due", "review_ask_due", "review2_due", "review2_ask_due"} <= set(body)
    accept = next(c for c in body["clocks"] if c["name"] == "accept")
    assert accept["state"] == "running" and accept["days_left"] == 15
    assert accept["overdue"] is False
    assert body["subject"] == "食堂收费问题" and body["people"]["name"] == "王小明"
    actions = {a["name"]: a for a in body["actions"]}
    assert {"assign", "accept", "not_accept"} <= set(actions)
    assert "reply" not in actions  # not at this stage
    assign = actions["assign"]["fields"]
    assert assign[0]["name"] == "handler" and assign[0]["choices"]


@pytest.mark.req("PL9")
def test_firing_an_action_takes_the_step_and_starts_its_clock(client, world, clerk, letter):
    response = act(client, clerk, letter, "accept", note="")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "handling"
    assert body["handle_due"] == "2026-11-27"  # 60 days from 28 September
    assert body["accept_due"] == "2026-10-13"
    assert next(c for c in body["clocks"] if c["name"] == "accept")["state"] == "stopped"
    assert "reply" in {a["name"] for a in body["actions"]}


@pytest.mark.req("PL9")
def test_a_step_the_user_may_not_take_is_refused_in_words_and_writes_nothing(
    client, world, clerk, letter
):
    events = Event.objects.count()
    leader = world.users["leader"]  # sees the case, may urge, may not accept it
    response = act(client, leader, letter, "accept")
    assert response.status_code == 403
    assert "Accept" in response.json()["detail"] or "受理" in response.json()["detail"]
    response = act(client, clerk, letter, "reply", values={"outcome": "upheld", "reply": "x"})
    assert response.status_code == 409  # not at this stage
    response = act(client, leader, letter, "urge")  # a reason is required
    assert response.status_code == 422 and response.json()["field"] == "note"
    response = act(client, clerk, letter, "nonesuch")
    assert response.status_code == 404
    response = act(client, clerk, letter, "assign", values={"handler": "999:999"})
    assert response.status_code == 422 and response.json()["field"] == "handler"
    assert Event.objects.count() == events
    letter.refresh_from_db()
    assert letter.state == "received"


@pytest.mark.req("PL9", "PL2")
def test_another_districts_case_is_not_found_and_nothing_is_written(
    client, world, other_clerk, letter
):
    events = Event.objects.count()
    assert client.get(f"/api/v1/cases/{letter.pk}", **bearer(other_clerk)).status_code == 404
    assert act(client, other_clerk, letter, "accept").status_code == 404
    assert act(client, other_clerk, letter, "nonesuch").status_code == 404
    listed = client.get("/api/v1/cases", **bearer(other_clerk)).json()
    assert listed == {"items": [], "count": 0}
    assert Event.objects.count() == events


@pytest.mark.req("PL9")
def test_the_list_filters_and_pages(client, login, world, clerk, letter):
    login(clerk)
    second = register_letter(client, world, subject="校车安全")
    act(client, clerk, second, "accept")
    auth = bearer(clerk)
    rows = client.get("/api/v1/cases?limit=1", **auth).json()
    assert rows["count"] == 2 and len(rows["items"]) == 1
    handling = client.get("/api/v1/cases?state=handling", **auth).json()["items"]
    assert [r["number"] for r in handling] == [second.number]
    assert handling[0]["handle_due"] == "2026-11-27"
    assert client.get("/api/v1/cases?type=petition&mine=true", **auth).json()["count"] == 2
    assert client.get("/api/v1/cases?overdue=true", **auth).json()["count"] == 0
    bad = client.get("/api/v1/cases?type=nonesuch", **auth)
    assert bad.status_code == 422 and bad.json()["field"] == "type"


@pytest.mark.req("PL9")
def test_overdue_cases_are_listed_as_overdue(client, world, clerk, letter, time_machine):
    time_machine.move_to(datetime(2026, 10, 15, 10, tzinfo=TZ))
    rows = client.get("/api/v1/cases?overdue=true", **bearer(clerk)).json()["items"]
    assert [r["number"] for r in rows] == [letter.number]
    accept = next(c for c in rows[0]["clocks"] if c["name"] == "accept")
    assert accept["overdue"] is True and accept["days_left"] == -2
    assert date.fromisoformat(rows[0]["accept_due"]) == date(2026, 10, 13)


@pytest.mark.req("PL9")
def test_a_body_that_is_not_an_action_is_refused_after_the_guard(
    client, world, clerk, other_clerk, letter
):
    url = f"/api/v1/cases/{letter.pk}/actions/accept"
    junk = {"data": "not json", "content_type": "application/json"}
    assert client.post(url, **junk, **bearer(other_clerk)).status_code == 404
    response = client.post(url, **junk, **bearer(clerk))
    assert response.status_code == 422 and response.json()["detail"]
    wrong = client.post(url, {"values": "x"}, content_type="application/json", **bearer(clerk))
    assert wrong.status_code == 422
    letter.refresh_from_db()
    assert letter.state == "received"
    # No body at all: a step without fields.
    assert client.post(url, **bearer(clerk)).status_code == 200
