"""The numbers of the guards register, kept in the bureau's yearly plan: the staffing norm
(how many guards a school needs), the day from which a training counts as this autumn's and the
day by which the autumn training is due (the rhythm engine's obligation, `trainings`).

The norm (DOMAIN.md; practice, GB/T 29315-2022): by students, under 100 → at least 1, 100–999 →
at least 2, from 1,000 → 3 plus 1 for each further 500; more for several gates, a large campus
and a complex one (boarding: the dormitories are guarded at night). The extras are plausible
defaults for the bureau to confirm on the plan page; the bands are the practice's."""

from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import JSONType, MonthDay, MonthDayType, PlanRule

# bands: [students below, guards] in rising order; from the last band's limit on: `base`
# guards plus one per further `step` students. Extras: per gate beyond the first, for a campus
# above `large_area_m2`, for a boarding school.
DEFAULT_STAFFING: dict[str, Any] = {
    "bands": [[100, 1], [1000, 2]],
    "base": 3,
    "step": 500,
    "per_extra_gate": 1,
    "large_area_m2": 50000,
    "large_area_extra": 1,
    "boarding_extra": 1,
}
_NUMBERS = ("base", "step", "per_extra_gate", "large_area_m2", "large_area_extra", "boarding_extra")


class Campus(Protocol):
    """What the norm reads of a school (`orgs.SchoolProfile`, or the demo's planned school)."""

    enrolment: int
    gates: int
    area_m2: int
    boarding: bool


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000


def check_staffing(value: Any) -> None:
    """Refuse a norm the counting cannot read, with a message for the plan page."""
    message = _(
        'Give "bands" as [[students below, guards], …] with rising limits, and whole numbers '
        'for "base", "step" (above 0), "per_extra_gate", "large_area_m2", "large_area_extra" '
        'and "boarding_extra".'
    )
    if not isinstance(value, dict) or set(value) != {"bands", *_NUMBERS}:
        raise ValidationError(message)
    bands = value["bands"]
    if not isinstance(bands, list) or not bands:
        raise ValidationError(message)
    limits = []
    for band in bands:
        if not (isinstance(band, list) and len(band) == 2 and all(_whole(n) for n in band)):
            raise ValidationError(message)
        limits.append(band[0])
    if limits != sorted(set(limits)):
        raise ValidationError(message)
    if not all(_whole(value[name]) for name in _NUMBERS) or value["step"] < 1:
        raise ValidationError(message)


STAFFING = PlanRule(
    "guards.staffing",
    DEFAULT_STAFFING,
    type=JSONType(check_staffing),
    label=_("Guards a school needs"),
    help_text=_(
        "bands: [students below, guards]; from the last limit on, base guards plus one per "
        "further step students; then per_extra_gate for each gate beyond the first, "
        "large_area_extra above large_area_m2 square metres, boarding_extra for a boarding "
        "school."
    ),
)
TRAINING_FROM = PlanRule(
    "guards.training_from",
    MonthDay(9, 1),
    type=MonthDayType(),
    label=_("Day from which a guard training counts as this autumn's"),
    help_text=_("The autumn training of guards: a training on or after this day counts."),
)
TRAINING_DUE = PlanRule(
    "guards.training_due",
    MonthDay(11, 30),
    type=MonthDayType(),
    label=_("Autumn guard training done by"),
    help_text=_(
        "Each school trains its guards every autumn; the obligation of the year is due on this day."
    ),
)
RULES = (STAFFING, TRAINING_FROM, TRAINING_DUE)


def required_guards(school: Campus, rule_value: dict[str, Any]) -> int:
    """How many guards `school` needs by the norm `rule_value` (the value of STAFFING)."""
    bands = rule_value["bands"]
    students = school.enrolment
    for below, guards in bands:
        if students < below:
            need = int(guards)
            break
    else:
        need = rule_value["base"] + (students - bands[-1][0]) // rule_value["step"]
    need += rule_value["per_extra_gate"] * max(0, school.gates - 1)
    if rule_value["large_area_m2"] and school.area_m2 > rule_value["large_area_m2"]:
        need += rule_value["large_area_extra"]
    if school.boarding:
        need += rule_value["boarding_extra"]
    return need


def autumn_start(today: date, training_from: MonthDay) -> date:
    """The first day of the latest autumn season on or before `today`."""
    start = training_from.in_year(today.year)
    return start if start <= today else training_from.in_year(today.year - 1)


def in_autumn(day: date, training_from: MonthDay) -> bool:
    """Whether a training on `day` is the autumn training of its year."""
    return day >= training_from.in_year(day.year)
