"""A school runs its semester's fire self-check on the standard list, prints the record form,
and uploads it signed and stamped; late after the bureau's deadline, missing when a semester
passes without one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anwen import calendar
from anwen.audit.models import AuditEvent
from anwen.fire import selectors, services
from anwen.fire.models import CheckStatus, FireSelfCheck
from anwen.fire.tests.conftest import day_between, pdf_text, poppler, scan_pdf
from anwen.fire.tests.helpers import PROBLEM, run_check
from anwen.inspections.models import Finding
from anwen.obligations.tests.rules import plan_of, rules_post, set_rules

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.req("SM7.1"),
    pytest.mark.usefixtures("standard_lists"),
]


def test_starting_makes_an_inspection_on_the_standard_fire_list(world, login, semester):
    client = login(world.users["school"])
    today = timezone.localdate()
    response = client.post(
        "/fire/start/",
        {
            "org": world.S1.pk,
            "checked_on": today.isoformat(),
            "participants": [world.people["school"].pk],
        },
    )
    assert response.status_code == 302
    check = FireSelfCheck.objects.get(org=world.S1)
    inspection = check.inspection
    assert (inspection.purpose, inspection.level, inspection.org) == ("fire_self", "self", world.S1)
    assert inspection.version.template.code == "fire-self-check"
    # The checklist is answered on the inspections screen.
    assert response["Location"] == f"/inspections/{inspection.pk}/"
    assert client.get(response["Location"]).status_code == 200
    assert check.semester == semester and check.checked_on == today
    assert check.form_due == calendar.due(today, 5)
    assert AuditEvent.objects.filter(action="fire.self_check.started").exists()
    # A second start in the same semester resumes the same check.
    client.post("/fire/start/", {"org": world.S1.pk, "checked_on": today.isoformat()})
    assert FireSelfCheck.objects.filter(org=world.S1).count() == 1


def test_the_record_form_is_a_chinese_pdf_with_the_school_and_its_problems(world, login, semester):
    check = run_check(world, checked_on=timezone.localdate())
    finding = Finding.objects.select_related("answer__item").get(inspection=check.inspection)
    response = login(world.users["school"]).get(f"/fire/checks/{check.pk}/form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert world.S1.name in text
    assert "法定代表人" in text
    assert "".join(PROBLEM.split()) in text  # the problem written on the failed item
    assert finding.answer.item.text in text
    assert world.people["school"].name in text  # the inspector
    info = poppler("pdfinfo", response.content)
    assert "A4" in info or "841.89 x 595.276" in info


def test_the_legal_representative_is_printed_by_name(world, login, semester):
    from anwen.orgs import services as orgs

    principal = world.people["principal"]
    orgs.school_profile_save(
        org=world.S1, school_type="primary", enrolment=820, legal_representative=principal
    )
    check = run_check(world, checked_on=timezone.localdate())
    assert check.legal_representative == principal.name
    text = pdf_text(login(world.users["school"]).get(f"/fire/checks/{check.pk}/form.pdf").content)
    assert principal.name in text


def test_a_form_uploaded_within_the_days_is_on_time(world, login, semester):
    check = run_check(world, checked_on=timezone.localdate())
    response = login(world.users["school"]).post(
        f"/fire/checks/{check.pk}/upload/", {"file": scan_pdf()}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.signed_form is not None and check.signed_form.kind == "pdf"
    assert check.received_by == world.users["school"]
    assert check.status == CheckStatus.ON_TIME
    assert AuditEvent.objects.filter(action="fire.self_check.form_received").exists()


def test_a_form_uploaded_after_five_days_is_late(world, login, semester):
    check = run_check(world, checked_on=day_between())
    login(world.users["school"]).post(f"/fire/checks/{check.pk}/upload/", {"file": scan_pdf()})
    check.refresh_from_db()
    assert check.form_received_at is not None
    assert check.status == CheckStatus.LATE


def test_with_the_bureaus_rule_at_ten_days_the_same_form_is_on_time(world, login, semester):
    client = login(world.users["bureau"])
    plan = plan_of(world.B1)
    assert client.get("/fire/rule/").status_code == 302  # the rule lives in the plan
    response = client.post(
        f"/obligations/plan/{plan.pk}/rules/", rules_post(plan, **{"fire.form_deadline.days": 10})
    )
    assert response.status_code == 302
    check = run_check(world, checked_on=day_between())
    assert check.form_due == calendar.due(check.checked_on, 10)
    login(world.users["school"]).post(f"/fire/checks/{check.pk}/upload/", {"file": scan_pdf()})
    check.refresh_from_db()
    assert check.status == CheckStatus.ON_TIME


def test_changing_the_rule_recounts_forms_still_awaited(world, semester):
    check = run_check(world, checked_on=day_between())
    assert check.form_due == calendar.due(check.checked_on, 5)
    set_rules(
        world.B1,
        by=world.users["bureau"],
        fire__form_deadline=calendar.DeadlineRule(10, "calendar"),
    )
    check.refresh_from_db()
    assert check.form_due == calendar.due(check.checked_on, 10)
    assert AuditEvent.objects.filter(action="obligations.plan.rules_changed").exists()


def test_the_form_cannot_be_uploaded_before_the_check_is_submitted(world, login, semester):
    check = run_check(world, checked_on=timezone.localdate(), submit=False)
    login(world.users["school"]).post(f"/fire/checks/{check.pk}/upload/", {"file": scan_pdf()})
    check.refresh_from_db()
    assert check.form_received_at is None and check.status == CheckStatus.IN_PROGRESS


def test_a_spreadsheet_is_not_a_signed_form(world, login, semester):
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = run_check(world, checked_on=timezone.localdate())
    text = SimpleUploadedFile("form.txt", b"just text", content_type="text/plain")
    login(world.users["school"]).post(f"/fire/checks/{check.pk}/upload/", {"file": text})
    check.refresh_from_db()
    assert check.form_received_at is None


def test_a_past_semester_without_a_submitted_check_is_missing(world, semester, past_semester):
    today = timezone.localdate()
    overview = selectors.overview(world.users["bureau"], past_semester, today=today)
    states = {row.school.code: row.status for row in overview.rows}
    assert states == {"S1": "missing", "S2": "missing", "S3": "missing"}
    running = selectors.overview(world.users["bureau"], semester, today=today)
    assert {row.status for row in running.rows} == {CheckStatus.NOT_STARTED}


def test_the_cut_off_after_the_semester_is_configurable(world, past_semester):
    today = timezone.localdate()
    set_rules(world.B1, by=world.users["bureau"], fire__missing_after_days=60)
    overview = selectors.overview(world.users["bureau"], past_semester, today=today)
    assert {row.status for row in overview.rows} == {CheckStatus.NOT_STARTED}


def test_the_bureau_sees_every_school_by_status_and_exports_them(world, login, semester):
    import io

    from openpyxl import load_workbook

    done = run_check(world, checked_on=timezone.localdate())
    services.fire_form_receive(check=done, upload=scan_pdf(), by=world.users["school"])
    run_check(world, checked_on=timezone.localdate(), school="S3", officer="school3")
    client = login(world.users["bureau"])
    page = client.get(f"/fire/?semester={semester.pk}").content.decode()
    for school in (world.S1, world.S2, world.S3):
        assert school.name in page
    assert world.S9.name not in page
    response = client.get(f"/fire/?semester={semester.pk}&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    by_school = {row[0]: row[2] for row in rows[1:]}
    assert by_school[world.S1.name] == str(CheckStatus.ON_TIME.label)
    assert by_school[world.S3.name] == str(CheckStatus.AWAITING_FORM.label)
    assert by_school[world.S2.name] == str(CheckStatus.NOT_STARTED.label)
    only_awaiting = client.get(f"/fire/?semester={semester.pk}&status=awaiting_form")
    table = only_awaiting.content.decode().split("<tbody>")[1]
    assert world.S3.name in table and world.S2.name not in table


def test_a_centre_sees_only_its_own_schools(world, login, semester):
    check = run_check(world, checked_on=timezone.localdate(), school="S3", officer="school3")
    client = login(world.users["centre"])
    page = client.get("/fire/").content.decode()
    assert world.S1.name in page and world.S2.name in page and world.S3.name not in page
    assert client.get(f"/fire/checks/{check.pk}/").status_code == 404
    assert client.get(f"/fire/checks/{check.pk}/form.pdf").status_code == 404
    assert login(world.users["centre2"]).get(f"/fire/checks/{check.pk}/").status_code == 200


def test_another_school_cannot_see_or_upload(world, login, semester):
    check = run_check(world, checked_on=timezone.localdate())
    for username in ("school3", "other_school", "agency"):
        client = login(world.users[username])
        assert client.get(f"/fire/checks/{check.pk}/").status_code == 404
        assert client.get(f"/fire/checks/{check.pk}/form.pdf").status_code == 404
        assert (
            client.post(f"/fire/checks/{check.pk}/upload/", {"file": scan_pdf()}).status_code == 404
        )
    # The centre may look but the upload is the school's.
    assert (
        login(world.users["centre"])
        .post(f"/fire/checks/{check.pk}/upload/", {"file": scan_pdf()})
        .status_code
        == 404
    )
    check.refresh_from_db()
    assert check.form_received_at is None


def test_the_school_page_shows_the_next_step(world, login, semester):
    client = login(world.users["school"])
    assert "/fire/start/" in client.get("/fire/").content.decode()
    check = run_check(world, checked_on=timezone.localdate())
    page = client.get("/fire/").content.decode()
    assert (
        f"/fire/checks/{check.pk}/form.pdf" in page and f"/fire/checks/{check.pk}/upload/" in page
    )
    services.fire_form_receive(check=check, upload=scan_pdf(), by=world.users["school"])
    page = client.get("/fire/").content.decode()
    assert "/upload/" not in page and "/fire/start/" not in page


def test_a_day_outside_every_semester_cannot_start_a_check(world, semester):
    from anwen.calendar.models import Semester

    day = min(Semester.objects.values_list("start", flat=True)) - timedelta(days=1)
    with pytest.raises(services.FireError):
        services.fire_check_start(org=world.S1, by=world.users["school"], checked_on=day)
