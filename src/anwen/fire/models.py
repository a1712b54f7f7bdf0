"""The fire safety self-check of each semester (SM7.1, plan 二（一）7): every school checks itself
on the standard fire self-check list at least once a semester, and within five days (a rule
of the bureau's yearly plan, `fire.rules`) sends the record form (《学校幼儿园消防安全隐患检查记录表》), signed by the legal
representative and stamped, to the bureau's safety office.

The check itself is an inspection of the inspections app (purpose fire_self, level self); this
app keeps what belongs to the self-check: its semester, the form's deadline, and the signed
form when it arrives.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from anwen import calendar


class CheckStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("Self-check in progress")
    AWAITING_FORM = "awaiting_form", _("Awaiting signed form")
    ON_TIME = "on_time", _("Done on time")
    LATE = "late", _("Form late")
    MISSING = "missing", _("Missing")


# The colour of each state (UI.md), always shown with its word.
STATE_CLASS: dict[str, str] = {
    CheckStatus.ON_TIME: "done",
    CheckStatus.LATE: "late",
    CheckStatus.AWAITING_FORM: "open",
    CheckStatus.IN_PROGRESS: "open",
    CheckStatus.NOT_STARTED: "open",
    CheckStatus.MISSING: "missed",
}


class FireSelfCheck(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    semester = models.ForeignKey(
        "calendar.Semester",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("semester"),
    )
    inspection = models.OneToOneField(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        related_name="fire_self_check",
        verbose_name=_("inspection"),
    )
    checked_on = models.DateField(_("date of the self-check"))
    form_due = models.DateField(_("signed form due"))
    signed_form = models.ForeignKey(
        "evidence.EvidenceFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )
    form_received_at = models.DateTimeField(_("form received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # As printed on the form: the school's legal representative when the check was started.
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fire safety self-check")
        verbose_name_plural = _("fire safety self-checks")
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "semester"], name="fire_one_check_a_semester")
        ]
        indexes = [models.Index(fields=["semester", "org"])]

    def __str__(self) -> str:
        return f"{self.org} {self.semester}"

    @property
    def submitted(self) -> bool:
        return self.inspection.status == "submitted"

    @property
    def form_late(self) -> bool:
        return self.form_received_at is not None and self.form_received_at >= calendar.ends_at(
            self.form_due
        )

    @property
    def status(self) -> str:
        """Where the check stands. Whether a semester without a submitted check is missing
        depends on the bureau's cut-off: the selectors decide that."""
        if self.form_received_at is not None:
            return CheckStatus.LATE if self.form_late else CheckStatus.ON_TIME
        if self.submitted:
            return CheckStatus.AWAITING_FORM
        return CheckStatus.IN_PROGRESS

    @property
    def status_label(self) -> StrOrPromise:
        return CheckStatus(self.status).label

    @property
    def state_class(self) -> str:
        return STATE_CLASS[self.status]

    def form_overdue(self, today) -> bool:
        return self.form_received_at is None and today > self.form_due


# --- SM7.2 fire equipment and SM7.3 the yearly assessment of fire high-risk units -------------
# Both are registers (`fire.registers`): the generic pages list, add, import and export them,
# and the one expiry mechanism lists what is due or expired. What is theirs alone lives here:
# the rule that maintenance and assessment are by a qualified firm.


def _firm_checked(record, *, done_on: str, firm: str, number: str) -> None:
    """Maintenance and assessment are by a qualified firm only (plan 二（一）7; 《消防法》第
    三十四条): a service or an assessment on record names the firm and its qualification
    number, or the record is refused, from the form and the import alike."""
    from django.core.exceptions import ValidationError

    errors = {}
    if getattr(record, done_on) is not None and not getattr(record, firm).strip():
        errors[firm] = _("Name the firm that did the work.")
    if getattr(record, firm).strip() and not getattr(record, number).strip():
        errors[number] = _(
            "Only a qualified fire-service firm may do this work: enter the firm's "
            "qualification certificate number."
        )
    if errors:
        raise ValidationError(errors)


class EquipmentKind(models.TextChoices):
    EXTINGUISHER = "extinguisher", _("Fire extinguisher")
    HYDRANT = "hydrant", _("Fire hydrant")
    ALARM = "alarm", _("Fire alarm system")
    LIGHTING = "lighting", _("Emergency lighting and exit signs")
    SPRINKLER = "sprinkler", _("Sprinkler system")
    OTHER = "other", _("Other fire equipment")


class FireEquipment(models.Model):
    """A school's fire equipment at one place (灭火器、消火栓、火灾报警…): how many, of which
    type, serviced when and by which qualified firm. The next service is the plan's: the last
    service plus the plan's interval for the kind (`fire.rules.SERVICE_MONTHS`), computed by
    the register before every save."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    kind = models.CharField(_("kind of equipment"), max_length=16, choices=EquipmentKind.choices)
    code = models.CharField(_("equipment code or place"), max_length=60)
    place = models.CharField(_("where it is"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("quantity"), default=1)
    model_type = models.CharField(_("model or type"), max_length=60, blank=True)
    maintained_by = models.CharField(_("maintenance firm"), max_length=100, blank=True)
    firm_qualification = models.CharField(
        _("firm's qualification number"), max_length=60, blank=True
    )
    last_serviced_on = models.DateField(_("last serviced on"), null=True, blank=True)
    service_due = models.DateField(_("next service due"), null=True, blank=True, editable=False)
    expires_on = models.DateField(_("scrap date"), null=True, blank=True)

    class Meta:
        verbose_name = _("fire equipment")
        verbose_name_plural = _("fire equipment")
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="fire_equipment_one_code")
        ]
        indexes = [models.Index(fields=["service_due"]), models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    def clean(self) -> None:
        _firm_checked(
            self, done_on="last_serviced_on", firm="maintained_by", number="firm_qualification"
        )


class RiskGrade(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")
    VERY_HIGH = "very_high", _("Very high risk")


class FireRiskAssessment(models.Model):
    """The yearly fire safety assessment of a fire high-risk school (消防安全评估) by a
    qualified firm. Which schools are high-risk is the plan's (`fire.rules`, read by
    `fire.equipment.high_risk_schools`); one assessment a school a year."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    year = models.PositiveSmallIntegerField(_("assessment year"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    firm = models.CharField(_("assessing firm"), max_length=100)
    firm_qualification = models.CharField(
        _("firm's qualification number"), max_length=60, blank=True
    )
    grade = models.CharField(_("assessment result"), max_length=12, choices=RiskGrade.choices)
    report_no = models.CharField(_("report number"), max_length=60, blank=True)
    # The firm's report (a PDF scan), attached on the assessment's own page, not in the
    # register's form or import (a file is no cell of a spreadsheet).
    report = models.ForeignKey(
        "evidence.EvidenceFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("assessment report"),
    )
    next_due = models.DateField(_("next assessment due"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fire risk assessment")
        verbose_name_plural = _("fire risk assessments")
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="fire_one_assessment_a_year")
        ]
        indexes = [models.Index(fields=["year", "org"]), models.Index(fields=["next_due"])]

    def __str__(self) -> str:
        return f"{self.year} {self.firm}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        _firm_checked(self, done_on="assessed_on", firm="firm", number="firm_qualification")
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
