"""Dangerous waters near schools (SM9.1): rivers, reservoirs, ponds and construction pools a
school's pupils may reach, where they are, whether warning signs and barriers stand, and who is
responsible for them. A missing sign or barrier is a hazard (`hazards.py`); each hazard so
raised is remembered as a `WaterHazard`, so a water raises one open hazard per missing thing."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.maps.geojson import LAT_RANGE, LON_RANGE
from anwen.orgs.models import Org

# How far from a school a water is still the school's concern; farther is a typing slip.
MAX_DISTANCE_M = 50_000


class Kind(models.TextChoices):
    RIVER = "river", _("River")
    RESERVOIR = "reservoir", _("Reservoir")
    POND = "pond", _("Hillside pond")
    CONSTRUCTION = "construction", _("Construction pool")
    OTHER = "other", _("Other water")


class Water(models.Model):
    org = models.ForeignKey(
        Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    kind = models.CharField(_("kind of water"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name of the water"), max_length=80)
    # Bounded to China (the map's own check of a boundary): a projected metre value or
    # swapped axes are refused, as the map would draw them in the sea.
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(LON_RANGE[0]), MaxValueValidator(LON_RANGE[1])],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(LAT_RANGE[0]), MaxValueValidator(LAT_RANGE[1])],
    )
    distance_m = models.PositiveIntegerField(
        _("distance to the school (m)"), validators=[MaxValueValidator(MAX_DISTANCE_M)]
    )
    warning_signs = models.BooleanField(_("warning signs"), default=False)
    barriers = models.BooleanField(_("barriers"), default=False)
    responsible = models.CharField(_("party responsible"), max_length=80, blank=True)
    responsible_contact = models.CharField(
        _("contact of the party responsible"), max_length=40, blank=True
    )
    last_checked_on = models.DateField(
        pgettext_lazy("water", "last checked on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("dangerous water")
        verbose_name_plural = _("dangerous waters")
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="waters_water_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Missing(models.TextChoices):
    SIGN = "sign", _("warning signs")
    BARRIER = "barrier", _("barriers")


class WaterHazard(models.Model):
    """A hazard raised because a water lacked something: the hazard's origin. While it is
    open, saving the water again raises nothing more; once it is closed, a water found
    lacking again raises a new one (with a new origin row)."""

    water = models.ForeignKey(Water, on_delete=models.CASCADE, related_name="hazards")
    missing = models.CharField(max_length=8, choices=Missing.choices)
    hazard = models.OneToOneField(
        "hazards.Hazard", on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["water", "missing"])]

    def __str__(self) -> str:
        return f"{self.water_id}:{self.missing}"
