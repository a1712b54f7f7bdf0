"""The completion board and the school page through the Django test client: who sees which rows,
the figures with their counts, states said in words, Excel on every list."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from anwen.obligations.services import ensure_periods, records_bulk_add
from anwen.obligations.tests.conftest import at
from anwen.testing.sheets import sheet_rows

pytestmark = pytest.mark.django_db


def _month_before_last() -> tuple[date, date]:
    first_this = timezone.localdate().replace(day=1)
    last = (first_this - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


@pytest.fixture
def history(world, make_obligation):
    """A daily gate log over the month before last: S1 logs every day, S2 the first ten days
    (two of them late), S3 nothing."""
    first, last = _month_before_last()
    make_obligation("gate-log", name="校门进出登记", starts_on=first)
    ensure_periods(through=timezone.localdate())
    rows, day = [], first
    while day <= last:
        rows.append(
            {
                "kind": "routine.gate_log",
                "org_id": world.S1.pk,
                "occurred_on": day,
                "submitted_at": at(day),
            }
        )
        if day.day <= 10:
            late = day.day > 8
            rows.append(
                {
                    "kind": "routine.gate_log",
                    "org_id": world.S2.pk,
                    "occurred_on": day,
                    "submitted_at": at(day + timedelta(days=20 if late else 0)),
                }
            )
        day += timedelta(days=1)
    records_bulk_add(rows)
    return first, last


def _tables(body: str) -> str:
    """The data tables of a page (the top bar's org chooser lists every school in scope)."""
    parts = body.split('<table class="data">')[1:]
    return "".join(part.split("</table>")[0] for part in parts)


def _query(first):
    return f"?period=month&date={first.isoformat()}"


@pytest.mark.req("OG3.1")
def test_the_bureau_sees_centres_and_drills_down_to_schools(world, login, history):
    first, last = history
    n = last.day
    client = login(world.bureau)
    page = client.get("/obligations/" + _query(first))
    assert page.status_code == 200
    body = page.content.decode()
    table = _tables(body)
    assert world.C1.name in table and world.C2.name in table and world.S1.name not in table
    assert (
        f'{round((n + 10) / (2 * n) * 100)}%</span><span class="muted obl-count">（{n + 10}/{2 * n}）'
        in body
    )
    assert 'class="state state-missed"' in body and 'class="state state-late"' in body
    drill = client.get("/obligations/" + _query(first) + f"&centre={world.C1.pk}")
    body = _tables(drill.content.decode())
    assert world.S1.name in body and world.S2.name in body and world.S3.name not in body
    assert f"（{n}/{n}）" in body and f"（10/{n}）" in body
    assert f"/obligations/school/{world.S2.pk}/" in body


@pytest.mark.req("OG3.1", "PL2")
def test_a_centre_sees_its_schools_and_a_school_its_own_obligations(world, login, history):
    first, last = history
    centre = _tables(login(world.centre).get("/obligations/" + _query(first)).content.decode())
    assert world.S1.name in centre and world.S2.name in centre and world.S3.name not in centre
    assert login(world.centre).get(f"/obligations/?centre={world.C2.pk}").status_code == 404
    school = login(world.school).get("/obligations/" + _query(first)).content.decode()
    assert world.S1.name in school.split("<h1>")[1].split("</h1>")[0]
    assert "校门进出登记" in _tables(school) and 'id="missed"' in school
    assert 'class="state state-missed"' not in _tables(school)  # S1 missed nothing
    assert login(world.teacher).get("/obligations/").status_code == 404
    assert login(world.agency).get("/obligations/").status_code == 404


@pytest.mark.req("OG3.1")
def test_the_school_page_lists_the_missed_periods(world, login, history):
    first, last = history
    client = login(world.centre)
    page = client.get(f"/obligations/school/{world.S2.pk}/" + _query(first))
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('<span class="state state-missed">') >= last.day - 10
    assert last.isoformat() in body
    assert client.get(f"/obligations/school/{world.S3.pk}/").status_code == 404  # C2's
    assert client.get(f"/obligations/school/{world.C1.pk}/").status_code == 404  # not a school
    assert login(world.school).get(f"/obligations/school/{world.S2.pk}/").status_code == 404


@pytest.mark.req("OG3.1")
def test_every_list_exports_to_excel(world, login, history):
    first, last = history
    client = login(world.bureau)

    def sheet(url):
        response = client.get(url)
        assert response.status_code == 200
        return sheet_rows(response)

    board = sheet("/obligations/" + _query(first) + f"&centre={world.C1.pk}&format=xlsx")
    assert [r[:4] for r in board[1:]] == [
        (world.S1.name, last.day, last.day, last.day),
        (world.S2.name, last.day, last.day, 10),
    ]
    missed = sheet(
        f"/obligations/school/{world.S2.pk}/" + _query(first) + "&format=xlsx&list=missed"
    )
    assert len(missed) == 1 + last.day - 10
    per_obligation = sheet(f"/obligations/school/{world.S2.pk}/" + _query(first) + "&format=xlsx")
    assert per_obligation[1][0] == "校门进出登记"
    plan = sheet("/obligations/plan/?format=xlsx")
    assert plan[1][1] == "校门进出登记"


def test_the_board_moves_between_periods_and_tolerates_bad_parameters(world, login, history):
    client = login(world.bureau)
    for query in (
        "?period=week&date=2026-02-30",
        "?period=decade",
        "?obligation=abc",
        "?period=semester&date=2026-08-01",
        "?period=year",
        "?period=day",
    ):
        assert client.get("/obligations/" + query).status_code == 200, query
    page = client.get("/obligations/?period=day&date=2026-10-08").content.decode()
    assert "date=2026-10-07" in page and "date=2026-10-09" in page


@pytest.mark.req("OG3.1")
def test_the_school_page_folds_missed_periods_per_task_with_a_late_record_link(
    world, login, history
):
    first, last = history
    client = login(world.centre)
    body = client.get(f"/obligations/school/{world.S2.pk}/" + _query(first)).content.decode()
    missed = body.split('id="missed"', 1)[1]
    [fold] = missed.split("<details")[1:]
    assert 'id="missed-gate-log"' in fold
    assert "校门进出登记" in fold.split("</summary>", 1)[0]
    assert f"{last.day - 10} 期" in fold.split("</summary>", 1)[0]
    # One line per period: a one-day period's day once, then its due day (a daily log is
    # due two days on here), not the same date three times.
    line = fold.split("<li>", 2)[1].split("</li>", 1)[0]
    assert f'<time datetime="{last.isoformat()}">{last:%m-%d}</time>' in line
    assert line.count(f'datetime="{last.isoformat()}"') == 1 and "未完成" in line
    # The centre may not log for the school: no late-record link; the big numbers are links.
    assert "补记" not in fold
    cards = body.split('<div class="cards">', 1)[1].split("</div>\n", 1)[0]
    assert cards.count('<a class="card"') == 5 and 'href="#missed"' in cards
    # The table's count says how many periods, and leads to the task's fold.
    assert 'href="#missed-gate-log" class="state state-missed">' in _tables(body)
    assert "个超时" not in body and "逾期未完成 " not in body


@pytest.mark.req("OG3.1")
def test_a_schools_own_officer_gets_a_late_record_link_on_the_log_form(world, login, history):
    first, last = history
    client = login(world.users["school"])  # S1's officer: S1 logged every day; make a gap
    from anwen.obligations.models import Period, Record

    period = Period.objects.get(obligation__code="gate-log", org=world.S1, start=last)
    Record.objects.filter(org=world.S1, occurred_on=last).delete()
    Period.objects.filter(pk=period.pk).update(done_at=None, on_time=None, records=0)
    body = client.get("/obligations/" + _query(first)).content.decode()
    link = f"/obligations/log/?org={world.S1.pk}&amp;kind=routine.gate_log&amp;date={last}"
    assert f'<a class="obl-late" href="{link}">补记</a>' in body
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_the_boards_big_numbers_and_counts_are_links(world, login, history):
    first, _last = history
    body = login(world.users["bureau"]).get("/obligations/" + _query(first)).content.decode()
    cards = body.split('<div class="cards">', 1)[1].split("</div>\n", 1)[0]
    assert cards.count('<a class="card" href="#obl-table">') == 5
    tables = _tables(body)
    assert f'&amp;centre={world.C1.pk}" class="state state-missed">' in tables
    assert " 期</" in tables and "个超时" not in tables
