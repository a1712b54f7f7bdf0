"""The patrol pages: the school's checkpoints, schedules and rounds; the printable code sheet;
the rounds of all schools in a centre's or the bureau's scope."""

import re
import shutil
import subprocess
from datetime import time, timedelta

import pytest
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.patrol import services, sheet
from anwen.patrol.models import Checkpoint, PatrolSchedule, Round
from anwen.patrol.tests.conftest import NIGHT, at
from anwen.testing.sheets import sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM3.4")]


def poppler(tool: str, data: bytes, *args: str) -> str:
    """Run a poppler-utils tool (installed with the system) on a PDF given as bytes."""
    path = shutil.which(tool)
    assert path, f"{tool} (poppler-utils) is not installed"
    return subprocess.run(  # noqa: S603 - a fixed system tool on bytes we made
        [path, *args, "-"] + (["-"] if tool == "pdftotext" else []),
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()


def pdf_text(data: bytes) -> str:
    return poppler("pdftotext", data, "-layout")


def test_the_code_sheet_is_a_pdf_with_every_checkpoint_name_in_chinese(world, login, campus):
    response = login(world.users["school"]).get("/patrol/codes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for name in ("东门岗亭", "学生宿舍一楼", "锅炉房"):
        assert name in text
    assert world.S1.name in text


def test_each_code_holds_the_absolute_address_of_its_scan_page(world, login, campus, monkeypatch):
    seen = []
    real = sheet.qr_data_uri
    monkeypatch.setattr(sheet, "qr_data_uri", lambda url: seen.append(url) or real(url))
    login(world.users["school"]).get("/patrol/codes.pdf")
    assert seen == [f"http://testserver/patrol/s/{p.token}/" for p in campus.points]


def test_a_sheet_of_many_codes_runs_over_several_pages(world, login, campus):
    for i in range(10):
        services.checkpoint_create(org=world.S1, by=world.users["school"], name=f"教学楼{i + 1}层")
    data = login(world.users["school"]).get("/patrol/codes.pdf").content
    info = poppler("pdfinfo", data)
    assert re.search(r"Pages:\s+3\n", info)  # 13 codes, six to an A4 page
    assert "(A4)" in info


@pytest.mark.parametrize("username", ["guard", "teacher", "centre", "bureau", "school3"])
def test_only_the_schools_safety_staff_print_its_codes(world, login, campus, username):
    response = login(world.users[username]).get("/patrol/codes.pdf")
    if username == "school3":  # prints its own school's sheet, which has no codes
        assert response.status_code == 302
        assert (
            login(world.users[username]).get(f"/patrol/codes.pdf?org={world.S1.pk}").status_code
            == 404
        )
    else:
        assert response.status_code == 404


def test_the_safety_officer_adds_a_checkpoint_and_a_schedule(world, login):
    client = login(world.users["school"])
    assert client.get("/patrol/checkpoints/add/").status_code == 200
    response = client.post(
        "/patrol/checkpoints/add/", {"name": "北门", "place": "北门岗亭", "sort_order": 1}
    )
    assert response.status_code == 302
    point = Checkpoint.objects.get(org=world.S1, name="北门")
    assert len(point.token) >= 32
    response = client.post(
        "/patrol/schedules/add/",
        {
            "name": "夜间巡更",
            "start_time": "22:00",
            "end_time": "05:30",
            "grace_minutes": 20,
            "judged_at": "08:00",
            "starts_on": timezone.localdate().isoformat(),
            "checkpoints": [point.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    schedule = PatrolSchedule.objects.get(org=world.S1)
    assert schedule.crosses_midnight and list(schedule.checkpoints.all()) == [point]
    assert AuditEvent.objects.filter(action="patrol.schedule.created").exists()
    page = client.get("/patrol/").content.decode()
    assert "北门" in page and "夜间巡更" in page


def test_a_bad_schedule_keeps_the_input_and_says_what_is_wrong(world, login, campus):
    client = login(world.users["school"])
    response = client.post(
        "/patrol/schedules/add/",
        {
            "name": "晚间巡查保留",
            "start_time": "22:00",
            "end_time": "22:00",
            "grace_minutes": 20,
            "judged_at": "08:00",
            "starts_on": timezone.localdate().isoformat(),
            "checkpoints": [campus.points[0].pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "晚间巡查保留" in page and "errorlist" in page
    foreign = services.checkpoint_create(org=world.S3, by=world.users["school3"], name="操场")
    response = client.post(
        "/patrol/schedules/add/",
        {
            "name": "晚间巡查",
            "start_time": "19:00",
            "end_time": "21:00",
            "grace_minutes": 20,
            "judged_at": "08:00",
            "starts_on": timezone.localdate().isoformat(),
            "checkpoints": [foreign.pk],
        },
    )
    assert response.status_code == 400
    assert PatrolSchedule.objects.filter(org=world.S1).count() == 1


def test_a_school_cannot_edit_another_schools_checkpoint(world, login, campus):
    client = login(world.users["school3"])
    url = f"/patrol/checkpoints/{campus.points[0].pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "sort_order": 0}).status_code == 404
    assert login(world.users["guard"]).get(url).status_code == 404


def test_the_guard_sees_tonights_round_and_nothing_to_manage(world, login, campus):
    services.scan_record(checkpoint=campus.points[0], by=world.users["guard"])
    page = login(world.users["guard"]).get("/patrol/").content.decode()
    assert "东门岗亭" in page and "锅炉房" in page
    assert "/patrol/checkpoints/add/" not in page and "codes.pdf" not in page


def _rounds(world):
    for school, user in ((world.S1, "school"), (world.S3, "school3")):
        point = services.checkpoint_create(org=school, by=world.users[user], name="大门")
        services.schedule_create(
            org=school,
            by=world.users[user],
            name="夜间巡更",
            start_time=time(22, 0),
            end_time=time(6, 0),
            checkpoints=[point],
            starts_on=NIGHT,
        )
    services.rounds_evaluate(night=NIGHT, now=at(NIGHT + timedelta(days=1), 9, 0))


def test_a_centre_sees_the_rounds_of_its_own_schools_only(world, login):
    _rounds(world)
    assert Round.objects.count() == 2
    url = f"/patrol/rounds/?start={NIGHT}&end={NIGHT}"
    page = login(world.users["centre"]).get(url).content.decode()
    assert world.S1.name in page and world.S3.name not in page
    page = login(world.users["bureau"]).get(url).content.decode()
    assert world.S1.name in page and world.S3.name in page
    s3_round = Round.objects.get(org=world.S3)
    assert login(world.users["centre"]).get(f"/patrol/rounds/{s3_round.pk}/").status_code == 404
    assert login(world.users["centre2"]).get(f"/patrol/rounds/{s3_round.pk}/").status_code == 200


def test_the_rounds_export_to_excel(world, login):
    _rounds(world)
    response = login(world.users["bureau"]).get(
        f"/patrol/rounds/?start={NIGHT}&end={NIGHT}&format=xlsx"
    )
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {world.S1.name, world.S3.name}
    assert {row[0] for row in rows[1:]} == {NIGHT.isoformat()}


def test_the_bureau_lands_on_the_rounds_list(world, login):
    response = login(world.users["bureau"]).get("/patrol/")
    assert response.status_code == 302 and response["Location"] == "/patrol/rounds/"
    assert login(world.users["agency"]).get("/patrol/").status_code == 404


@pytest.mark.req("SM3.4")
def test_a_schedule_cannot_be_put_in_use_from_a_past_day(world, login, campus):
    """The morning run judges every night since a schedule's first day: starting one "from last
    month" would flag a month of nights nobody owed."""
    client = login(world.users["school"])
    response = client.post(
        "/patrol/schedules/add/",
        {
            "name": "补录巡更",
            "start_time": "21:00",
            "end_time": "23:00",
            "grace_minutes": 20,
            "judged_at": "08:00",
            "starts_on": (timezone.localdate() - timedelta(days=20)).isoformat(),
            "checkpoints": [campus.points[0].pk],
        },
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not PatrolSchedule.objects.filter(name="补录巡更").exists()


@pytest.mark.req("SM3.4")
def test_a_schedule_back_in_use_after_a_pause_owes_no_night_of_the_pause(world, campus):
    schedule = campus.schedule
    today = timezone.localdate()
    fields = dict(
        name=schedule.name,
        start_time=schedule.start_time,
        end_time=schedule.end_time,
        checkpoints=list(schedule.checkpoints.all()),
        grace_minutes=schedule.grace_minutes,
        judged_at=schedule.judged_at,
    )
    services.schedule_update(
        schedule=schedule,
        by=world.users["school"],
        is_active=False,
        starts_on=schedule.starts_on,
        **fields,
    )
    services.schedule_update(
        schedule=schedule,
        by=world.users["school"],
        is_active=True,
        starts_on=schedule.starts_on,
        **fields,
    )
    schedule.refresh_from_db()
    assert schedule.is_active and schedule.starts_on == today
