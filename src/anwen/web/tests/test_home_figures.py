"""The bureau's and the centres' home opens on this month's safety figures, each a link to the
list behind it, and asks the same number of queries however many schools there are (walk 2,
finding 4)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.obligations.models import Obligation, Plan
from anwen.obligations.services import ensure_periods
from anwen.testing.world import add_schools

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 6)


@pytest.fixture
def daily(world):
    plan = Plan.objects.create(owner=world.B1, code="test-plan", name="测试计划", year=2026)
    Obligation.objects.create(
        plan=plan,
        code="gate-log",
        name="门卫登记",
        record_kind="routine.gate_log",
        frequency="daily",
        starts_on=date(2026, 10, 1),
    )
    ensure_periods(through=TODAY)
    with time_machine.travel(TODAY, tick=False):
        yield world


def figures_of(response) -> dict[str, tuple[str, str]]:
    return {str(f.label): (f.value, f.url) for f in response.context["figures"]}


@pytest.mark.req("PL1")
@pytest.mark.parametrize("username", ["bureau", "leader", "centre"])
def test_the_home_shows_the_months_figures_of_the_board_as_links(daily, login, username):
    client = login(daily.users[username])
    response = client.get("/")
    figures = figures_of(response)
    board = client.get("/obligations/?period=month&date=2026-11-01").context["total"]
    rate, url = figures["完成率（2026-11）"]
    assert rate == (f"{board.rate_pct}%" if board.rate_pct is not None else "—")
    assert url == "/obligations/?period=month&date=2026-11-01"
    assert figures["逾期未完成"][0] == str(board.missed) and board.missed > 0
    assert figures["消防自查缺报"][1] == "/fire/?status=missing"
    assert figures["2026 年安全责任书签订率"][1] == "/duties/?year=2026"
    page = response.content.decode()
    # Each number is a link, and what it links to answers.
    for _value, link in figures.values():
        assert f'<a class="card" href="{link.replace("&", "&amp;")}"' in page
        assert client.get(link).status_code == 200


def test_a_school_home_has_no_district_figures(daily, login):
    assert "figures" not in login(daily.users["school"]).get("/").context


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.req("PL2")
@pytest.mark.parametrize("username", ["bureau", "centre"])
def test_the_figures_ask_the_same_queries_with_more_schools(daily, login, username):
    client = login(daily.users[username])
    _queries(client)
    before = _queries(client)
    assert client.get("/").context["figures"]
    add_schools(daily, 12, parent="C1", staff=3)
    ensure_periods(through=TODAY)
    assert _queries(client) == before


def test_the_home_counts_what_has_expired_in_the_registers(daily, login):
    from anwen.testing.toyregister.models import Gadget

    Gadget.objects.create(org=daily.S1, code="G1", kind="lamp", check_due=date(2026, 10, 1))
    Gadget.objects.create(org=daily.S3, code="G2", kind="lamp", check_due=date(2026, 11, 2))
    Gadget.objects.create(org=daily.S9, code="G3", kind="lamp", check_due=date(2026, 10, 1))
    Gadget.objects.create(org=daily.S1, code="G4", kind="lamp", check_due=date(2026, 11, 20))
    client = login(daily.users["bureau"])
    value, url = figures_of(client.get("/"))["已过期的证照、检查与年检"]
    assert value == "2"  # G1 and G2; G3 is another district's, G4 not due yet
    assert url == "/registers/expiring/?state=expired"
    listed = client.get(url).content.decode()
    assert "Lamp G1" in listed and "Lamp G2" in listed and "Lamp G4" not in listed
    client = login(daily.users["centre"])  # centre C1: S1 only
    assert figures_of(client.get("/"))["已过期的证照、检查与年检"][0] == "1"
