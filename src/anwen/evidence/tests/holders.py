"""One record of every kind that holds evidence files, for the evidence tests: `HOLDERS[code]
(world, file, school)` makes a record of the school that holds `file`. Built from the models,
not the services, so each holder is the plainest record its owner's rule is asked about. A new
owner in the registry fails `test_every_registered_owner_has_a_holder_here` until it is here."""

from datetime import date

from django.utils import timezone

from anwen.orgs.models import Org

DAY = date(2026, 3, 10)


def letter(world, file, school: Org, person=None):
    from anwen.duties.models import ResponsibilityLetter, SignMethod

    person = person or next(p for p in world.people.values() if p.org_id == school.pk)
    return ResponsibilityLetter.objects.create(
        org=school,
        person=person,
        year=DAY.year,
        person_name=person.name,
        positions="教师",
        content={"preamble": "", "duties": [], "promise": ""},
        method=SignMethod.PAPER,
        signed_on=DAY,
        signed_at=timezone.now(),
        scan=file,
    )


def five_part(world, file, school: Org):
    from anwen.duties.models import FiveInPlace, FiveInPlacePart

    assessment, _ = FiveInPlace.objects.get_or_create(org=school, year=DAY.year)
    part = FiveInPlacePart.objects.create(assessment=assessment, part="responsibility")
    part.evidence.add(file)
    return part


def commitment(world, file, school: Org):
    from anwen.duties.models import Commitment

    record = Commitment.objects.create(
        org=school,
        kind="public",
        date=DAY,
        title="公示承诺",
        content="承诺",
        signer="校长",
        recorded_at=timezone.now(),
    )
    record.evidence.add(file)
    return record


def record(world, file, school: Org):
    from anwen.obligations.models import Record

    row = Record.objects.create(
        kind="obligations.routine", org=school, occurred_on=DAY, submitted_at=timezone.now()
    )
    row.evidence.add(file)
    return row


def _inspection(world, school: Org, purpose: str = "office_weekly"):
    from anwen.inspections.models import (
        ChecklistItem,
        ChecklistTemplate,
        ChecklistVersion,
        Inspection,
    )

    template, _ = ChecklistTemplate.objects.get_or_create(
        owner=world.B1 if school.path.startswith(world.B1.path) else world.B2,
        code="holders",
        defaults={"name": "证据清单", "purpose": purpose},
    )
    version, created = ChecklistVersion.objects.get_or_create(
        template=template, number=1, defaults={"published_at": timezone.now()}
    )
    if created:
        ChecklistItem.objects.create(version=version, category="消防安全", text="灭火器完好")
    safety = next(
        u
        for name, u in world.users.items()
        if name in ("school", "school3", "other_school")
        and u.role_assignments.filter(org=school).exists()
    )
    return Inspection.objects.create(
        org=school,
        level="self",
        lead_org=school,
        purpose=purpose,
        version=version,
        inspected_on=DAY,
        created_by=safety,
    )


def answer(world, file, school: Org):
    from anwen.inspections.models import Answer

    inspection = _inspection(world, school)
    row = Answer.objects.create(
        inspection=inspection,
        item=inspection.version.items.first(),
        result="fail",
        note="灭火器过期",
    )
    row.photos.add(file)
    return row


def finding(world, file, school: Org):
    from anwen.inspections.models import Finding

    inspection = _inspection(world, school)
    row = Finding.objects.create(
        inspection=inspection, org=school, level="self", description="灭火器过期"
    )
    row.photos.add(file)
    return row


def signed_form(world, file, school: Org):
    from anwen.calendar.models import SchoolYear, Semester
    from anwen.fire.models import FireSelfCheck

    year, _ = SchoolYear.objects.get_or_create(start_year=2025)
    semester, _ = Semester.objects.get_or_create(
        school_year=year,
        term="spring",
        defaults={"start": date(2026, 2, 23), "end": date(2026, 7, 10)},
    )
    inspection = _inspection(world, school, purpose="fire_self")
    return FireSelfCheck.objects.create(
        org=school,
        semester=semester,
        inspection=inspection,
        checked_on=DAY,
        form_due=date(2026, 3, 17),
        signed_form=file,
        form_received_at=timezone.now(),
        created_by=inspection.created_by,
    )


def assessment_report(world, file, school: Org):
    from anwen.fire.models import FireRiskAssessment

    return FireRiskAssessment.objects.create(
        org=school,
        year=DAY.year,
        assessed_on=DAY,
        firm="重庆安评消防技术服务有限公司",
        firm_qualification="CQXP-01",
        grade="low",
        report=file,
    )


def _hazard(world, school: Org):
    from anwen.hazards.services import hazard_raise

    return hazard_raise(org=school, source="self", title="灭火器过期", by=world.users["school"])


def hazard_before(world, file, school: Org):
    hazard = _hazard(world, school)
    hazard.photos_before.add(file)
    return hazard


def hazard_after(world, file, school: Org):
    hazard = _hazard(world, school)
    hazard.photos_after.add(file)
    return hazard


def case_file(world, file, school: Org):
    """An attachment of a case whose content the school and those above it read (a safety
    incident: not a confidential type; a confidential case's files are its handlers' only,
    proven in the cases app's own tests)."""
    from anwen.cases.incidents import INCIDENT
    from anwen.cases.services import case_register

    return case_register(
        case_type=INCIDENT,
        org=school,
        by=world.users["school"],
        subject="学生课间摔伤",
        files=[file],
        check_perm=False,  # the same holder is made at every school of the tests
    )


HOLDERS = {
    "duties.letter": letter,
    "duties.five_part": five_part,
    "duties.commitment": commitment,
    "obligations.record": record,
    "inspections.answer": answer,
    "inspections.finding": finding,
    "fire.signed_form": signed_form,
    "fire.assessment_report": assessment_report,
    "hazards.photos_before": hazard_before,
    "hazards.photos_after": hazard_after,
    "cases.files": case_file,
}
