"""The numbers the fire self-check reads, declared here and kept in the bureau's yearly plan
(`obligations.plans`): the plan page shows and edits them, `plans.rule` answers them."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import IntegerType, PlanRule


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
RULES = (FORM_DEADLINE, MISSING_AFTER_DAYS)
