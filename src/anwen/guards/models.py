"""The guards of a school, as the security company lists them (SM3.2).

A guard is a row of the guards register, not a member of staff (`orgs.Person`): most guards are
employed by a security company that sends the school its list, and the list is what the bureau
counts against the staffing norm — who holds a valid 保安员证, full-time or not, trained this
autumn. The school imports the company's list (or keeps it by hand); a guard who also has an
account in anwen (the night patrol) is a Person besides, and the two are not linked."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.orgs.models import Org


class Guard(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="guards")
    name = models.CharField(_("Name"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # 保安员证号: names the guard within the school (an import updates the guard it names).
    certificate_no = models.CharField(_("guard certificate number"), max_length=40)
    certificate_expires_on = models.DateField(_("certificate valid until"))
    employer = models.CharField(
        _("employer"),
        max_length=100,
        blank=True,
        help_text=_("The school itself or the security company that employs the guard."),
    )
    full_time = models.BooleanField(_("full-time"), default=True)
    trained_on = models.DateField(_("last trained on"), null=True, blank=True)
    active = models.BooleanField(_("on duty"), default=True)

    class Meta:
        verbose_name = _("security guard")
        verbose_name_plural = _("security guards")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "certificate_no"], name="guards_unique_certificate_per_school"
            )
        ]
        indexes = [models.Index(fields=["org", "active", "full_time", "certificate_expires_on"])]

    def __str__(self) -> str:
        return f"{self.name} {self.certificate_no}"

    def clean(self) -> None:
        # A training planned for next week is not one held: it would fulfil this autumn's
        # training obligation before it took place.
        if self.trained_on and self.trained_on > timezone.localdate():
            raise ValidationError({"trained_on": _("A training date cannot be in the future.")})
