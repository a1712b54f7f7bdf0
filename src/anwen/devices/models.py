from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.orgs.models import Org


class Kind(models.TextChoices):
    ALARM = "alarm", _("One-key alarm")
    CAMERA = "camera", _("Video surveillance")
    ACCESS = "access", _("Access control")
    PATROL = "patrol", _("Patrol point")


class Device(models.Model):
    """One security device of a school. `check_due` is the plan's: the last check plus the
    plan's check interval (`rules.CHECK_INTERVAL`), computed by the register's `derive` before
    every save, so it is never typed in."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("device type"), max_length=8, choices=Kind.choices)
    code = models.CharField(
        _("device code"), max_length=40, help_text=_("The device's number within the school.")
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    networked = models.BooleanField(_("networked to the police"), default=False)
    networked_on = models.DateField(_("networked on"), null=True, blank=True)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    check_due = models.DateField(_("next check due"), null=True, blank=True, editable=False)
    in_service = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("security device")
        verbose_name_plural = _("security devices")
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="devices_device_unique_code")
        ]
        indexes = [
            # The overdue checks of the expiry mechanism, district-wide.
            models.Index(fields=["check_due"], name="devices_check_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        for name in ("networked_on", "last_checked_on"):
            day = getattr(self, name)
            if day is not None and day > today:
                errors[name] = _("is after today.")
        if errors:
            raise ValidationError(errors)
