"""The rhythm engine: who must produce what kind of record, how often, by when; the periods that
come due; and the records that fulfil them.

An obligation never names another app's model. Apps that write records which fulfil obligations
register their record kinds (`obligations.registry`) and report each record through
`obligations.services.record_add`; a `Record` row is the engine's own trace of it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.calendar.rules import Counting
from anwen.orgs.models import OrgKind, SchoolType
from anwen.orgs.roles import RoleName


def current_year() -> int:
    return timezone.localdate().year


class Plan(models.Model):
    """A bureau's work plan for one year, as configuration: the obligations it places on its
    centres and schools and every number its engines read (`PlanRuleValue`, declared by the
    engines in `obligations.plans`). A draft (not published) plan is in force nowhere; a
    bureau has at most one published plan a year."""

    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    year = models.PositiveSmallIntegerField(_("year"), default=current_year)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    # Published: in force for its year (and, until the next year's plan is published, after).
    is_active = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [
            models.UniqueConstraint(fields=["owner", "code"], name="obligations_plan_unique_code"),
            models.UniqueConstraint(
                fields=["owner", "year"],
                condition=models.Q(is_active=True),
                name="obligations_plan_one_published_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanRuleValue(models.Model):
    """The value a plan gives one declared rule (`obligations.plans.PlanRule`), as JSON; a
    rule without a row has its declared default."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rule_values")
    key = models.CharField(_("rule"), max_length=80)
    value = models.JSONField(_("value"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan rule")
        verbose_name_plural = _("plan rules")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="obligations_rule_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.key}"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WORKING_DAILY = "working_daily", _("Every working day")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    SEMESTER = "semester", _("Every semester")
    YEARLY = "yearly", _("Every year")
    SENSITIVE_DAILY = "sensitive_daily", _("Every day of a sensitive period")


class Category(models.TextChoices):
    """Which part of the plan an obligation belongs to; the board and the assessment group by it
    (OG3.1 scores the "nine ones" and the daily/weekly/monthly inspections)."""

    INSPECTION = "inspection", _("Daily, weekly and monthly inspection")
    NINE_ONES = "nine_ones", _("The nine ones")
    ROUTINE = "routine", _("Routine safety systems")
    FIRE = "fire", _("Fire safety")
    PATROL = "patrol", _("Guard patrol")
    DUTIES = "duties", _("Responsibilities")
    OTHER = "other", _("Other")


class Obligation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="obligations")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # What fulfils it: a record kind registered by some app ("inspections.daily_area").
    record_kind = models.CharField(_("record kind"), max_length=60)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    times = models.PositiveSmallIntegerField(
        _("records per period"), default=1, help_text=_("How many records fulfil one period.")
    )
    # Due by: the period's last day plus this many days (0: by the end of the last day).
    due_days = models.PositiveSmallIntegerField(_("days allowed after the period"), default=0)
    due_counting = models.CharField(
        _("counting"), max_length=8, choices=Counting.choices, default=Counting.CALENDAR
    )
    # Who: orgs of this kind under the plan's owner, optionally narrowed ...
    org_kind = models.CharField(
        _("applies to"), max_length=12, choices=OrgKind.choices, default=OrgKind.SCHOOL
    )
    school_types = models.JSONField(
        _("school types"),
        default=list,
        blank=True,
        help_text=_("Empty: every type. Otherwise a list of school type codes."),
    )
    boarding_only = models.BooleanField(_("boarding schools only"), default=False)
    # Only the orgs that meet a registered condition (`registry.OrgCondition`): the schools
    # that run school buses, and their centres. A condition no app registered owes nothing.
    condition = models.CharField(_("only where"), max_length=60, blank=True)
    # ... and inside each org, either the holders of a role, or one period per subject (a grid
    # area and its owner, a member of staff) from a registered subject provider.
    role = models.CharField(
        _("responsible role"), max_length=24, choices=RoleName.choices, blank=True
    )
    per_subject = models.CharField(_("one per"), max_length=60, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    sort_order = models.PositiveIntegerField(default=0)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    # Shipped as a plausible default that the bureau has not confirmed (the plan names the
    # "nine ones" without listing them).
    is_default = models.BooleanField(_("default, to be confirmed"), default=False)
    # Periods exist for every target up to this day (generated lazily, idempotently; see
    # `periods.ensure_periods`). None: never generated, so targets start at `starts_on`.
    generated_through = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["plan", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="obligations_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """One stretch of time for which one org (or one subject in it) owes the obligation."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="periods")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveIntegerField(default=0)  # 0: the org as a whole
    assignee = models.ForeignKey(
        "orgs.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    due = models.DateField()  # last day on which fulfilment is on time
    records = models.PositiveSmallIntegerField(default=0)  # matched so far
    done_at = models.DateTimeField(null=True, blank=True)  # when `times` records were reached
    on_time = models.BooleanField(null=True)  # set with done_at

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "org", "subject_id", "start"],
                name="obligations_period_unique",
            )
        ]
        indexes = [
            models.Index(fields=["obligation", "start"]),
            models.Index(fields=["org", "start"]),
            # What waits on someone: open (done_at null) periods by due date.
            models.Index(fields=["assignee", "done_at", "due"], name="obligations_period_todo_p"),
            models.Index(fields=["org", "done_at", "due"], name="obligations_period_todo_o"),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} {self.start}–{self.end}"


class Target(models.Model):
    """One org, or one subject inside it (a grid area, a member of staff), that owes an
    obligation, with its own watermark: periods exist for it from `since` through
    `generated_through`. New targets (an area added later) start at their own `since`
    instead of the obligation's first day; a target that stops applying is deactivated."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=120, blank=True)
    since = models.DateField()
    generated_through = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "org", "subject_id"], name="obligations_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation} · {self.org_id}/{self.subject_id}"


class Record(models.Model):
    """A record that may fulfil obligations: written by `services.record_add` for an
    inspection, a patrol round, a lesson …, or logged directly for a routine activity."""

    kind = models.CharField(_("kind"), max_length=60)
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveIntegerField(default=0)
    occurred_on = models.DateField(_("date"))
    submitted_at = models.DateTimeField(_("submitted at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=40, blank=True)
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+")

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        indexes = [
            models.Index(fields=["kind", "org", "subject_id", "occurred_on"]),
            # Obligations owed by the org as a whole count records of any subject.
            models.Index(fields=["kind", "org", "occurred_on"], name="obligations_record_org_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


# The attendance of a logged session (drivers' training, the crews' safety study), in its own
# module; imported here so that the app registry knows the model.
from anwen.obligations.attendance import Attendance  # noqa: E402

__all__ = [
    "Attendance",
    "Category",
    "Counting",
    "Frequency",
    "Obligation",
    "Period",
    "Plan",
    "PlanRuleValue",
    "Record",
    "SchoolType",
    "Target",
]
