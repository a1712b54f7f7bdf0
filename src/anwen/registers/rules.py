"""The numbers the registers' expiry mechanism reads, kept in the bureau's yearly plan."""

from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import IntegerType, PlanRule

WARN_DAYS = PlanRule(
    "registers.warn_days",
    30,
    type=IntegerType(1, 365),
    label=_("Days before an expiry or a check date that it counts as due soon"),
    help_text=_(
        "A certificate, licence, insurance, inspection or equipment check within this many "
        "days of its date is listed as due soon, in the inbox and the district list, and its "
        "school is told once."
    ),
)
RULES = (WARN_DAYS,)
