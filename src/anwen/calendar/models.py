"""The editable parts of the calendar: day overrides, school years and semesters, sensitive
periods. Public holidays and adjusted working days (调休) themselves come from the `holidays`
package (see `rules.py`); nothing here invents an arrangement.

Every row has an owner (`org`). No owner: the national arrangement, installation-wide, edited
only by platform administrators (superusers, or accounts granted the Django permission
`calendar.manage_national`, see `NATIONAL_PERM`). A bureau: its local closures, its semesters
(which replace the national default dates of the same term for its orgs) and its sensitive
periods, which apply to every org under it and to nobody else.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The platform permission that edits the national arrangement (superusers hold every one).
NATIONAL_PERM = "calendar.manage_national"


def _owner() -> "models.ForeignKey":
    # A reference by name, not an import: the calendar stays below the org tree.
    return models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bureau"),
        help_text=_("Empty: the national arrangement, which applies everywhere."),
    )


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (day off)")
    WORKING = "working", _("Working day (调休)")
    CLOSURE = "closure", _("Local closure")


class DayOverride(models.Model):
    """One date whose status the bureau sets by hand; it wins over the `holidays` package.

    Used for next year's State Council arrangement before the package knows it, and for local
    closures (a closure is a non-working day for every clock, like a holiday)."""

    org = _owner()
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(pgettext_lazy("calendar", "name"), max_length=80)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day override")
        verbose_name_plural = _("day overrides")
        ordering = ["date"]
        permissions = [("manage_national", _("Can edit the national holiday arrangement"))]
        constraints = [
            # One word per date and owner; NULLs are distinct in a unique index, hence two.
            models.UniqueConstraint(fields=["org", "date"], name="calendar_override_one_per_day"),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(org__isnull=True),
                name="calendar_override_one_national_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKING


class SchoolYear(models.Model):
    """A school year, from the autumn of `start_year` to the summer after."""

    start_year = models.PositiveSmallIntegerField(_("start year"), unique=True)

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


class Term(models.TextChoices):
    AUTUMN = "autumn", _("Autumn (first) semester")
    SPRING = "spring", _("Spring (second) semester")


class Semester(models.Model):
    """A semester's dates. The municipal education commission publishes them each year, so
    they are data: the shipped defaults are marked `is_default` until the bureau checks them."""

    org = _owner()
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.CASCADE,
        related_name="semesters",
        verbose_name=_("school year"),
    )
    term = models.CharField(_("term"), max_length=6, choices=Term.choices)
    name = models.CharField(pgettext_lazy("calendar", "name"), max_length=60, blank=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    is_default = models.BooleanField(
        _("default dates"),
        default=False,
        help_text=_("Shipped typical dates that the bureau has not confirmed yet."),
    )

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "school_year", "term"],
                name="calendar_semester_one_per_owner_and_term",
            ),
            models.UniqueConstraint(
                fields=["school_year", "term"],
                condition=Q(org__isnull=True),
                name="calendar_semester_one_national_per_term",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="calendar_semester_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or f"{self.school_year} {self.get_term_display()}"


class SensitiveKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    MEETING = "meeting", _("Major meeting or event")
    EXAM = "exam", _("Examination")
    FLOOD = "flood", _("Flood season")
    OTHER = "other", _("Other")


class SensitivePeriod(models.Model):
    """A stretch of days that asks for more care (daily reports, duty rosters): a holiday, a
    major meeting, the entrance examinations, the flood season."""

    org = _owner()
    name = models.CharField(pgettext_lazy("calendar", "name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=SensitiveKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sensitive period")
        verbose_name_plural = _("sensitive periods")
        ordering = ["start", "name"]
        indexes = [models.Index(fields=["start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="calendar_sensitive_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name
