"""Reads of the calendar: semesters, sensitive periods, and a year's days off and 调休 days.

Every read takes the org it is asked for (`org=`, anything with a materialised `path`, or the
path itself): the national rows (no owner) apply everywhere, a bureau's rows to the orgs under
it. Without an org only the national rows are read. A bureau's semester replaces the national
one of the same school year and term; sensitive periods of both apply.
"""

from dataclasses import dataclass
from datetime import date

import holidays
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anwen.calendar.models import (
    NATIONAL_PERM,
    DayKind,
    DayOverride,
    SchoolYear,
    Semester,
    SensitivePeriod,
)
from anwen.calendar.rules import OrgLike, owner_ids

# The package's own translations of holiday names, by Django language code prefix.
_PACKAGE_LANGUAGES = {"zh": "zh_CN", "en": "en_US"}


def edits_national(user) -> bool:
    """Whether `user` is a platform administrator, who edits the national arrangement."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(NATIONAL_PERM))


def applying_to(org: OrgLike | None) -> Q:
    """The rows that apply to `org`: the national ones and those of the orgs above it."""
    return Q(org__isnull=True) | Q(org_id__in=owner_ids(org))


def _in_force(semesters: list[Semester]) -> list[Semester]:
    """One semester per school year and term: the bureau's own over the national default."""
    best: dict[tuple[int, str], Semester] = {}
    for s in semesters:
        key = (s.school_year_id, s.term)
        if key not in best or (best[key].org_id is None and s.org_id is not None):
            best[key] = s
    return sorted(best.values(), key=lambda s: s.start)


def semesters_between(a: date, b: date, *, org: OrgLike | None = None) -> list[Semester]:
    """The semesters in force for `org` that overlap the days a..b (both included)."""
    applying = applying_to(org)
    terms = Semester.objects.filter(applying, start__lte=b, end__gte=a).values_list(
        "school_year_id", "term"
    )
    keys = Q(pk__in=[])
    for school_year_id, term in set(terms):
        keys |= Q(school_year_id=school_year_id, term=term)
    # A term's replacement may lie outside a..b while the default it replaces lies inside.
    candidates = Semester.objects.filter(applying).filter(keys).select_related("school_year")
    return [s for s in _in_force(list(candidates)) if s.start <= b and s.end >= a]


def semester_of(d: date, *, org: OrgLike | None = None) -> Semester | None:
    """The semester `d` falls in for `org`, or None in a vacation."""
    found = semesters_between(d, d, org=org)
    return found[0] if found else None


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.prefetch_related("semesters")


def semesters_of_owners(owners: list[int | None]) -> QuerySet[Semester]:
    """Every semester row of these owners (None: the national ones), for the calendar page."""
    q = Q(org_id__in=[o for o in owners if o is not None])
    if None in owners:
        q |= Q(org__isnull=True)
    return Semester.objects.filter(q).select_related("school_year").order_by("start", "org_id")


def sensitive_periods_between(
    a: date, b: date, *, org: OrgLike | None = None
) -> QuerySet[SensitivePeriod]:
    """Sensitive periods for `org` that overlap the days a..b (both included)."""
    return SensitivePeriod.objects.filter(applying_to(org), start__lte=b, end__gte=a)


def sensitive_periods_on(d: date, *, org: OrgLike | None = None) -> list[SensitivePeriod]:
    return list(sensitive_periods_between(d, d, org=org))


def in_sensitive_period(d: date, *, org: OrgLike | None = None) -> bool:
    return sensitive_periods_between(d, d, org=org).exists()


def overrides_of_year(year: int, *, owner_id: int | None) -> QuerySet[DayOverride]:
    """The day overrides of one owner (None: the national arrangement) in `year`."""
    owner = Q(org__isnull=True) if owner_id is None else Q(org_id=owner_id)
    return DayOverride.objects.filter(owner, date__year=year)


def periods_of_year(year: int, *, owner_id: int | None) -> QuerySet[SensitivePeriod]:
    owner = Q(org__isnull=True) if owner_id is None else Q(org_id=owner_id)
    return SensitivePeriod.objects.filter(
        owner, start__lte=date(year, 12, 31), end__gte=date(year, 1, 1)
    )


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the plain Monday–Friday week, for display."""

    date: date
    working: bool  # True for a worked weekend (调休) or a day an override makes working
    name: str
    source: str  # "package", "override" (national) or "local" (the bureau's)
    override: DayOverride | None = None
    replaces: str = ""  # what the package (or the national arrangement) said about the day


def special_days(year: int, *, owner_id: int | None = None) -> list[SpecialDay]:
    """The year's holidays and adjusted working days from the package, with the national
    overrides in place of the package's word for the same date, and (with `owner_id`) that
    bureau's own days in place of both."""
    language = _PACKAGE_LANGUAGES.get((get_language() or "zh")[:2], "zh_CN")
    cn = holidays.China(years=(year, year + 1), language=language)
    said: dict[date, SpecialDay] = {
        d: SpecialDay(date=d, working=False, name=name, source="package")
        for d, name in cn.items()
        if d.year == year
    }
    for d in cn.weekend_workdays:
        if d.year == year:
            said[d] = SpecialDay(
                date=d, working=True, name=_("Adjusted working day (调休)"), source="package"
            )
    layers = [("override", overrides_of_year(year, owner_id=None))]
    if owner_id is not None:
        layers.append(("local", overrides_of_year(year, owner_id=owner_id)))
    for source, overrides in layers:
        for o in overrides:
            before = said.get(o.date)
            said[o.date] = SpecialDay(
                date=o.date,
                working=o.kind == DayKind.WORKING,
                name=o.name,
                source=source,
                override=o,
                replaces=before.name if before else "",
            )
    return sorted(said.values(), key=lambda day: day.date)
