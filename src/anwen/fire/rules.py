"""The numbers the fire self-check reads, declared here and kept in the bureau's yearly plan
(`obligations.plans`): the plan page shows and edits them, `plans.rule` answers them."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import BooleanType, IntegerType, JSONType, PlanRule


def _redue_pending_forms(*, plan, by) -> None:
    """Forms not received yet of the plan's year are due by its (new) rule; forms already
    received keep the day they were judged by."""
    from anwen.fire.models import FireSelfCheck
    from anwen.obligations.plans import Rules
    from anwen.orgs.scope import within_q

    pending = (
        FireSelfCheck.objects.select_for_update(of=("self",))
        .select_related("org")
        .filter(
            within_q(plan.owner, "org"),
            form_received_at__isnull=True,
            checked_on__year=plan.year,
        )
    )
    rules = Rules(on=date(plan.year, 1, 1))
    for check in pending:
        due = calendar.due(check.checked_on, rules.get(FORM_DEADLINE, org=check.org))
        if due != check.form_due:
            check.form_due = due
            check.save(update_fields=["form_due"])


FORM_DEADLINE = PlanRule(
    "fire.form_deadline",
    calendar.DeadlineRule(5, "calendar"),
    label=_("Days to send the signed fire self-check form"),
    help_text=_("Counted from the day after the self-check. The plan says 5."),
    on_change=_redue_pending_forms,
)
MISSING_AFTER_DAYS = PlanRule(
    "fire.missing_after_days",
    0,
    type=IntegerType(0, 180),
    label=_("Days after the semester before a fire self-check counts as missing"),
    help_text=_("0: a semester without a submitted self-check is missing as soon as it ends."),
)


# --- SM7.2 fire equipment, SM7.3 fire high-risk units ------------------------------------------

SERVICE_KINDS = ("extinguisher", "hydrant", "alarm", "lighting", "sprinkler", "other")


def _check_service_months(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, dict) or any(
        kind not in SERVICE_KINDS
        or isinstance(months, bool)
        or not isinstance(months, int)
        or not 1 <= months <= 120
        for kind, months in value.items()
    ):
        raise ValidationError(
            _(
                "Give the months between services for each kind, e.g. "
                '{"extinguisher": 12, "hydrant": 12}; kinds: %(kinds)s; 1 to 120 months.'
            )
            % {"kinds": ", ".join(SERVICE_KINDS)}
        )


def _rederive_equipment(*, plan, by) -> None:
    """The next service of the plan's schools' equipment follows a changed interval, when the
    plan is the one in force today (a stored due date is always the plan's)."""
    from django.utils import timezone

    from anwen.fire.equipment import rederive_service_due

    today = timezone.localdate()
    if plan.year == today.year:
        rederive_service_due(owner=plan.owner, today=today)


def _rederive_assessments(*, plan, by) -> None:
    from django.utils import timezone

    from anwen.fire.equipment import rederive_next_assessment

    today = timezone.localdate()
    if plan.year == today.year:
        rederive_next_assessment(owner=plan.owner, today=today)


SERVICE_MONTHS = PlanRule(
    "fire.service_months",
    dict.fromkeys(SERVICE_KINDS, 12),
    type=JSONType(validate=_check_service_months),
    label=_("Months between services of fire equipment by a qualified firm, per kind"),
    help_text=_(
        "The next service is due this many months after the last one. Kinds: extinguisher, "
        "hydrant, alarm, lighting, sprinkler, other; a kind left out is serviced yearly."
    ),
    on_change=_rederive_equipment,
)
ASSESSMENT_MONTHS = PlanRule(
    "fire.assessment_months",
    12,
    type=IntegerType(1, 60),
    label=_("Months between fire safety assessments of a high-risk school"),
    help_text=_("The plan says once a year, by a qualified firm."),
    on_change=_rederive_assessments,
)
HIGH_RISK_BOARDING = PlanRule(
    "fire.high_risk_boarding",
    True,
    type=BooleanType(),
    label=_("Boarding schools are fire high-risk units"),
)
HIGH_RISK_KINDERGARTEN = PlanRule(
    "fire.high_risk_kindergarten",
    300,
    type=IntegerType(0, 100000),
    label=_("Kindergartens with at least this many children are fire high-risk units"),
    help_text=_("0: no kindergarten is high-risk by its size."),
)
HIGH_RISK_ENROLMENT = PlanRule(
    "fire.high_risk_enrolment",
    0,
    type=IntegerType(0, 100000),
    label=_("Schools with at least this many students are fire high-risk units"),
    help_text=_("0: no school is high-risk by its size alone."),
)
RULES = (
    FORM_DEADLINE,
    MISSING_AFTER_DAYS,
    SERVICE_MONTHS,
    ASSESSMENT_MONTHS,
    HIGH_RISK_BOARDING,
    HIGH_RISK_KINDERGARTEN,
    HIGH_RISK_ENROLMENT,
)
