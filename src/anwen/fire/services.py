"""Writes of the fire self-check: start the semester's check (an inspection on the standard fire
self-check list) and receive the signed record form. The form's deadline is a rule of the
bureau's yearly plan (`fire.rules`)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit, calendar
from anwen.errors import AppError
from anwen.evidence.models import FileKind
from anwen.fire.models import FireSelfCheck
from anwen.fire.selectors import Rules, last_day
from anwen.orgs.models import Org, OrgKind, SchoolProfile

PURPOSE = "fire_self"
RECORD_KIND = "fire.self_check"
# What a signed and stamped paper form comes back as: a scan (PDF) or a phone photo.
FORM_KINDS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}


class FireError(AppError):
    """A rule of the fire self-check was broken; the message is for the user."""


@transaction.atomic
def fire_check_start(
    *, org: Org, by, checked_on: date | None = None, participants=(), request=None
) -> FireSelfCheck:
    """Start the semester's fire self-check of a school: an inspection on the standard fire
    self-check list, answered on the inspections screen. A second start in the same semester
    returns the check already there."""
    from anwen.inspections.services import InspectionError, inspection_start, standard_template

    if org.kind != OrgKind.SCHOOL:
        raise FireError(_("Only a school runs the fire safety self-check."))
    checked_on = checked_on or timezone.localdate()
    semester = calendar.semester_of(checked_on, org=org)
    if semester is None:
        raise FireError(
            _("%(date)s lies in no semester: the self-check is done during a semester.")
            % {"date": checked_on.isoformat()}
        )
    existing = FireSelfCheck.objects.select_for_update().filter(org=org, semester=semester).first()
    if existing is not None:
        return existing
    rule = Rules(on=checked_on).of(org)
    cut_off = last_day(semester, rule, org=org)
    if timezone.localdate() > cut_off:
        # The semester has been judged missing: a check dated back into it cannot undo that.
        raise FireError(
            _(
                "The self-check of %(semester)s could be done until %(date)s; that "
                "semester counts as missing now. Date the self-check in the current "
                "semester."
            )
            % {"semester": semester.title, "date": cut_off.isoformat()}
        )
    template = standard_template(org, PURPOSE)
    if template is None:
        raise FireError(
            _(
                "The standard fire self-check list has not been loaded yet. Ask the "
                "bureau's safety office to load the standard checklists."
            )
        )
    school = SchoolProfile.objects.filter(org=org).select_related("legal_representative").first()
    representative = school.legal_representative if school else None
    try:
        with transaction.atomic():
            try:
                inspection = inspection_start(
                    org=org,
                    purpose=PURPOSE,
                    level="self",
                    by=by,
                    template=template,
                    inspected_on=checked_on,
                    participants=participants,
                )
            except InspectionError as e:
                raise FireError(str(e)) from e
            check = FireSelfCheck.objects.create(
                org=org,
                semester=semester,
                inspection=inspection,
                checked_on=checked_on,
                form_due=calendar.due(checked_on, rule.deadline, org=org),
                legal_representative=representative.name if representative else "",
                created_by=by,
            )
    except IntegrityError:
        # Started twice at once (a double tap): the first start made the check, with its
        # inspection; ours is undone, and the one there is the school's.
        existing = FireSelfCheck.objects.filter(org=org, semester=semester).first()
        if existing is None:
            raise
        return existing
    audit.record(
        actor=by,
        action="fire.self_check.started",
        obj=check,
        org=org,
        request=request,
        data={
            "semester": semester.title,
            "checked_on": checked_on.isoformat(),
            "form_due": check.form_due.isoformat(),
            "inspection": inspection.pk,
        },
    )
    return check


@transaction.atomic
def fire_form_receive(*, check: FireSelfCheck, upload, by, request=None) -> FireSelfCheck:
    """Keep the signed and stamped record form (a scan or photo) and note when it reached the
    bureau: late when that is after the form's due day."""
    from anwen.evidence.services import EvidenceError, evidence_store

    check = (
        FireSelfCheck.objects.select_for_update(of=("self",))
        .select_related("inspection", "org")
        .get(pk=check.pk)
    )
    if not check.submitted:
        raise FireError(
            _(
                "Submit the self-check first; then print the record form, have it "
                "signed and stamped, and upload it."
            )
        )
    if check.form_received_at is not None:
        raise FireError(_("The signed form of this self-check has already been received."))
    try:
        # Only a scan or a photo is accepted: anything else is refused before it is stored.
        stored = evidence_store(upload=upload, org=check.org, by=by, kinds=FORM_KINDS)
    except EvidenceError as e:
        raise FireError(str(e)) from e
    check.signed_form = stored
    check.form_received_at = timezone.now()
    check.received_by = by
    check.save(update_fields=["signed_form", "form_received_at", "received_by"])
    audit.record(
        actor=by,
        action="fire.self_check.form_received",
        obj=check,
        org=check.org,
        request=request,
        data={
            "file": str(stored.pk),
            "sha256": stored.sha256,
            "form_due": check.form_due.isoformat(),
            "late": check.form_late,
        },
    )
    return check


REPORT_KINDS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}


@transaction.atomic
def assessment_report_attach(*, assessment, upload, by, request=None):
    """Keep the firm's assessment report (a PDF scan or photos) on the assessment; a later
    upload replaces the one kept (the old file stays in the evidence store, as uploaded)."""
    from anwen.evidence.services import EvidenceError, evidence_store
    from anwen.fire.models import FireRiskAssessment

    assessment = (
        FireRiskAssessment.objects.select_for_update(of=("self",))
        .select_related("org")
        .get(pk=assessment.pk)
    )
    try:
        stored = evidence_store(upload=upload, org=assessment.org, by=by, kinds=REPORT_KINDS)
    except EvidenceError as e:
        raise FireError(str(e)) from e
    replaced = assessment.report_id
    assessment.report = stored
    assessment.save(update_fields=["report"])
    audit.record(
        actor=by,
        action="fire.assessment.report_attached",
        obj=assessment,
        org=assessment.org,
        request=request,
        data={"file": str(stored.pk), "sha256": stored.sha256, "replaced": str(replaced or "")},
    )
    return assessment
