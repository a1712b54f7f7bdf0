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
