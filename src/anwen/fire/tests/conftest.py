import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anwen import calendar
from anwen.calendar.models import SchoolYear, Semester


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
    """The PDF's text with all white space removed (table cells wrap Chinese anywhere)."""
    return "".join(poppler("pdftotext", data).split())


def scan_pdf(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


@pytest.fixture
def semester(db) -> Semester:
    """A semester that has run for 60 days today and runs 60 more, whatever today's date, and
    the only one around: the shipped semesters cover only a few years, and in a vacation or
    early in a term one of them would own the days the tests date their checks to."""
    today = timezone.localdate()
    start, end = today - timedelta(days=60), today + timedelta(days=60)
    Semester.objects.filter(start__lte=end, end__gte=start).delete()
    year = SchoolYear.objects.create(start_year=2090)
    return Semester.objects.create(
        school_year=year, term="autumn", name="测试学期", start=start, end=end
    )


@pytest.fixture
def past_semester(db) -> Semester:
    today = timezone.localdate()
    year = SchoolYear.objects.create(start_year=2091)
    return Semester.objects.create(
        school_year=year,
        term="spring",
        name="已结束学期",
        start=today - timedelta(days=200),
        end=today - timedelta(days=20),
    )


@pytest.fixture
def standard_lists(world):
    from anwen.inspections.services import standard_templates_load

    standard_templates_load(owner=world.B1)


def day_between(five: int = 5, ten: int = 10) -> date:
    """A day of the self-check whose form is late today under a 5-day rule and on time under
    a 10-day one, by the calendar in force (holidays move deadlines)."""
    today = timezone.localdate()
    for back in range(1, 40):
        day = today - timedelta(days=back)
        if calendar.due(day, five) < today <= calendar.due(day, ten):
            return day
    raise AssertionError("no such day in the last 40")
