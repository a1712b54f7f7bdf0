"""Reads never write: the periods a page shows were made by `anwen tick` (and by the services
that write records); the inbox, the home page and the board only read. The board opens on the
month that says something and says which; the inbox lists a duty once, by the plan's name."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.obligations.models import Obligation, Period, Target
from anwen.obligations.services import ensure_periods, plan_load, record_add
from anwen.obligations.tasks import ensure_obligation_periods
from anwen.obligations.todo import waiting_on

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _writes(queries) -> list[str]:
    # Sessions and last-login bookkeeping are not the page's doing; only domain tables count.
    return [
        q["sql"]
        for q in queries.captured_queries
        if WRITES.match(q["sql"]) and "obligations_" in q["sql"]
    ]


@pytest.mark.req("PL5")
def test_pages_only_read_the_periods_the_tick_made(world, login):
    day = date(2026, 11, 18)  # a Wednesday
    with time_machine.travel(at(day), tick=False):
        plan_load(owner=world.B1, year=2026, starts_on=date(2026, 11, 2))
        # Nothing generated yet: the pages show nothing, and make nothing.
        for user, url in (
            (world.users["school"], "/inbox/"),
            (world.users["school"], "/"),
            (world.users["bureau"], "/obligations/"),
            (world.users["school"], "/obligations/"),
            (world.users["teacher"], "/inbox/"),
        ):
            client = login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            assert _writes(queries) == [], url
        assert not Period.objects.exists() and not Target.objects.exists()

        # The tick makes today's, this week's and this month's periods …
        result = ensure_obligation_periods.call()
        assert result["periods"] > 0
        periods = Period.objects.filter(org=world.S1)
        assert periods.filter(obligation__frequency="daily", start=day).exists()
        assert periods.filter(obligation__frequency="weekly", start=date(2026, 11, 16)).exists()
        assert periods.filter(obligation__frequency="monthly", start=date(2026, 11, 1)).exists()
        count = Period.objects.count()
        # … and the pages show the work while still writing nothing.
        client = login(world.users["school"])
        with CaptureQueriesContext(connection) as queries:
            inbox = client.get("/inbox/")
            client.get("/")
            client.get("/obligations/")
        assert _writes(queries) == []
        assert Period.objects.count() == count
        assert "校门" in inbox.content.decode() or inbox.context["inbox"].items


def test_a_record_written_through_the_service_counts_at_once(world):
    day = date(2026, 11, 18)
    with time_machine.travel(at(day), tick=False):
        plan_load(owner=world.B1, year=2026, starts_on=date(2026, 11, 2))
        ensure_periods(through=day)
        record_add(kind="routine.gate_log", org=world.S1, occurred_on=day)
        period = Period.objects.get(org=world.S1, obligation__code="gate-log", start=day)
        assert period.done_at is not None


@pytest.fixture
def gate_log(world, make_obligation):
    """A daily gate log, due by the end of the next day (as plan 2021 has it)."""
    return make_obligation(
        "gate-log",
        name="校门进出登记",
        record_kind="routine.gate_log",
        frequency="daily",
        due_days=1,
        role="safety_officer",
        starts_on=date(2026, 10, 1),
    )


@pytest.mark.req("PL5", "SM2.4")
def test_the_inbox_lists_a_duty_once_by_the_name_the_log_form_gives_it(world, login, gate_log):
    day = date(2026, 11, 18)
    with time_machine.travel(at(day), tick=False):
        ensure_periods(through=day)
        record_add(kind="routine.gate_log", org=world.S1, occurred_on=date(2026, 11, 16))
        # Yesterday's log is still due today, today's by tomorrow: one entry, not two.
        items = [
            t
            for t in waiting_on(world.users["school"], today=day)
            if t.kind.startswith("obligations.routine.gate_log")
        ]
        assert [(t.title, t.due) for t in items] == [("校门进出登记", date(2026, 11, 19))]
        assert "2026-11-17" in items[0].detail
        form = login(world.users["school"]).get(f"/obligations/log/?org={world.S1.pk}")
        assert ("routine.gate_log", "校门进出登记") in form.context["form"].fields["kind"].choices
        page = login(world.users["school"]).get("/inbox/").content.decode()
        assert page.count("校门进出登记") == 1


@pytest.mark.req("OG3.1")
def test_on_the_first_the_board_shows_last_month_and_says_so(world, login, gate_log):
    with time_machine.travel(at(date(2026, 11, 1)), tick=False):
        ensure_periods(through=date(2026, 11, 1))
        client = login(world.users["bureau"])
        page = client.get("/obligations/")
        assert page.context["window"].start == date(2026, 10, 1)
        body = page.content.decode()
        assert "本月刚开始，暂显示上月：2026-10" in body
        assert "period=month&amp;date=2026-11-01" in body  # this month, one tap away
        chosen = client.get("/obligations/?period=month&date=2026-11-01")
        assert chosen.context["window"].start == date(2026, 11, 1)


@pytest.mark.req("OG3.1")
def test_mid_month_the_board_shows_the_month_to_date_with_last_month_a_tap_away(
    world, login, gate_log
):
    with time_machine.travel(at(date(2026, 11, 18)), tick=False):
        ensure_periods(through=date(2026, 11, 18))
        page = login(world.users["bureau"]).get("/obligations/")
        assert page.context["window"].start == date(2026, 11, 1)
        body = page.content.decode()
        assert "当前显示本月至今：2026-11-01 – 2026-11-18" in body
        assert "period=month&amp;date=2026-10-01" in body and "上月" in body


def test_a_draft_plan_owes_nothing(world, gate_log):
    plan = gate_log.plan
    plan.is_active = False
    plan.save()
    ensure_periods(through=date(2026, 10, 5))
    assert not Period.objects.filter(obligation=gate_log).exists()
    assert Obligation.objects.filter(plan=plan).count() == 1


@pytest.mark.req("PL5")
def test_on_new_years_day_last_years_duty_and_this_years_are_one_entry(world):
    from anwen.obligations import plan2021
    from anwen.obligations.services import plan_clone, plan_publish

    items = [dict(i) for i in plan2021.OBLIGATIONS if i["code"] == "gate-log"]
    with time_machine.travel(at(date(2026, 12, 20)), tick=False):
        plan_2026 = plan_load(owner=world.B1, year=2026, starts_on=date(2026, 12, 1), items=items)
        ensure_periods(through=date(2026, 12, 20))
        plan_2027 = plan_clone(plan=plan_2026, year=2027, by=None)
        plan_2027.obligations.update(name="校门进出登记（2027）")
        plan_publish(plan=plan_2027, by=None)
    day = date(2027, 1, 1)
    with time_machine.travel(at(day), tick=False):
        ensure_periods(through=day)
        last = Period.objects.get(
            org=world.S1, obligation__plan=plan_2026, start=date(2026, 12, 31)
        )
        first = Period.objects.get(org=world.S1, obligation__plan=plan_2027, start=day)
        assert not Period.objects.filter(obligation__plan=plan_2026, start__year=2027).exists()
        todo = [
            t
            for t in waiting_on(world.users["school"], today=day)
            if t.kind.startswith("obligations.routine.gate_log")
        ]
        assert [(t.title, t.due) for t in todo] == [("校门进出登记（2027）", first.due)]
        assert "2026-12-31" in todo[0].detail and last.due >= day
