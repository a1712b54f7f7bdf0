"""Safety funding (OG1): what a school planned to spend on safety in a year, by purpose, and
what it has spent. The summary by purpose, centre and district is `selectors.summary`."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen.orgs.models import Org

FIRST_YEAR = 2000
LAST_YEAR = 2100


class Purpose(models.TextChoices):
    SECURITY_STAFF = "security_staff", _("Security staff")
    TECHNICAL = "technical", _("Technical protection")
    FIRE = "fire", _("Fire")
    BUSES = "buses", _("School buses")
    EDUCATION = "education", _("Safety education and drills")
    RENOVATION = "renovation", _("Renovation of hazards")
    OTHER = "other", _("Other")


def _amount(label) -> models.DecimalField:
    # Up to a hundred million yuan less a fen: more is a typing slip, and the import's own
    # bound (from max_digits) says so in a sentence.
    return models.DecimalField(
        label, max_digits=11, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )


class Funding(models.Model):
    org = models.ForeignKey(
        Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    year = models.PositiveSmallIntegerField(
        _("budget year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    purpose = models.CharField(_("purpose of the funds"), max_length=16, choices=Purpose.choices)
    planned = _amount(_("planned (yuan)"))
    spent = _amount(_("spent (yuan)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("safety funding")
        verbose_name_plural = _("safety funding")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "purpose"], name="funding_one_per_year_and_purpose"
            )
        ]
        indexes = [models.Index(fields=["year", "org"])]

    def __str__(self) -> str:
        return f"{self.year} {self.get_purpose_display()}"
