"""Defects found in review, each held down by a test: board dates far outside any history,
periods remade after a change of rhythm, logging for a school one may not log for, roles that
do not grant the view, and a plan form sent twice."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from anwen.obligations import selectors, services
from anwen.obligations.models import Obligation, Period, Record, Target
from anwen.obligations.services import ensure_periods, plan_load, record_add, records_bulk_add
from anwen.obligations.tests.conftest import at
from anwen.orgs import services as orgs

pytestmark = pytest.mark.django_db


# --- A: the board's date ------------------------------------------------------------------------


@pytest.mark.req("OG3.1")
@pytest.mark.parametrize(
    "query",
    [
        "period=day&date=0001-01-01",
        "period=week&date=0001-01-01",
        "period=month&date=9999-12-01",
        "period=week&date=9999-12-31",
        "period=semester&date=9999-12-31",
        "period=year&date=1899-05-05",
    ],
)
def test_a_date_far_outside_any_history_is_refused_with_a_message(
    world, login, make_obligation, query
):
    make_obligation("gate-log", name="校门进出登记", starts_on=date(2026, 10, 1))
    today = timezone.localdate()
    for user, url in (
        (world.bureau, "/obligations/"),
        (world.school, "/obligations/"),
        (world.bureau, f"/obligations/school/{world.S1.pk}/"),
    ):
        response = login(user).get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)
        body = response.content.decode()
        assert "2000-01-01" in body and "2100-12-31" in body  # the message names the range
        assert 'class="errorlist"' in body
        # The board falls back to today, keeping the period asked for.
        period = query.split("&")[0].split("=")[1]
        assert response.context["kind"] == period
        assert response.context["day"] == today
        assert login(user).get(f"{url}?{query}&format=xlsx").status_code == 200


@pytest.mark.req("OG3.1")
def test_the_windows_at_the_edges_of_the_range_do_not_step_outside_it():
    first = selectors.window("week", selectors.FIRST_DAY)
    assert first.previous_day == selectors.FIRST_DAY
    last = selectors.window("month", date(9999, 12, 31))  # taken as the last day shown
    assert (last.start, last.end) == (date(2100, 12, 1), date(2100, 12, 31))
    assert last.next_day == selectors.LAST_DAY
    assert selectors.window("day", date(1, 1, 1)).start == selectors.FIRST_DAY


# --- B: periods remade after a change of rhythm are counted -------------------------------------


@pytest.mark.req("SM2.2", "SM2.3")
def test_a_duty_switched_to_monthly_mid_month_counts_the_record_of_the_3rd(world, make_obligation):
    ob = make_obligation(
        "report", record_kind="routine.info_report", frequency="weekly", starts_on=date(2026, 9, 28)
    )
    ensure_periods(through=date(2026, 10, 14))
    record_add(
        kind="routine.info_report",
        org=world.S1,
        occurred_on=date(2026, 10, 3),
        submitted_at=at(date(2026, 10, 3)),
    )
    week = Period.objects.get(obligation=ob, org=world.S1, start=date(2026, 9, 28))
    assert week.records == 1
    # On the 15th the bureau makes the duty monthly: what was open of the weekly rhythm goes,
    # and every target restarts from the 15th (what obligation_update does on that day).
    Obligation.objects.filter(pk=ob.pk).update(frequency="monthly")
    Period.objects.filter(obligation=ob, due__gte=date(2026, 10, 15)).delete()
    Target.objects.filter(obligation=ob).update(generated_through=date(2026, 10, 14))
    ensure_periods(through=date(2026, 10, 15))
    month = Period.objects.get(obligation=ob, org=world.S1, start=date(2026, 10, 1))
    # The month began on the 1st, before generation resumed: the record of the 3rd counts.
    assert (month.end, month.records, month.on_time) == (date(2026, 10, 31), 1, True)
    assert month.done_at == at(date(2026, 10, 3))
    other = Period.objects.get(obligation=ob, org=world.S2, start=date(2026, 10, 1))
    assert other.records == 0 and other.done_at is None


# --- C: logging only for a school one may log for -----------------------------------------------


@pytest.mark.req("SM2.4")
def test_logging_for_a_school_one_may_not_log_for_is_a_404_and_writes_nothing(world, login):
    today = timezone.localdate()
    plan_load(owner=world.B1, starts_on=today - timedelta(days=40))
    ensure_periods(through=today)
    client = login(world.school)  # safety officer of S1
    entry = {"kind": "routine.safety_meeting", "occurred_on": today.isoformat(), "note": "x"}
    for org in (world.S3.pk, world.S9.pk, "999999", "S1"):
        assert client.post("/obligations/log/", {**entry, "org": org}).status_code == 404, org
        assert client.get(f"/obligations/log/?org={org}").status_code == 404, org
    assert not Record.objects.exists()
    # Its own school, named or by default, still works.
    assert client.post("/obligations/log/", {**entry, "org": world.S1.pk}).status_code == 302
    assert client.post("/obligations/log/", entry).status_code == 302
    assert set(Record.objects.values_list("org_id", flat=True)) == {world.S1.pk}


# --- D: the board shows only schools where the user may view obligations ------------------------


@pytest.fixture
def two_hats(world, make_obligation):
    """The teacher of S1 is also principal of S3; both schools log the gate every day of
    October."""
    orgs.role_assign(user=world.teacher, org=world.S3, role="principal")
    make_obligation("gate-log", name="校门进出登记", starts_on=date(2026, 10, 1))
    ensure_periods(through=date(2026, 10, 31))
    records_bulk_add(
        [
            {
                "kind": "routine.gate_log",
                "org_id": org.pk,
                "occurred_on": day,
                "submitted_at": at(day),
            }
            for org in (world.S1, world.S3)
            for day in (date(2026, 10, 1) + timedelta(days=i) for i in range(31))
        ]
    )
    return world.teacher


@pytest.mark.req("OG3.1", "PL2")
def test_a_teacher_here_and_principal_there_sees_only_the_school_he_heads(world, login, two_hats):
    rows = selectors.completion(
        user=two_hats, start=date(2026, 10, 1), end=date(2026, 10, 31), today=date(2026, 11, 5)
    )
    assert [r.name for r in rows] == [world.S3.name]
    client = login(two_hats)
    page = client.get("/obligations/?period=month&date=2026-10-01")
    assert page.status_code == 200
    tables = "".join(
        p.split("</table>")[0] for p in page.content.decode().split('<table class="data">')[1:]
    )
    assert world.S3.name in tables and world.S1.name not in tables
    sheet = client.get("/obligations/?period=month&date=2026-10-01&format=xlsx")
    names = [
        row[0]
        for row in load_workbook(io.BytesIO(sheet.getvalue())).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert world.S3.name in names and world.S1.name not in names
    assert client.get(f"/obligations/school/{world.S1.pk}/").status_code == 404
    assert client.get(f"/obligations/school/{world.S3.pk}/").status_code == 200


# --- G: a plan form sent twice ------------------------------------------------------------------


@pytest.mark.req("SM2.3")
def test_an_obligation_added_twice_at_once_is_refused_with_a_message(world, monkeypatch):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    fields = {
        "code": "psych-talk",
        "name": "心理谈心",
        "category": "nine_ones",
        "record_kind": "routine.psych-talk",
        "frequency": "monthly",
        "times": 1,
        "due_days": 0,
        "due_counting": "calendar",
        "org_kind": "school",
        "school_types": [],
        "boarding_only": False,
        "role": "",
        "is_active": True,
    }
    real = services._validated

    def rival_first(obligation):
        # The first of two identical requests inserts between our check and our insert.
        monkeypatch.setattr(services, "_validated", real)
        services.obligation_create(plan=plan, by=world.bureau, fields=dict(fields))
        return real(obligation)

    monkeypatch.setattr(services, "_validated", rival_first)
    with pytest.raises(services.ObligationError) as refused:
        services.obligation_create(plan=plan, by=world.bureau, fields=dict(fields))
    assert refused.value.field == "code"
    assert str(refused.value) == gettext("An obligation with this code exists in the plan.")
    # The refusal left the transaction usable (no aborted transaction on PostgreSQL).
    assert Obligation.objects.filter(plan=plan).exists()
