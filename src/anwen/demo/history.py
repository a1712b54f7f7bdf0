"""Invented history for the demo district: each engine app builds its own part
(`<app>/demo.py: load_demo(*, bureau, today, rng)`; three months of inspections and routine
work, a year of hazards), in an order where each finds what it needs (the semesters and the
plan before the inspections that fulfil it), and the rhythm engine counts the periods last."""

import random
import time
from datetime import date, timedelta
from importlib import import_module

from django.db import transaction

from anwen.calendar.models import SchoolYear, Semester, Term

# Order matters: the plan first, then the engines whose records fulfil it.
HISTORY_APPS = [
    "obligations",
    "inspections",
    "patrol",
    "fire",
    "duties",
    "hazards",
    "waters",  # after hazards: the hazards of its missing signs and barriers stay open
    "funding",
    "cases",
    "receptions",
    "guards",
    "buses",
    "devices",
]


@transaction.atomic
def load_history(*, bureau, today: date, seed: int = 2021) -> dict[str, float]:
    """Build every app's history under `bureau`; returns seconds spent per app."""
    from anwen.obligations import services as obligations

    timings: dict[str, float] = {}
    ensure_semesters(today)
    for app in HISTORY_APPS:
        started = time.perf_counter()
        # One generator per app, so adding an app's history does not change the others'.
        rng = random.Random(f"{seed}:{app}")
        import_module(f"anwen.{app}.demo").load_demo(bureau=bureau, today=today, rng=rng)
        timings[app] = time.perf_counter() - started
    started = time.perf_counter()
    obligations.recount()
    obligations.ensure_periods(through=today)
    timings["periods"] = time.perf_counter() - started
    return timings


# Typical semester dates (month, day) for a school year whose dates are not shipped: the
# autumn semester from 1 September to late January, the spring one from late February to
# early July (the shipped years follow the published calendars: calendar migration 0002).
AUTUMN = ((9, 1), (1, 22))
SPRING = ((2, 24), (7, 3))


def ensure_semesters(today: date) -> list[Semester]:
    """The national semesters of the school years from a year and a half before `today` to
    the one after it, where none is shipped (the shipped defaults end on 2027-07-02, and a
    demo started later, or the tests under a future clock, would have no semester at all:
    no fire self-check, no semester rhythm). Marked `is_default`, as the shipped ones are."""
    made = []
    first = (today - timedelta(days=550)).year
    for start_year in range(first, today.year + 1):
        school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
        for term, ((m1, d1), (m2, d2)), year, ordinal in (
            (Term.AUTUMN, AUTUMN, start_year, "一"),
            (Term.SPRING, SPRING, start_year + 1, "二"),
        ):
            if Semester.objects.filter(
                school_year=school_year, term=term, org__isnull=True
            ).exists():
                continue
            end_year = start_year + 1 if term == Term.AUTUMN else year
            made.append(
                Semester.objects.create(
                    school_year=school_year,
                    term=term,
                    name=f"{start_year}-{start_year + 1}学年第{ordinal}学期",
                    start=date(year, m1, d1),
                    end=date(end_year, m2, d2),
                    is_default=True,
                )
            )
    return made
