"""Calendars that belong to someone: the national arrangement applies everywhere and only a
platform administrator edits it; a bureau's closures, semesters and sensitive periods apply to
its own orgs only, and another bureau can neither see nor touch them."""

import ast
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.apps import apps

from anwen import calendar
from anwen.accounts.models import User
from anwen.calendar import services
from anwen.calendar.models import DayOverride, Semester, SensitivePeriod
from anwen.calendar.rules import Counting

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL4")]

CLOSED = date(2026, 3, 10)  # a Tuesday in term


def _closure(world, bureau: str, day: date = CLOSED) -> DayOverride:
    return services.override_create(
        by=world.users["bureau"],
        owner_id=world.orgs[bureau].pk,
        day=day,
        kind="closure",
        name="暴雨停课",
    )


def _sensitive(world, bureau: str) -> SensitivePeriod:
    return services.sensitive_period_create(
        by=world.users["bureau"],
        owner_id=world.orgs[bureau].pk,
        name="防汛",
        kind="flood",
        start=date(2026, 10, 12),
        end=date(2026, 10, 14),
    )


# --- the questions: every one takes the org it is asked for ----------------------------------


@pytest.mark.req("PL2")
def test_a_closure_of_district_b_changes_nothing_for_district_a(world):
    _closure(world, "B2")
    assert not calendar.is_working_day(CLOSED, org=world.S9)
    assert not calendar.is_working_day(CLOSED, org=world.C9)
    for org in (world.S1, world.S3, world.C1, world.B1, None):
        assert calendar.is_working_day(CLOSED, org=org)
    # Five working days from Monday 9 March: district B skips its closed Tuesday.
    assert calendar.due(date(2026, 3, 9), 5, "working", org=world.S1) == date(2026, 3, 16)
    assert calendar.due(date(2026, 3, 9), 5, "working", org=world.S9) == date(2026, 3, 17)


def test_due_of_a_school_counts_its_bureaus_closure_as_a_day_off(world):
    _closure(world, "B1")
    rule = calendar.DeadlineRule(1, Counting.WORKING)
    assert calendar.due(date(2026, 3, 9), rule, org=world.S1) == date(2026, 3, 11)
    # A calendar-day period ending on the closed day runs on to the next working day.
    assert calendar.due(date(2026, 3, 9), 1, org=world.S2) == date(2026, 3, 11)
    assert calendar.next_working_day(date(2026, 3, 9), org=world.S3) == date(2026, 3, 11)
    assert calendar.working_days_between(date(2026, 3, 9), date(2026, 3, 13), org=world.S1) == 3
    # The org's path alone will do, and without an org only the national arrangement counts.
    assert calendar.due(date(2026, 3, 9), rule, org=world.S1.path) == date(2026, 3, 11)
    assert calendar.due(date(2026, 3, 9), rule) == date(2026, 3, 10)


@pytest.mark.req("PL2")
def test_a_sensitive_period_of_district_b_is_not_one_of_district_a(world):
    period = _sensitive(world, "B2")
    day = date(2026, 10, 13)
    assert calendar.sensitive_periods_on(day, org=world.S9) == [period]
    assert calendar.in_sensitive_period(day, org=world.S9)
    assert not calendar.in_sensitive_period(day, org=world.S1)
    assert not calendar.in_sensitive_period(day)
    assert (
        list(
            calendar.sensitive_periods_between(date(2026, 10, 1), date(2026, 10, 31), org=world.S1)
        )
        == []
    )


@pytest.mark.req("PL2")
def test_district_b_sensitive_period_makes_no_daily_duty_periods_in_district_a(world):
    from anwen.obligations.models import Obligation, Period, Plan
    from anwen.obligations.periods import ensure_periods

    def duty(owner):
        plan = Plan.objects.create(owner=owner, code="plan", name="计划")
        return Obligation.objects.create(
            plan=plan,
            code="duty",
            name="值班日报",
            record_kind="routine.holiday_duty",
            frequency="sensitive_daily",
            starts_on=date(2026, 9, 1),
        )

    a, b = duty(world.B1), duty(world.B2)
    _sensitive(world, "B2")
    with time_machine.travel(date(2026, 10, 20), tick=False):
        ensure_periods(through=date(2026, 10, 31))
    assert not Period.objects.filter(obligation=a).exists()
    assert sorted(
        Period.objects.filter(obligation=b, org=world.S9).values_list("start", flat=True)
    ) == [date(2026, 10, d) for d in (12, 13, 14)]


def test_semester_duties_follow_each_districts_own_semester_dates(world):
    from anwen.obligations.models import Obligation, Period, Plan
    from anwen.obligations.periods import ensure_periods

    services.semester_create(
        by=world.users["bureau"],
        owner_id=world.B1.pk,
        start_year=2026,
        term="autumn",
        start=date(2026, 8, 31),
        end=date(2027, 1, 29),
    )
    obligations = {}
    for bureau in ("B1", "B2"):
        plan = Plan.objects.create(owner=world.orgs[bureau], code="plan", name="计划")
        obligations[bureau] = Obligation.objects.create(
            plan=plan,
            code="drill",
            name="疏散演练",
            record_kind="routine.drill",
            frequency="semester",
            starts_on=date(2026, 8, 1),
        )
    with time_machine.travel(date(2026, 10, 20), tick=False):
        ensure_periods(through=date(2026, 10, 31))

    def spans(bureau, school):
        return list(
            Period.objects.filter(
                obligation=obligations[bureau], org=world.orgs[school]
            ).values_list("start", "end")
        )

    assert spans("B1", "S1") == [(date(2026, 8, 31), date(2027, 1, 29))]
    assert spans("B2", "S9") == [(date(2026, 9, 1), date(2027, 1, 22))]


def test_a_bureaus_semester_replaces_the_national_default_for_its_orgs_only(world):
    own = services.semester_create(
        by=world.users["bureau"],
        owner_id=world.B1.pk,
        start_year=2026,
        term="autumn",
        start=date(2026, 8, 31),
        end=date(2027, 1, 29),
    )
    national = Semester.objects.get(org=None, school_year__start_year=2026, term="autumn")
    assert calendar.semester_of(date(2026, 8, 31), org=world.S1) == own
    assert calendar.semester_of(date(2026, 8, 31), org=world.S9) is None
    assert calendar.semester_of(date(2026, 10, 1), org=world.S9) == national
    assert calendar.semester_of(date(2026, 10, 1)) == national
    terms = calendar.semesters_between(date(2026, 1, 1), date(2027, 12, 31), org=world.S1)
    assert [s.org_id for s in terms] == [None, None, world.B1.pk, None]


def test_each_bureau_may_enter_its_own_closure_on_the_same_day(world):
    _closure(world, "B1")
    _closure(world, "B2")
    assert DayOverride.objects.filter(date=CLOSED).count() == 2


def test_the_cache_reads_a_year_once_for_every_bureau(world, django_assert_num_queries):
    _closure(world, "B1")
    calendar.clear_cache()
    with django_assert_num_queries(1):
        for org in (world.S1, world.S2, world.S9, None):
            calendar.due(date(2026, 3, 2), 20, "working", org=org)


# --- the pages -----------------------------------------------------------------------------


@pytest.mark.req("PL2")
def test_another_bureaus_officer_cannot_touch_district_a_entries(world, login):
    closure = _closure(world, "B1")
    period = services.sensitive_period_create(
        by=world.users["bureau"],
        owner_id=world.B1.pk,
        name="中考",
        kind="exam",
        start=date(2026, 6, 14),
        end=date(2026, 6, 16),
    )
    semester = services.semester_create(
        by=world.users["bureau"],
        owner_id=world.B1.pk,
        start_year=2027,
        term="autumn",
        start=date(2027, 9, 1),
        end=date(2028, 1, 21),
    )
    client = login(world.users["other_bureau"])
    page = client.get("/calendar/?year=2026").content.decode()
    assert "暴雨停课" not in page and "中考" not in page
    attempts = [
        ("get", f"/calendar/overrides/{closure.pk}/", {}),
        (
            "post",
            f"/calendar/overrides/{closure.pk}/",
            {"day": "2026-03-11", "kind": "closure", "name": "改"},
        ),
        ("post", f"/calendar/overrides/{closure.pk}/delete/", {}),
        (
            "post",
            f"/calendar/sensitive/{period.pk}/",
            {"name": "改", "kind": "exam", "start": "2026-06-14", "end": "2026-06-16"},
        ),
        ("post", f"/calendar/sensitive/{period.pk}/delete/", {}),
        (
            "post",
            f"/calendar/semesters/{semester.pk}/",
            {"start": "2027-09-02", "end": "2028-01-21"},
        ),
        ("post", f"/calendar/semesters/{semester.pk}/delete/", {}),
        # Making a row for district A from district B's page.
        (
            "post",
            "/calendar/overrides/add/",
            {"owner": str(world.B1.pk), "day": "2026-03-12", "kind": "closure", "name": "x"},
        ),
        (
            "post",
            "/calendar/sensitive/add/",
            {
                "owner": str(world.B1.pk),
                "name": "x",
                "kind": "other",
                "start": "2026-05-01",
                "end": "2026-05-02",
            },
        ),
        ("post", "/calendar/overrides/99999999999999999999999/delete/", {}),
    ]
    for method, url, data in attempts:
        assert getattr(client, method)(url, data).status_code == 404, url
    closure.refresh_from_db()
    period.refresh_from_db()
    semester.refresh_from_db()
    assert (closure.date, closure.name, period.name, semester.start) == (
        CLOSED,
        "暴雨停课",
        "中考",
        date(2027, 9, 1),
    )
    assert DayOverride.objects.count() == SensitivePeriod.objects.count() == 1


@pytest.mark.req("PL2")
def test_a_bureau_officer_sees_the_national_arrangement_but_cannot_change_it(
    world, login, platform
):
    national = services.override_create(
        by=platform, owner_id=None, day=date(2027, 2, 20), kind="working", name="春节调休上班"
    )
    default = Semester.objects.filter(org=None).first()
    for username in ("bureau", "other_bureau"):
        client = login(world.users[username])
        page = client.get("/calendar/?year=2027").content.decode()
        assert "春节调休上班" in page
        assert f"/calendar/overrides/{national.pk}/" not in page
        assert f"/calendar/semesters/{default.pk}/" not in page
        for method, url, data in [
            ("get", f"/calendar/overrides/{national.pk}/", {}),
            (
                "post",
                f"/calendar/overrides/{national.pk}/",
                {"day": "2027-02-20", "kind": "holiday", "name": "改"},
            ),
            ("post", f"/calendar/overrides/{national.pk}/delete/", {}),
            ("post", f"/calendar/semesters/{default.pk}/delete/", {}),
            (
                "post",
                "/calendar/overrides/add/",
                {"owner": "national", "day": "2027-02-21", "kind": "working", "name": "x"},
            ),
            (
                "post",
                "/calendar/semesters/add/",
                {
                    "owner": "national",
                    "start_year": "2027",
                    "term": "autumn",
                    "start": "2027-09-01",
                    "end": "2028-01-21",
                },
            ),
        ]:
            assert getattr(client, method)(url, data).status_code == 404, url
    national.refresh_from_db()
    assert (national.kind, national.name) == ("working", "春节调休上班")
    assert DayOverride.objects.count() == 1
    assert Semester.objects.filter(pk=default.pk).exists()
    assert not Semester.objects.filter(school_year__start_year=2027, term="autumn").exists()


@pytest.mark.parametrize("how", ["permission", "superuser"])
def test_a_platform_admin_edits_the_national_arrangement(world, login, platform, how):
    admin = (
        platform
        if how == "permission"
        else User.objects.create_superuser(username="root", password="x-Root-pass-2026")
    )
    client = login(admin)
    assert client.get("/calendar/?year=2027").status_code == 200
    response = client.post(
        "/calendar/overrides/add/?year=2027",
        {"owner": "national", "day": "2027-02-22", "kind": "holiday", "name": "春节"},
    )
    assert response.status_code == 302
    override = DayOverride.objects.get(org=None)
    assert not calendar.is_working_day(date(2027, 2, 22), org=world.S9)
    assert not calendar.is_working_day(date(2027, 2, 22), org=world.S1)
    response = client.post(
        f"/calendar/overrides/{override.pk}/",
        {"day": "2027-02-22", "kind": "holiday", "name": "春节假期"},
    )
    assert response.status_code == 302
    assert DayOverride.objects.get().name == "春节假期"
    # A platform admin with no role in a bureau has no local entries to edit.
    closure = _closure(world, "B1")
    assert client.post(f"/calendar/overrides/{closure.pk}/delete/").status_code == 404
    assert DayOverride.objects.filter(pk=closure.pk).exists()


@pytest.mark.req("PL2")
def test_a_sensitive_period_added_by_district_b_drives_only_district_b(world, login):
    """The defect: a second bureau's officer added a sensitive period that drove the first
    district's duties."""
    client = login(world.users["other_bureau"])
    response = client.post(
        "/calendar/sensitive/add/",
        {"name": "另一区汛期", "kind": "flood", "start": "2026-06-01", "end": "2026-06-30"},
    )
    assert response.status_code == 302
    assert SensitivePeriod.objects.get().org_id == world.B2.pk
    assert calendar.in_sensitive_period(date(2026, 6, 15), org=world.S9)
    assert not calendar.in_sensitive_period(date(2026, 6, 15), org=world.S1)
    page = login(world.users["bureau"]).get("/calendar/?year=2026").content.decode()
    assert "另一区汛期" not in page


# --- the rows that came before owners ----------------------------------------------------------


def _migration():
    from importlib import import_module

    return import_module("anwen.calendar.migrations.0004_existing_rows_to_their_owner")


def test_old_rows_go_to_the_only_bureau_or_stay_national_by_nature(db):
    from anwen.orgs import services as org_services
    from anwen.orgs.models import OrgKind

    bureau = org_services.org_create(kind=OrgKind.BUREAU, name="唯一区教委", code="ONE")
    DayOverride.objects.create(date=CLOSED, kind="closure", name="停课")
    holiday = DayOverride.objects.create(date=date(2027, 2, 22), kind="holiday", name="春节")
    period = SensitivePeriod.objects.create(
        name="汛期", kind="flood", start=date(2026, 6, 1), end=date(2026, 6, 30)
    )
    confirmed = Semester.objects.get(school_year__start_year=2025, term="autumn")
    confirmed.is_default = False
    confirmed.save()
    _migration().assign_owners(apps, None)
    owners = {o.name: o.org_id for o in DayOverride.objects.all()}
    assert owners == {"停课": bureau.pk, "春节": None}
    period.refresh_from_db()
    confirmed.refresh_from_db()
    assert period.org_id == bureau.pk and confirmed.org_id == bureau.pk
    # The shipped defaults stay national: the fallback of every bureau to come.
    assert not Semester.objects.filter(is_default=True).exclude(org=None).exists()
    assert holiday.pk in DayOverride.objects.filter(org=None).values_list("pk", flat=True)


def test_with_several_bureaus_old_rows_stay_national(world):
    closure = DayOverride.objects.create(date=CLOSED, kind="closure", name="停课")
    _migration().assign_owners(apps, None)
    closure.refresh_from_db()
    assert closure.org_id is None
    assert not calendar.is_working_day(CLOSED, org=world.S1)  # as it was: everywhere


# --- layering ----------------------------------------------------------------------------------


def test_the_calendar_imports_no_other_app_but_the_audit_trail():
    root = Path(calendar.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "anwen" and len(parts) > 1:
                    found.add(parts[1])
    # `errors` is the library module every app's refusal subclasses, `forms` the one of the
    # bounded form fields (ids, dates): library modules, not apps.
    assert found <= {"calendar", "audit", "errors", "forms"}, found


def test_a_semester_with_records_is_not_deleted_and_the_page_says_why(world, login):
    from anwen.audit.models import AuditEvent
    from anwen.fire.services import fire_check_start
    from anwen.inspections.services import standard_templates_load

    standard_templates_load(owner=world.B1)
    semester = services.semester_create(
        by=world.users["bureau"],
        owner_id=world.B1.pk,
        start_year=2026,
        term="autumn",
        start=date(2026, 8, 31),
        end=date(2027, 1, 29),
    )
    with time_machine.travel(date(2026, 10, 20), tick=False):
        check = fire_check_start(org=world.S1, by=world.users["school"])
    assert check.semester == semester
    client = login(world.users["bureau"])
    response = client.post(f"/calendar/semesters/{semester.pk}/delete/", follow=True)
    assert response.status_code == 200 and "不能删除" in response.content.decode()
    assert Semester.objects.filter(pk=semester.pk).exists()
    assert not AuditEvent.objects.filter(action="calendar.semester.deleted").exists()


def test_a_platform_admin_finds_the_calendar_in_the_menu(world, login, platform):
    page = login(platform).get("/").content.decode()
    assert 'href="/calendar/"' in page.split('class="sidenav"', 1)[1].split("</nav>", 1)[0]
