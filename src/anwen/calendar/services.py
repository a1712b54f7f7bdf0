"""Writes to the calendar. Each change is audited in its own transaction; a change to the day
overrides also drops the working-day cache so the next deadline counts with it."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from anwen import audit
from anwen.calendar.models import DayOverride, SchoolYear, Semester, SensitivePeriod, Term
from anwen.calendar.rules import CalendarError, clear_cache


def _apply(obj, fields: dict) -> dict:
    """Set the fields that differ; return them (JSON-friendly) for the audit row."""
    changed = {}
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed[name] = value.isoformat() if isinstance(value, date) else value
    return changed


def _check_span(start: date, end: date) -> None:
    if end < start:
        raise CalendarError(_("The last day cannot be before the first day."))


# --- day overrides ---------------------------------------------------------------------------

@transaction.atomic
def override_create(*, by, day: date, kind: str, name: str, note: str = "",
                    request=None) -> DayOverride:
    if DayOverride.objects.filter(date=day).exists():
        raise CalendarError(_("This date already has an override; change that one instead."))
    override = DayOverride.objects.create(date=day, kind=kind, name=name, note=note)
    audit.record(actor=by, action="calendar.override.created", obj=override, request=request,
                 data={"date": day.isoformat(), "kind": kind, "name": name})
    transaction.on_commit(clear_cache)
    clear_cache()
    return override


@transaction.atomic
def override_update(*, by, override: DayOverride, day: date, kind: str, name: str,
                    note: str = "", request=None) -> DayOverride:
    if DayOverride.objects.filter(date=day).exclude(pk=override.pk).exists():
        raise CalendarError(_("This date already has an override; change that one instead."))
    changed = _apply(override, {"date": day, "kind": kind, "name": name, "note": note})
    if changed:
        override.save()
        audit.record(actor=by, action="calendar.override.updated", obj=override,
                     request=request, data=changed)
        transaction.on_commit(clear_cache)
        clear_cache()
    return override


@transaction.atomic
def override_delete(*, by, override: DayOverride, request=None) -> None:
    audit.record(actor=by, action="calendar.override.deleted", obj=override, request=request,
                 data={"date": override.date.isoformat(), "kind": override.kind,
                       "name": override.name})
    override.delete()
    # Cleared now for this process and again after commit, so that a reader in between
    # cannot leave the cache holding the row that is going away.
    transaction.on_commit(clear_cache)
    clear_cache()


# --- semesters -------------------------------------------------------------------------------

def _check_semester(*, school_year: SchoolYear, term: str, start: date, end: date,
                    exclude: int | None = None) -> None:
    _check_span(start, end)
    expected_year = school_year.start_year if term == Term.AUTUMN else school_year.start_year + 1
    if start.year != expected_year:
        raise CalendarError(_("This semester must start in %(year)d.") % {"year": expected_year})
    others = Semester.objects.exclude(pk=exclude)  # type: ignore[misc]  # pk=None excludes none
    if others.filter(school_year=school_year, term=term).exists():
        raise CalendarError(_("That school year already has this semester."))
    if others.filter(start__lte=end, end__gte=start).exists():
        raise CalendarError(_("These dates overlap another semester."))


@transaction.atomic
def semester_create(*, by, start_year: int, term: str, start: date, end: date,
                    name: str = "", request=None) -> Semester:
    school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    _check_semester(school_year=school_year, term=term, start=start, end=end)
    semester = Semester.objects.create(school_year=school_year, term=term, start=start,
                                       end=end, name=name)
    audit.record(actor=by, action="calendar.semester.created", obj=semester, request=request,
                 data={"school_year": start_year, "term": term, "start": start.isoformat(),
                       "end": end.isoformat(), "name": name})
    return semester


@transaction.atomic
def semester_update(*, by, semester: Semester, start: date, end: date, name: str = "",
                    request=None) -> Semester:
    """Change a semester's dates or name. Saving confirms them: the row is no longer one of
    the shipped defaults."""
    _check_semester(school_year=semester.school_year, term=semester.term, start=start,
                    end=end, exclude=semester.pk)
    changed = _apply(semester, {"start": start, "end": end, "name": name, "is_default": False})
    if changed:
        semester.save()
        audit.record(actor=by, action="calendar.semester.updated", obj=semester,
                     request=request, data=changed)
    return semester


@transaction.atomic
def semester_delete(*, by, semester: Semester, request=None) -> None:
    school_year = semester.school_year
    audit.record(actor=by, action="calendar.semester.deleted", obj=semester, request=request,
                 data={"school_year": school_year.start_year, "term": semester.term,
                       "start": semester.start.isoformat(), "end": semester.end.isoformat()})
    semester.delete()
    # An empty school year would only clutter the page.
    if not school_year.semesters.exists():
        school_year.delete()


# --- sensitive periods -----------------------------------------------------------------------

@transaction.atomic
def sensitive_period_create(*, by, name: str, kind: str, start: date, end: date,
                            note: str = "", request=None) -> SensitivePeriod:
    _check_span(start, end)
    period = SensitivePeriod.objects.create(name=name, kind=kind, start=start, end=end,
                                            note=note)
    audit.record(actor=by, action="calendar.sensitive_period.created", obj=period,
                 request=request, data={"name": name, "kind": kind,
                                        "start": start.isoformat(), "end": end.isoformat()})
    return period


@transaction.atomic
def sensitive_period_update(*, by, period: SensitivePeriod, name: str, kind: str, start: date,
                            end: date, note: str = "", request=None) -> SensitivePeriod:
    _check_span(start, end)
    changed = _apply(period, {"name": name, "kind": kind, "start": start, "end": end,
                              "note": note})
    if changed:
        period.save()
        audit.record(actor=by, action="calendar.sensitive_period.updated", obj=period,
                     request=request, data=changed)
    return period


@transaction.atomic
def sensitive_period_delete(*, by, period: SensitivePeriod, request=None) -> None:
    audit.record(actor=by, action="calendar.sensitive_period.deleted", obj=period,
                 request=request, data={"name": period.name, "kind": period.kind,
                                        "start": period.start.isoformat(),
                                        "end": period.end.isoformat()})
    period.delete()
