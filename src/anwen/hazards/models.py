"""Hazards (隐患): what a check found, followed to closure.

A hazard belongs to one org (the school), came from one source (a failed checklist item, a
finding at one of the four inspection levels, the fire self-check, or a direct report) and
lives through the states of `hazards.workflow`. Its steps are `workflow.Event` rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    CHECKLIST = "checklist", _("Failed checklist item")
    SELF = "self", _("School self-check")
    CENTRE = "centre", _("Centre screening")
    BUREAU = "bureau", _("Bureau spot check")
    JOINT = "joint", _("Joint inspection")
    FIRE = "fire", _("Fire safety self-check")
    REPORT = "report", _("Direct report")


class Grade(models.TextChoices):
    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class Category(models.TextChoices):
    FIRE = "fire", _("Fire")
    ELECTRICAL = "electrical", _("Electrical")
    BUILDING = "building", _("Buildings and structures")
    TRAFFIC = "traffic", _("Traffic")
    WATER = "water", _("Water and drowning")
    FOOD = "food", _("Food")
    EQUIPMENT = "equipment", _("Facilities and equipment")
    SURROUNDINGS = "surroundings", _("Campus surroundings")
    OTHER = "other", _("Other")


class Theme(models.TextChoices):
    """The campaigns of SM4.3, each with its own filter and figures."""

    SCHOOL_BUS = "school_bus", _("School buses")
    CONSTRUCTION = "construction", _("Construction sites")
    HIGH_RISE = "high_rise", _("High-rise buildings")
    ELECTRICAL_FIRE = "electrical_fire", _("Electrical fire")


class Kind(models.TextChoices):
    """Kinds the plan names on their own."""

    HOUSING = "housing", _("Residential housing inside the campus")  # SM3.3: until isolated
    AGEING = "ageing", _("Ageing water, power or gas systems, overloaded grid")  # SM7.5
    EBIKE = "ebike", _("E-bike parking and charging")  # SM7.6


class HazardState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    RECTIFYING = "rectifying", _("Being rectified")
    SUBMITTED = "submitted", _("Fix submitted")
    CLOSED = "closed", _("Verified and closed")


OPEN_STATES = (
    HazardState.REPORTED,
    HazardState.ASSIGNED,
    HazardState.RECTIFYING,
    HazardState.SUBMITTED,
)


class Hazard(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="hazards", verbose_name=_("school")
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The record it came from ("inspections.finding", pk), when there is one: a finding raises
    # its hazard once.
    origin_type = models.CharField(max_length=60, blank=True)
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("hazard"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, default=Grade.GENERAL)
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    theme = models.CharField(_("campaign theme"), max_length=16, choices=Theme.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, blank=True)
    area = models.ForeignKey(
        "inspections.GridArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid area"),
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    found_on = models.DateField(_("found on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    measures = models.TextField(_("measures"), blank=True)
    fund_estimate = models.DecimalField(
        _("fund estimate (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=HazardState.choices, default=HazardState.REPORTED
    )
    # The six parts of a major hazard's plan (重大隐患治理方案).
    plan_goal = models.TextField(_("goal"), blank=True)
    plan_measures = models.TextField(_("measures and methods"), blank=True)
    plan_funds = models.TextField(_("funds and materials"), blank=True)
    plan_people = models.TextField(_("people responsible"), blank=True)
    plan_time_limit = models.DateField(_("time limit"), null=True, blank=True)
    plan_interim = models.TextField(_("interim safety and emergency measures"), blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fix_note = models.TextField(_("what was done"), blank=True)
    centre_rechecked_at = models.DateTimeField(null=True, blank=True)
    bureau_rechecked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(default=0)  # the last escalation step taken
    photos_before = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("photos before")
    )
    photos_after = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("photos after")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-pk"]
        # The list's filters and its order (the deadline last): a school's or a centre's list
        # starts from its orgs, the district's from the filters, the org checked in the index;
        # the campaign figures count by theme from an index alone (issue 8, RESULTS.md).
        indexes = [
            models.Index(
                fields=["org", "state", "category", "grade", "deadline"],
                name="hazards_org_filters_idx",
            ),
            models.Index(fields=["state", "deadline"]),
            models.Index(
                fields=["category", "grade", "state", "deadline", "org"],
                name="hazards_filters_idx",
            ),
            models.Index(fields=["theme", "state", "deadline"], name="hazards_theme_idx"),
            # The unfiltered list's order, open ones first (selectors.OPEN_FIRST_SQL).
            models.Index(
                models.Case(
                    models.When(state="closed", then=models.Value(1)), default=models.Value(0)
                ),
                "deadline",
                name="hazards_open_first_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_type", "origin_id"],
                condition=models.Q(origin_id__isnull=False),
                name="hazards_one_per_origin",
            )
        ]

    def __str__(self) -> str:
        return self.title[:60]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_major(self) -> bool:
        return self.grade == Grade.MAJOR

    @property
    def plan_complete(self) -> bool:
        return all(
            (
                self.plan_goal.strip(),
                self.plan_measures.strip(),
                self.plan_funds.strip(),
                self.plan_people.strip(),
                self.plan_time_limit,
                self.plan_interim.strip(),
            )
        )
