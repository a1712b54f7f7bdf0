"""Routine systems are logged activities (SM2.4): the school logs one on the log form, with a
photo if it has one, and the log fulfils its obligation at the obligation's frequency."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anwen.audit.models import AuditEvent
from anwen.obligations.models import Period, Record
from anwen.obligations.services import ensure_periods, plan_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2021(world):
    today = timezone.localdate()
    plan = plan_load(owner=world.B1, starts_on=today - timedelta(days=40))
    ensure_periods(through=today)
    return plan


def _today_period(code, org):
    today = timezone.localdate()
    return Period.objects.get(obligation__code=code, org=org, start__lte=today, end__gte=today)


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("会议.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.req("SM2.4")
def test_logging_a_safety_meeting_with_a_photo_fulfils_the_months_meeting(world, login, plan_2021):
    client = login(world.school)
    page = client.get("/obligations/log/")
    assert page.status_code == 200
    body = page.content.decode()
    for code in (
        "routine.safety_meeting",
        "routine.gate_duty",
        "routine.campus_patrol",
        "routine.gate_log",
        "routine.home_visit",
        "routine.info_report",
    ):
        assert f'value="{code}"' in body
    assert 'value="routine.dorm_check"' not in body  # S1 is a day school
    today = timezone.localdate()
    response = client.post(
        "/obligations/log/",
        {
            "org": world.S1.pk,
            "kind": "routine.safety_meeting",
            "occurred_on": today.isoformat(),
            "note": "研究部署期末安全工作",
            "photo": _photo(),
        },
    )
    assert response.status_code == 302
    period = _today_period("safety-meeting", world.S1)
    assert period.done_at is not None and period.on_time is True
    record = Record.objects.get(kind="routine.safety_meeting", org=world.S1)
    assert record.by == world.school and record.evidence.count() == 1
    assert AuditEvent.objects.filter(action="obligations.record.logged").exists()
    listing = client.get(f"/obligations/log/?org={world.S1.pk}").content.decode()
    assert "研究部署期末安全工作" in listing and "会议" in listing


@pytest.mark.req("SM2.4")
def test_gate_duty_needs_both_the_arrival_and_the_dismissal_post(world, login, plan_2021):
    client = login(world.principal)
    today = timezone.localdate()
    period = (
        Period.objects.filter(obligation__code="gate-duty", org=world.S1, start__lte=today)
        .order_by("-start")
        .first()
    )
    day = period.start.isoformat()
    client.post(
        "/obligations/log/", {"kind": "routine.gate_duty", "occurred_on": day, "note": "早高峰"}
    )
    period.refresh_from_db()
    assert (period.records, period.done_at) == (1, None)
    client.post(
        "/obligations/log/", {"kind": "routine.gate_duty", "occurred_on": day, "note": "晚放学"}
    )
    period.refresh_from_db()
    assert period.records == 2 and period.done_at is not None


@pytest.mark.req("SM2.4")
def test_dorm_night_checks_are_owed_by_boarding_schools_only(world, login, plan_2021):
    assert set(
        Period.objects.filter(obligation__code="dorm-check").values_list("org__code", flat=True)
    ) == {"S3"}
    client = login(world.school3)
    today = timezone.localdate()
    client.post(
        "/obligations/log/",
        {"kind": "routine.dorm_check", "occurred_on": today.isoformat(), "note": "22:30 查寝"},
    )
    assert _today_period("dorm-check", world.S3).done_at is not None
    # A day school cannot log a dorm check it does not owe.
    response = login(world.school).post(
        "/obligations/log/", {"kind": "routine.dorm_check", "occurred_on": today.isoformat()}
    )
    assert response.status_code == 200
    assert not Record.objects.filter(kind="routine.dorm_check", org=world.S1).exists()


@pytest.mark.req("SM2.4")
@pytest.mark.day(date(2026, 11, 19))  # a Thursday: last week's report was due on Monday
def test_a_weekly_report_logged_any_day_of_the_week_fulfils_that_week(world, login, plan_2021):
    client = login(world.school)
    today = timezone.localdate()
    period = (
        Period.objects.filter(obligation__code="info-report", org=world.S1, end__lt=today)
        .order_by("-start")
        .first()
    )
    middle = period.start + timedelta(days=3)
    client.post(
        "/obligations/log/", {"kind": "routine.info_report", "occurred_on": middle.isoformat()}
    )
    period.refresh_from_db()
    assert period.records == 1 and period.done_at is not None
    # Logged after the due day: done, but late.
    assert period.on_time is False


def test_a_future_date_is_refused_and_the_form_keeps_what_was_typed(world, login, plan_2021):
    client = login(world.school)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/obligations/log/",
        {"kind": "routine.gate_log", "occurred_on": tomorrow.isoformat(), "note": "明天的登记"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "明天的登记" in body and 'class="errorlist' in body
    assert not Record.objects.exists()


def test_a_log_entered_by_mistake_is_withdrawn_and_the_period_reopens(world, login, plan_2021):
    client = login(world.school)
    today = timezone.localdate()
    client.post("/obligations/log/", {"kind": "routine.gate_log", "occurred_on": today.isoformat()})
    record = Record.objects.get(kind="routine.gate_log")
    assert _today_period("gate-log", world.S1).done_at is not None
    assert client.get(f"/obligations/log/{record.pk}/withdraw/").status_code == 405
    # Another school's officer cannot touch it.
    assert login(world.school3).post(f"/obligations/log/{record.pk}/withdraw/").status_code == 404
    client = login(world.school)
    assert client.post(f"/obligations/log/{record.pk}/withdraw/").status_code == 302
    assert not Record.objects.exists()
    assert _today_period("gate-log", world.S1).done_at is None


def test_the_log_is_for_school_staff_who_run_safety_work(world, login, plan_2021):
    assert login(world.teacher).get("/obligations/log/").status_code == 404
    assert login(world.bureau).get("/obligations/log/").status_code == 404
    export = login(world.school).get("/obligations/log/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
