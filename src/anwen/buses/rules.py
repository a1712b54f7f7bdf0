"""The plan's numbers for school buses (校车安全管理条例), kept in the bureau's yearly plan: how
often a bus is inspected and a driver re-examined, and the conditions under which a bus does
not leave school (五不出校)."""

import calendar as stdlib_calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import IntegerType, JSONType, PlanRule

# The five conditions of the default list (DOMAIN.md: no document states 五不出校; this list
# follows the statute's reasons for stopping a departure). A plan names them by these keys,
# or adds its own conditions as plain text, which is shown as written.
ATTENDANT = "attendant"
NOT_OVERLOADED = "not_overloaded"
REGISTERED_DRIVER = "registered_driver"
DRIVER_FIT = "driver_fit"
VEHICLE_AND_ROAD = "vehicle_and_road"
CONDITION_LABELS = {
    ATTENDANT: _("The attendant is on board"),
    NOT_OVERLOADED: _("The bus is not overloaded"),
    REGISTERED_DRIVER: _("The driver is the bus's registered driver"),
    DRIVER_FIT: _("The driver is sober and well"),
    VEHICLE_AND_ROAD: _("The bus is sound, and the road and weather allow the trip"),
}
DEFAULT_CONDITIONS = list(CONDITION_LABELS)


def _check_conditions(value) -> None:
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= 12
        or not all(isinstance(v, str) and 0 < len(v.strip()) <= 100 for v in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("List 1 to 12 different conditions, each a text of up to 100 characters.")
        )


INSPECTION_MONTHS = PlanRule(
    "buses.inspection_months",
    6,
    type=IntegerType(1, 24),
    label=_("Months between a school bus's technical inspections"),
    help_text=_(
        "The statute says every 6 months. The next inspection is due this long after the last one."
    ),
)
REEXAMINATION_MONTHS = PlanRule(
    "buses.reexamination_months",
    12,
    type=IntegerType(1, 36),
    label=_("Months between a bus driver's re-examinations"),
    help_text=_("The statute asks a yearly re-examination of each school bus driver."),
)
DEPARTURE_CONDITIONS = PlanRule(
    "buses.departure_conditions",
    DEFAULT_CONDITIONS,
    type=JSONType(_check_conditions),
    label=_("Conditions under which a school bus does not leave (五不出校)"),
    help_text=_(
        "Asked as yes/no before every trip; one “no” stops the trip and tells the school. "
        "Default keys: attendant, not_overloaded, registered_driver, driver_fit, "
        "vehicle_and_road; any other text is asked as written."
    ),
)
RULES = (INSPECTION_MONTHS, REEXAMINATION_MONTHS, DEPARTURE_CONDITIONS)


def condition_label(key: str):
    return CONDITION_LABELS.get(key, key)


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter: 31 August + 6
    months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, stdlib_calendar.monthrange(year, month)[1]))
