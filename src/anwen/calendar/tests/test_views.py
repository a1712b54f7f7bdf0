"""The calendar page: a bureau's local entries, and the national arrangement."""

from datetime import date

import pytest

from anwen.audit.models import AuditEvent
from anwen.calendar.models import DayOverride, Semester, SensitivePeriod
from anwen.calendar.rules import is_working_day
from anwen.calendar.selectors import semester_of

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL4")]


def test_the_bureau_sees_the_years_holidays_and_adjusted_days_by_source(world, login):
    client = login(world.users["bureau"])
    page = client.get("/calendar/?year=2024").content.decode()
    assert "2024-10-01" in page and "2024-02-04" in page
    assert "2025-2026学年第一学期" in page


def test_a_year_without_a_published_arrangement_says_so(world, login):
    client = login(world.users["bureau"])
    page = client.get("/calendar/?year=2099").content.decode()
    assert 'class="demo-note"' in page
    assert 'class="demo-note"' not in client.get("/calendar/?year=2024").content.decode()


def test_a_nonsense_year_shows_the_current_one(world, login):
    client = login(world.users["bureau"])
    assert client.get("/calendar/?year=abc").status_code == 200
    assert client.get("/calendar/?year=99999").status_code == 200


def test_the_bureau_can_add_a_local_closure_and_sees_it(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/calendar/overrides/add/?year=2027",
        {
            "day": "2027-03-10",
            "kind": "closure",
            "name": "暴雨停课",
            "note": "区教委通知",
        },
    )
    assert response.status_code == 302 and "year=2027" in response["Location"]
    assert not is_working_day(date(2027, 3, 10), org=world.S1)
    page = client.get(response["Location"]).content.decode()
    assert "暴雨停课" in page and "区教委通知" in page
    event = AuditEvent.objects.get(action="calendar.override.created")
    assert event.actor_id == world.users["bureau"].pk and event.ip
    assert event.org_path == world.B1.path


def test_the_platform_admin_adds_the_national_arrangement_ahead_of_the_package(
    world, login, platform
):
    client = login(platform)
    response = client.post(
        "/calendar/overrides/add/?year=2027",
        {
            "day": "2027-02-20",
            "kind": "working",
            "name": "春节调休上班",
            "note": "国办发明电",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert DayOverride.objects.get().org_id is None
    for org in (None, world.S1, world.S9):
        assert is_working_day(date(2027, 2, 20), org=org)
    page = client.get(response["Location"]).content.decode()
    assert "春节调休上班" in page and "国办发明电" in page


def test_a_bad_override_keeps_the_input_and_shows_the_errors(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/calendar/overrides/add/?year=2027",
        {
            "day": "not a date",
            "kind": "closure",
            "name": "留住我的输入",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "留住我的输入" in page and 'class="errorlist' in page
    assert not DayOverride.objects.exists()


def test_a_second_override_for_the_same_date_is_refused_on_the_form(world, login):
    client = login(world.users["bureau"])
    data = {"day": "2027-03-10", "kind": "closure", "name": "一"}
    client.post("/calendar/overrides/add/", data)
    response = client.post("/calendar/overrides/add/", {**data, "name": "二"})
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert DayOverride.objects.get().name == "一"


def test_a_bureau_cannot_enter_a_holiday_or_working_day_of_its_own(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/calendar/overrides/add/", {"day": "2027-02-20", "kind": "working", "name": "自定调休"}
    )
    assert response.status_code == 400
    assert not DayOverride.objects.exists()


def test_the_bureau_can_change_and_delete_its_closure(world, login):
    client = login(world.users["bureau"])
    client.post("/calendar/overrides/add/", {"day": "2027-03-10", "kind": "closure", "name": "a"})
    override = DayOverride.objects.get()
    assert client.get(f"/calendar/overrides/{override.pk}/").status_code == 200
    response = client.post(
        f"/calendar/overrides/{override.pk}/", {"day": "2027-03-11", "kind": "closure", "name": "b"}
    )
    assert response.status_code == 302
    assert (DayOverride.objects.get().date, DayOverride.objects.get().name) == (
        date(2027, 3, 11),
        "b",
    )
    assert client.post(f"/calendar/overrides/{override.pk}/delete/").status_code == 302
    assert not DayOverride.objects.exists()


def test_the_platform_admin_confirms_a_default_semester(world, login, platform):
    client = login(platform)
    semester = Semester.objects.get(school_year__start_year=2026, term="autumn")
    response = client.post(
        f"/calendar/semesters/{semester.pk}/",
        {"start": "2026-09-01", "end": "2027-01-29", "name": semester.name},
    )
    assert response.status_code == 302
    semester.refresh_from_db()
    assert semester.end == date(2027, 1, 29) and not semester.is_default


def test_the_bureau_sets_its_own_dates_for_a_term(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/calendar/semesters/add/",
        {
            "start_year": "2026",
            "term": "autumn",
            "start": "2026-09-01",
            "end": "2027-01-29",
        },
    )
    assert response.status_code == 302
    own = Semester.objects.get(org=world.B1)
    assert semester_of(date(2027, 1, 27), org=world.S1) == own
    # The national default stays for everyone else.
    assert semester_of(date(2027, 1, 27), org=world.S9) is None
    page = client.get(response["Location"]).content.decode()
    assert "replaced by the bureau" in page or "已被本区" in page


def test_a_semester_form_refuses_a_last_day_before_the_first(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/calendar/semesters/add/",
        {
            "start_year": "2027",
            "term": "autumn",
            "start": "2027-09-01",
            "end": "2027-08-01",
        },
    )
    assert response.status_code == 400
    assert not Semester.objects.filter(school_year__start_year=2027).exists()


def test_the_bureau_can_add_a_sensitive_period(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/calendar/sensitive/add/",
        {
            "name": "全国两会",
            "kind": "meeting",
            "start": "2026-03-04",
            "end": "2026-03-12",
        },
    )
    assert response.status_code == 302 and "year=2026" in response["Location"]
    assert "全国两会" in client.get(response["Location"]).content.decode()
    period = SensitivePeriod.objects.get()
    assert period.org_id == world.B1.pk
    assert client.post(f"/calendar/sensitive/{period.pk}/delete/").status_code == 302
    assert not SensitivePeriod.objects.exists()


@pytest.mark.parametrize("username", ["school", "principal", "centre", "leader", "agency"])
def test_users_who_do_not_manage_the_calendar_get_404(world, login, username):
    client = login(world.users[username])
    assert client.get("/calendar/").status_code == 404
    response = client.post(
        "/calendar/overrides/add/", {"day": "2027-02-20", "kind": "working", "name": "x"}
    )
    assert response.status_code == 404
    semester = Semester.objects.first()
    assert client.post(f"/calendar/semesters/{semester.pk}/delete/").status_code == 404
    assert not DayOverride.objects.exists() and Semester.objects.filter(pk=semester.pk).exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/login/" in response["Location"]
