"""The numbers the case engine reads, kept in the bureau's yearly plan (`obligations.plans`).
The defaults are the law's (信访工作条例 2022, see docs): the bureau may shorten its internal
limits, and changes next year's plan without a developer."""

from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import PlanRule

ACCEPT = PlanRule(
    "cases.petition_accept",
    calendar.DeadlineRule(15, "calendar"),
    label=_("Days to decide whether a petition is accepted"),
    help_text=_("Counted from the day it was received; the writer is told within it."),
)
OBJECT = PlanRule(
    "cases.petition_object",
    calendar.DeadlineRule(5, "working"),
    label=_("Working days to object that a petition is outside one's remit"),
)
HANDLE = PlanRule(
    "cases.petition_handle",
    calendar.DeadlineRule(60, "calendar"),
    label=_("Days to handle an accepted petition"),
    help_text=_("Counted from the day it was accepted."),
)
EXTEND = PlanRule(
    "cases.petition_extend",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Longest extension of the handling, once, with a leader's approval"),
)
REVIEW_ASK = PlanRule(
    "cases.petition_review_ask",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days the writer has to ask for a review after the reply"),
)
REVIEW = PlanRule(
    "cases.petition_review",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days to answer a review (and a second review)"),
)
RULES = [ACCEPT, OBJECT, HANDLE, EXTEND, REVIEW_ASK, REVIEW]
