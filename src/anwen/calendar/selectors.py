"""Reads of the calendar: semesters, sensitive periods, and a year's days off and 调休 days."""

from dataclasses import dataclass
from datetime import date

import holidays
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anwen.calendar.models import DayKind, DayOverride, SchoolYear, Semester, SensitivePeriod

# The package's own translations of holiday names, by Django language code prefix.
_PACKAGE_LANGUAGES = {"zh": "zh_CN", "en": "en_US"}


def semester_of(d: date) -> Semester | None:
    """The semester `d` falls in, or None in a vacation."""
    return (Semester.objects.filter(start__lte=d, end__gte=d)
            .select_related("school_year").order_by("start").first())


def semesters_between(a: date, b: date) -> QuerySet[Semester]:
    """Semesters that overlap the days a..b (both included)."""
    return (Semester.objects.filter(start__lte=b, end__gte=a)
            .select_related("school_year").order_by("start"))


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.prefetch_related("semesters")


def sensitive_periods_on(d: date) -> list[SensitivePeriod]:
    return list(SensitivePeriod.objects.filter(start__lte=d, end__gte=d))


def in_sensitive_period(d: date) -> bool:
    return SensitivePeriod.objects.filter(start__lte=d, end__gte=d).exists()


def sensitive_periods_between(a: date, b: date) -> QuerySet[SensitivePeriod]:
    """Sensitive periods that overlap the days a..b (both included)."""
    return SensitivePeriod.objects.filter(start__lte=b, end__gte=a)


def overrides_of_year(year: int) -> QuerySet[DayOverride]:
    return DayOverride.objects.filter(date__year=year)


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the plain Monday–Friday week, for display."""

    date: date
    working: bool  # True for a worked weekend (调休) or a day an override makes working
    name: str
    source: str  # "package" or "override"
    override: DayOverride | None = None
    replaces: str = ""  # what the package said about a day an override changed


def special_days(year: int) -> list[SpecialDay]:
    """The year's holidays and adjusted working days from the package, with the bureau's
    overrides in place of the package's word for the same date."""
    language = _PACKAGE_LANGUAGES.get((get_language() or "zh")[:2], "zh_CN")
    cn = holidays.China(years=(year, year + 1), language=language)
    package: dict[date, tuple[bool, str]] = {
        d: (False, name) for d, name in cn.items() if d.year == year
    }
    for d in cn.weekend_workdays:
        if d.year == year:
            package[d] = (True, _("Adjusted working day (调休)"))
    days: list[SpecialDay] = []
    overrides = {o.date: o for o in overrides_of_year(year)}
    for d, (working, name) in package.items():
        if d not in overrides:
            days.append(SpecialDay(date=d, working=working, name=name, source="package"))
    for d, override in overrides.items():
        replaced = package.get(d)
        days.append(SpecialDay(
            date=d, working=override.kind == DayKind.WORKING, name=override.name,
            source="override", override=override, replaces=replaced[1] if replaced else "",
        ))
    days.sort(key=lambda day: day.date)
    return days
