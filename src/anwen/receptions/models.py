"""Leaders' reception schedule (PS1.5): the bureau's leaders meet petitioners by appointment
(约访), on the reception day (接访), by going down to a school or town (下访), or going down
with a case in hand (带案下访). A reception is planned, then held (with what came of it) or
cancelled; it may name the case it is about."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceptionKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment (约访)")
    RECEPTION_DAY = "reception_day", _("Reception day (接访)")
    VISIT = "visit", _("Going down (下访)")
    VISIT_WITH_CASE = "visit_with_case", _("Going down with a case (带案下访)")


class ReceptionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Reception held")
    CANCELLED = "cancelled", _("Cancelled")


class Reception(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leader"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReceptionKind.choices)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"))
    place = models.CharField(_("venue"), max_length=120)
    # What the reception is about, in a few words: never a petitioner's name (the schedule is
    # seen by everyone who supervises cases, not only a case's named handlers).
    topic = models.CharField(_("topic"), max_length=120)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReceptionStatus.choices,
        default=ReceptionStatus.PLANNED,
    )
    # What came of it (held), or why not (cancelled).
    outcome = models.TextField(_("outcome"), blank=True)
    # The case the reception is about (带案下访, a case a leader took charge of).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="receptions",
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        ordering = ["date", "time", "pk"]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.topic}"

    @property
    def is_planned(self) -> bool:
        return self.status == ReceptionStatus.PLANNED
