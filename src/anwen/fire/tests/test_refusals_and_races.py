"""Defects found in review, each held down by a test: a semester already missing cannot be made
good by a check dated back into it, a check submitted after the cut-off is missing, a Word file
is refused before anything is stored, a double start gives one check, and a watcher sees only
the schools he watches."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anwen import calendar
from anwen.calendar.models import SchoolYear, Semester
from anwen.evidence.models import EvidenceFile
from anwen.fire import selectors, services
from anwen.fire.models import CheckStatus, FireSelfCheck
from anwen.fire.tests.conftest import scan_pdf
from anwen.fire.tests.helpers import run_check
from anwen.inspections.models import Inspection
from anwen.obligations.tests.rules import set_rules

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.req("SM7.1"),
    pytest.mark.usefixtures("standard_lists"),
]


@pytest.fixture
def ended(db) -> Semester:
    """A semester that ended 20 days ago, the only one around the days a check may still be
    dated back to (inspections go back 31 days)."""
    today = timezone.localdate()
    start, end = today - timedelta(days=200), today - timedelta(days=20)
    Semester.objects.filter(start__lte=today, end__gte=start).delete()
    year = SchoolYear.objects.create(start_year=2092)
    return Semester.objects.create(
        school_year=year, term="spring", name="刚结束的学期", start=start, end=end
    )


# --- E: the cut-off -----------------------------------------------------------------------------


def test_a_check_dated_back_into_a_semester_already_missing_is_refused(world, login, ended):
    today = timezone.localdate()
    day = today - timedelta(days=25)
    assert calendar.semester_of(day) == ended
    before = selectors.overview(world.users["bureau"], ended, today=today)
    assert {r.school.code: r.status for r in before.rows}["S1"] == CheckStatus.MISSING
    response = login(world.users["school"]).post(
        "/fire/start/",
        {
            "org": world.S1.pk,
            "checked_on": day.isoformat(),
            "participants": [world.people["school"].pk],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    # The message names the last day it could be done.
    assert selectors.last_day(ended, selectors.Rules().of(world.S1)).isoformat() in body
    assert not FireSelfCheck.objects.exists()
    assert not Inspection.objects.filter(purpose="fire_self").exists()
    with pytest.raises(services.FireError):
        services.fire_check_start(org=world.S1, by=world.users["school"], checked_on=day)


def test_within_the_bureaus_cut_off_a_check_may_still_be_dated_back(world, login, ended):
    set_rules(world.B1, by=world.users["bureau"], fire__missing_after_days=60)
    day = timezone.localdate() - timedelta(days=25)
    response = login(world.users["school"]).post(
        "/fire/start/", {"org": world.S1.pk, "checked_on": day.isoformat()}
    )
    assert response.status_code == 302
    assert FireSelfCheck.objects.get(org=world.S1).semester == ended


def test_a_check_submitted_after_the_cut_off_is_missing_even_with_its_form(world, login, semester):
    today = timezone.localdate()
    check = run_check(world, checked_on=today, submit=False)
    # The semester (and its cut-off) ends while the check is still in progress…
    rule = selectors.Rules().of(world.S1)
    end = next(
        today - timedelta(days=back)
        for back in range(1, 30)
        if calendar.due(
            today - timedelta(days=back), calendar.DeadlineRule(rule.missing_after_days, "calendar")
        )
        < today
    )
    Semester.objects.filter(pk=semester.pk).update(end=end)
    semester.refresh_from_db()
    cut_off = selectors.last_day(semester, rule)
    from anwen.inspections import services as inspections

    # …and it is submitted, with its signed form, only afterwards.
    inspections.inspection_submit(inspection=check.inspection, by=world.users["school"])
    services.fire_form_receive(check=check, upload=scan_pdf(), by=world.users["school"])
    check.refresh_from_db()
    assert check.status == CheckStatus.ON_TIME  # the form alone was in time
    overview = selectors.overview(world.users["bureau"], semester, today=today)
    assert {r.school.code: r.status for r in overview.rows}["S1"] == CheckStatus.MISSING
    detail = login(world.users["bureau"]).get(f"/fire/checks/{check.pk}/")
    assert detail.status_code == 200 and detail.context["row"].status == CheckStatus.MISSING
    # Submitted on the last day, the same check would be on time.
    check.inspection.submitted_at = calendar.ends_at(cut_off) - timedelta(minutes=1)
    assert selectors.status_of(check, semester, rule, today) == CheckStatus.ON_TIME


# --- F: a Word file is not stored ---------------------------------------------------------------


def _stored_files() -> set[str]:
    found, pending = set(), [""]
    while pending:
        folder = pending.pop()
        if folder and not default_storage.exists(folder):
            continue
        dirs, files = default_storage.listdir(folder)
        found |= {f"{folder}/{name}" for name in files}
        pending += [f"{folder}/{d}".lstrip("/") for d in dirs]
    return found


def _docx() -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(
        "签字表.docx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_a_word_file_is_refused_before_anything_is_stored(world, login, semester):
    check = run_check(world, checked_on=timezone.localdate())
    files_before = _stored_files()
    response = login(world.users["school"]).post(
        f"/fire/checks/{check.pk}/upload/", {"file": _docx()}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.form_received_at is None and check.signed_form is None
    assert not EvidenceFile.objects.exists()
    assert _stored_files() == files_before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and "PDF" in messages[0]


# --- G: two starts at once ----------------------------------------------------------------------


def test_two_starts_at_once_give_one_check(world, semester, monkeypatch):
    from anwen.inspections import services as inspections

    real = inspections.standard_template
    rival = {}

    def rival_first(org, purpose):
        # The other tap's request makes the check between our look and our insert.
        monkeypatch.setattr(inspections, "standard_template", real)
        rival["check"] = services.fire_check_start(org=org, by=world.users["principal"])
        return real(org, purpose)

    monkeypatch.setattr(inspections, "standard_template", rival_first)
    check = services.fire_check_start(org=world.S1, by=world.users["school"])
    assert check.pk == rival["check"].pk
    assert FireSelfCheck.objects.filter(org=world.S1).count() == 1
    # Our own inspection was undone with our insert.
    assert Inspection.objects.filter(org=world.S1, purpose="fire_self").count() == 1


# --- the overview lists only schools the user watches -------------------------------------------


def test_a_centre_officer_who_teaches_elsewhere_does_not_watch_that_school(world, login, semester):
    from anwen.orgs import services as orgs

    orgs.role_assign(user=world.users["centre"], org=world.S3, role="teacher")
    client = login(world.users["centre"])
    page = client.get("/fire/").content.decode()
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert world.S1.name in table and world.S2.name in table
    assert world.S3.name not in table
