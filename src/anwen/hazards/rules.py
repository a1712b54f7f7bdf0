"""The numbers the hazards engine reads, kept in the bureau's yearly plan (`obligations.plans`):
rectification days by grade (and for the renovation of ageing systems, SM7.5), when a reminder
goes out and how fast an overdue hazard climbs the escalation ladder."""

from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import IntegerType, PlanRule

DEADLINE_GENERAL = PlanRule(
    "hazards.deadline_general",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days to rectify a general hazard"),
    help_text=_("Counted from the day after it was found."),
)
DEADLINE_MAJOR = PlanRule(
    "hazards.deadline_major",
    calendar.DeadlineRule(90, "calendar"),
    label=_("Days to rectify a major hazard"),
    help_text=_("Counted from the day after it was found; the plan's time limit may be shorter."),
)
DEADLINE_RENOVATION = PlanRule(
    "hazards.deadline_renovation",
    calendar.DeadlineRule(180, "calendar"),
    label=_("Days to renovate ageing water, power or gas systems"),
    help_text=_("The renovation deadline of ageing systems and overloaded grids."),
)
REMIND_DAYS = PlanRule(
    "hazards.remind_days",
    3,
    type=IntegerType(0, 60),
    label=_("Days before the deadline the person responsible is reminded"),
)
ESCALATE_EVERY = PlanRule(
    "hazards.escalate_every",
    3,
    type=IntegerType(1, 60),
    label=_("Days between escalation steps of an overdue hazard"),
    help_text=_(
        "Overdue: the person responsible is told at once, then the principal, the centre "
        "and the bureau, one step every this many days."
    ),
)
RULES = (DEADLINE_GENERAL, DEADLINE_MAJOR, DEADLINE_RENOVATION, REMIND_DAYS, ESCALATE_EVERY)
