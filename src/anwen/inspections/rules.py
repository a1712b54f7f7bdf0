"""The number the inspections app reads from the bureau's yearly plan (`obligations.plans`):
how long an inspection started by someone may stay a draft before it is overdue."""

from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import PlanRule

# Not in the 2021 plan: a default, said so on the plan page, until the bureau sets its own.
SUBMIT_WITHIN = PlanRule(
    "inspections.submit_within_days",
    calendar.DeadlineRule(3, "working"),
    label=_("Days to complete and submit an inspection"),
    help_text=_(
        "Counted from the inspection day, for inspections started on the form (a bureau spot "
        "check, a joint inspection, a leadership inspection …). Default: 3 working days; the "
        "plan sets no number."
    ),
)
RULES = (SUBMIT_WITHIN,)
