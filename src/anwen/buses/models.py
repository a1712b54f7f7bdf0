"""School buses, their drivers and attendants (the registers of SM8.1), and the trips checked
before departure (五不出校, SM8.2). The registers are declared in `registers.py`; what makes a
driver qualified and a bus fit to leave is `checks.py`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen.orgs.models import Org, RoleAssignment

MIN_SEATS = 7  # 校车安全管理条例: a school bus has at least 7 seats (the statute's, not a plan's)
MAX_SEATS = 80  # no school bus seats more: a bigger number is a typing error (ATTACK10 finding 3)


class Bus(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    plate = models.CharField(_("plate number"), max_length=12)
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        validators=[
            MinValueValidator(MIN_SEATS, message=_("A school bus has at least 7 seats.")),
            MaxValueValidator(MAX_SEATS, message=_("A school bus has at most 80 seats.")),
        ],
    )
    sign_number = models.CharField(_("school bus sign number"), max_length=30, blank=True)
    sign_expires_on = models.DateField(_("school bus sign valid until"), null=True, blank=True)
    inspected_on = models.DateField(_("last technical inspection"), null=True, blank=True)
    next_inspection = models.DateField(
        _("next technical inspection"), null=True, blank=True, editable=False
    )
    insurance_expires_on = models.DateField(_("insurance valid until"), null=True, blank=True)
    gps_recorder = models.BooleanField(_("GPS trip recorder"), default=True)
    in_service = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("school bus")
        constraints = [
            models.UniqueConstraint(fields=["org", "plate"], name="buses_bus_unique_plate")
        ]

    def __str__(self) -> str:
        return self.plate


class Driver(models.Model):
    class LicenceClass(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        A3 = "A3", "A3"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    licence_number = models.CharField(_("ID / driving licence number"), max_length=30)
    licence_class = models.CharField(_("licence class"), max_length=2, choices=LicenceClass.choices)
    licence_expires_on = models.DateField(_("licence valid until"), null=True, blank=True)
    born_on = models.DateField(_("date of birth"), null=True, blank=True)
    driving_since = models.DateField(_("driving since"), null=True, blank=True)
    # The statute's conditions: each must be confirmed (a new driver is not qualified until
    # the school has checked them).
    no_points_wiped = models.BooleanField(
        _("no full 12 points lost in the last 3 scoring cycles"), default=False
    )
    no_fatal_accident = models.BooleanField(
        _("no responsibility for a fatal or serious accident"), default=False
    )
    no_drink_driving = models.BooleanField(_("no drink or drunk driving record"), default=False)
    no_criminal_record = models.BooleanField(_("no criminal record"), default=False)
    no_illness = models.BooleanField(_("no epilepsy or mental illness"), default=False)
    reexamined_on = models.DateField(_("last re-examination"), null=True, blank=True)
    next_reexamination = models.DateField(
        _("next re-examination"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("school bus driver")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "licence_number"], name="buses_driver_unique_licence"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Attendant(models.Model):
    """An on-board attendant (随车照管人员); `user` is their account, when they have one, so
    they log in as a bus attendant and run the pre-departure check as themselves."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("bus attendant")
        constraints = [
            models.UniqueConstraint(fields=["org", "phone"], name="buses_attendant_unique_phone")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The account must be one of the school's own: naming another school's user would let
        # them run this school's checks.
        if self.user_id and self.org_id:
            if not RoleAssignment.objects.filter(user_id=self.user_id, org_id=self.org_id).exists():
                raise ValidationError(
                    {
                        "user": _(
                            "This account holds no role at the school: give it the bus "
                            "attendant role there first."
                        )
                    }
                )


class Trip(models.Model):
    """One pre-departure check and what came of it. The bus, driver and attendant are kept by
    name too: a bus taken off the register later leaves its trips readable."""

    class Outcome(models.TextChoices):
        DEPARTED = "departed", _("Departed")
        STOPPED = "stopped", _("Stopped")

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    bus = models.ForeignKey(Bus, on_delete=models.SET_NULL, null=True, related_name="trips")
    driver = models.ForeignKey(Driver, on_delete=models.SET_NULL, null=True, related_name="+")
    attendant = models.ForeignKey(
        Attendant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plate = models.CharField(_("plate number"), max_length=12)
    driver_name = models.CharField(_("driver"), max_length=50)
    attendant_name = models.CharField(_("attendant"), max_length=50, blank=True)
    students = models.PositiveSmallIntegerField(_("students on board"))
    answers = models.JSONField(_("answers"), default=dict)  # {condition: true/false}
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("why it was stopped"), blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    # The account that recorded the check (none for a history loaded from elsewhere).
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trip")
        indexes = [models.Index(fields=["org", "-checked_at"], name="buses_trip_org_checked")]

    def __str__(self) -> str:
        return f"{self.plate} {self.checked_at:%Y-%m-%d %H:%M}"
