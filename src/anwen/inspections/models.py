"""Checking places against lists: checklist templates (versioned), grid areas with owners,
inspections at four levels (OG2) with their answers, and the findings they make.

An inspection keeps the checklist version it answered, so editing a template never changes
what was recorded. A failed item becomes a finding; the hazards engine turns findings into
hazards followed to closure.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Purpose(models.TextChoices):
    AREA_DAILY = "area_daily", _("Daily grid-area inspection")
    OFFICE_WEEKLY = "office_weekly", _("Weekly safety-office inspection")
    LEADERSHIP_MONTHLY = "leadership_monthly", _("Monthly leadership inspection")
    FIRE_SELF = "fire_self", _("Fire safety self-check")
    SCREENING = "screening", _("Centre screening")
    SPOT = "spot", _("Bureau spot check")
    JOINT = "joint", _("Joint inspection")
    # Each centre's monthly school-bus inspection with the police and transport (SM8.4).
    BUS_MONTHLY = "bus_monthly", _("Monthly school-bus inspection")
    OTHER = "other", _("Other inspection")


class ChecklistTemplate(models.Model):
    # The bureau's standard lists serve every school below it; a school may keep its own.
    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("belongs to")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["owner__path", "purpose", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "code"], name="inspections_template_code")
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistVersion(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)  # None: draft
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="inspections_version")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class EvidenceRule(models.TextChoices):
    NONE = "none", _("No photo needed")
    PHOTO_ON_FAIL = "photo_on_fail", _("Photo when it fails")
    PHOTO_ALWAYS = "photo_always", _("Photo always")


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("category"), max_length=60)
    text = models.CharField(_("item"), max_length=300)
    guidance = models.CharField(_("how to check"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    evidence = models.CharField(
        _("evidence"),
        max_length=16,
        choices=EvidenceRule.choices,
        default=EvidenceRule.PHOTO_ON_FAIL,
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text


class AreaKind(models.TextChoices):
    BUILDING = "building", _("Building")
    FLOOR = "floor", _("Floor")
    GATE = "gate", _("Gate")
    CANTEEN = "canteen", _("Canteen")
    DORM = "dorm", _("Dormitory")
    PLAYGROUND = "playground", _("Playground")
    LAB = "lab", _("Laboratory")
    SURROUNDINGS = "surroundings", _("Surroundings")
    OTHER = "other", _("Other")


class GridArea(models.Model):
    """One cell of the campus grid (网格): a building, a floor, a gate … with its owner and the
    checklist the owner goes through every day."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="grid_areas")
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    owner = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        related_name="grid_areas",
        verbose_name=_("person in charge"),
    )
    checklist = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    since = models.DateField(_("in use since"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("grid area")
        verbose_name_plural = _("grid areas")
        ordering = ["org", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="inspections_area_name")
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    """The four levels of OG2: 学校自查、教管中心排查、区教委抽查、联合部门检查."""

    SELF = "self", _("School self-check")
    CENTRE = "centre", _("Centre screening")
    BUREAU = "bureau", _("Bureau spot check")
    JOINT = "joint", _("Joint inspection")


class Status(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Inspection(models.Model):
    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspected school"),
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    lead_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("conducted by")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("checklist version"),
    )
    area = models.ForeignKey(
        GridArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("grid area"),
    )
    inspected_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    participants = models.ManyToManyField(
        "orgs.Person", blank=True, related_name="+", verbose_name=_("inspectors")
    )
    # Joint inspections: agencies invited; their inspectors see these inspections and no others.
    invited = models.ManyToManyField(
        "orgs.Org", blank=True, related_name="+", verbose_name=_("invited agencies")
    )
    # None only for history loaded in bulk (the demo), where the area owner has no account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["org", "inspected_on"]),
            models.Index(fields=["area", "inspected_on"]),
        ]
        constraints = [
            # One daily check per area per day: a second tap resumes the first.
            models.UniqueConstraint(
                fields=["area", "inspected_on", "purpose"],
                condition=models.Q(area__isnull=False),
                name="inspections_one_per_area_day",
            ),
            # One open draft per inspector, school, kind, level and day: a form sent twice
            # (or twenty times at once) resumes the draft the first one started.
            models.UniqueConstraint(
                fields=["org", "purpose", "level", "inspected_on", "created_by"],
                condition=models.Q(status="draft", area__isnull=True),
                name="inspections_one_open_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.inspected_on}"


class Result(models.TextChoices):
    # A context: "Pass" alone is also the short of "password" elsewhere in the catalogue.
    PASS = "pass", pgettext_lazy("checklist result", "Pass")
    FAIL = "fail", pgettext_lazy("checklist result", "Fail")
    NA = "na", pgettext_lazy("checklist result", "Not applicable")


class Answer(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    photos = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspections_one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


class Finding(models.Model):
    """A problem an inspection found, kept with its level. The hazards engine (next issue) opens
    a hazard for each; until then `hazard_id` stays empty."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    answer = models.OneToOneField(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="finding"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    category = models.CharField(_("category"), max_length=60, blank=True)
    description = models.TextField(_("problem"))
    location = models.CharField(_("place"), max_length=120, blank=True)
    photos = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+")
    hazard_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "created_at"])]

    def __str__(self) -> str:
        return self.description[:40]


class AccountabilityKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation")
    INTERVIEW = "interview", _("Accountability interview")
    WARNING = "warning", _("Warning")
    NOTICE = "notice", _("Notice of criticism")


class Accountability(models.Model):
    """What an inspection led to for a school (OG2, SM2.5): a commendation, or an interview
    (约谈), a warning (警示) or a notice of criticism. The assessment reads these."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AccountabilityKind.choices)
    issued_on = models.DateField(_("date"))
    text = models.TextField(_("content"))
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountabilities",
        verbose_name=_("inspection"),
    )
    issuer = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commendation or accountability record")
        verbose_name_plural = _("commendations and accountability records")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["org", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_on}"
