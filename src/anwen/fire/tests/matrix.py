"""The fire self-check's routes with a parameter, for the permission matrix (web/tests)."""

from datetime import date

from anwen.calendar.models import SchoolYear, Semester
from anwen.fire.models import FireSelfCheck
from anwen.orgs.scope import visible_orgs

OBJECT_ROUTES = {
    "fire:check": ("fire_check", "pk"),
    "fire:form_pdf": ("fire_check", "pk"),
    "fire:upload": ("fire_check", "pk"),
    "fire:assessment_report": ("fire_assessment", "pk"),
}

_SCHOOLS = ("S1", "S2", "S3", "S9")


def _school(world, user, inside: bool):
    seen = set(visible_orgs(user).values_list("pk", flat=True))
    for key in _SCHOOLS:
        if (world.orgs[key].pk in seen) == inside:
            return world.orgs[key]
    return world.orgs["S1"]  # sees no school at all: any one is "inside" and answers 404


def check_sampler(world, user, inside):
    from anwen.inspections.models import (
        ChecklistItem,
        ChecklistTemplate,
        ChecklistVersion,
        Inspection,
    )

    school = _school(world, user, inside)
    found = FireSelfCheck.objects.filter(org=school).first()
    if found:
        return found.pk
    template, _new = ChecklistTemplate.objects.get_or_create(
        owner=world.B1,
        code="matrix-fire",
        defaults={"name": "消防安全自查", "purpose": "fire_self"},
    )
    version, created = ChecklistVersion.objects.get_or_create(template=template, number=1)
    if created:
        ChecklistItem.objects.create(version=version, category="消防设施", text="灭火器完好有效")
    year, _new = SchoolYear.objects.get_or_create(start_year=2092)
    semester, _new = Semester.objects.get_or_create(
        school_year=year,
        term="autumn",
        defaults={"start": date(2092, 9, 1), "end": date(2093, 1, 20)},
    )
    inspection = Inspection.objects.create(
        org=school,
        level="self",
        lead_org=school,
        purpose="fire_self",
        version=version,
        inspected_on=date(2092, 10, 8),
        status="submitted",
        created_by=world.users["school"],
    )
    return FireSelfCheck.objects.create(
        org=school,
        semester=semester,
        inspection=inspection,
        checked_on=date(2092, 10, 8),
        form_due=date(2092, 10, 13),
        created_by=world.users["school"],
    ).pk


def assessment_sampler(world, user, inside):
    from anwen.fire.models import FireRiskAssessment

    school = _school(world, user, inside)
    assessment, _new = FireRiskAssessment.objects.get_or_create(
        org=school,
        year=2092,
        defaults={
            "assessed_on": date(2092, 5, 6),
            "firm": "矩阵消防技术服务有限公司",
            "firm_qualification": "MATRIX-01",
            "grade": "low",
        },
    )
    return assessment.pk


SAMPLERS = {"fire_check": check_sampler, "fire_assessment": assessment_sampler}
