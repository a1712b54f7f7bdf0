"""Writes to the calendar. Each change is audited in its own transaction; a change to the day
overrides also drops the working-day cache so the next deadline counts with it.

A row's owner (`owner_id`: a bureau's org id, or None for the national arrangement) is set when
it is made and never changes. Who may write for which owner is decided by the caller (the
calendar page asks `selectors.edits_national` and the user's bureaus); these functions keep the
rules of the calendar itself. The only other app imported is the audit trail, which sits below
every app.
"""

from datetime import date

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from anwen import audit
from anwen.calendar.models import (
    DayKind,
    DayOverride,
    SchoolYear,
    Semester,
    SensitivePeriod,
    Term,
)
from anwen.calendar.rules import CalendarError, clear_cache


def _of(owner_id: int | None) -> Q:
    return Q(org__isnull=True) if owner_id is None else Q(org_id=owner_id)


def _check_override(
    *, owner_id: int | None, day: date, kind: str, exclude: int | None = None
) -> None:
    if owner_id is not None and kind != DayKind.CLOSURE:
        # Holidays and adjusted working days are the State Council's, the same everywhere.
        raise CalendarError(
            _(
                "A bureau enters local closures only; holidays and adjusted "
                "working days are the national arrangement."
            )
        )
    same_day = DayOverride.objects.filter(_of(owner_id), date=day)
    if exclude is not None:
        same_day = same_day.exclude(pk=exclude)
    if same_day.exists():
        raise CalendarError(_("This date already has an override; change that one instead."))


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
def override_create(
    *, by, owner_id: int | None, day: date, kind: str, name: str, note: str = "", request=None
) -> DayOverride:
    _check_override(owner_id=owner_id, day=day, kind=kind)
    override = DayOverride.objects.create(
        org_id=owner_id, date=day, kind=kind, name=name, note=note
    )
    audit.record(
        actor=by,
        action="calendar.override.created",
        obj=override,
        request=request,
        data={"owner": owner_id, "date": day.isoformat(), "kind": kind, "name": name},
    )
    transaction.on_commit(clear_cache)
    clear_cache()
    return override


@transaction.atomic
def override_update(
    *, by, override: DayOverride, day: date, kind: str, name: str, note: str = "", request=None
) -> DayOverride:
    _check_override(owner_id=override.org_id, day=day, kind=kind, exclude=override.pk)
    changed = _apply(override, {"date": day, "kind": kind, "name": name, "note": note})
    if changed:
        override.save()
        audit.record(
            actor=by,
            action="calendar.override.updated",
            obj=override,
            request=request,
            data=changed,
        )
        transaction.on_commit(clear_cache)
        clear_cache()
    return override


@transaction.atomic
def override_delete(*, by, override: DayOverride, request=None) -> None:
    audit.record(
        actor=by,
        action="calendar.override.deleted",
        obj=override,
        request=request,
        data={
            "owner": override.org_id,
            "date": override.date.isoformat(),
            "kind": override.kind,
            "name": override.name,
        },
    )
    override.delete()
    # Cleared now for this process and again after commit, so that a reader in between
    # cannot leave the cache holding the row that is going away.
    transaction.on_commit(clear_cache)
    clear_cache()


# --- semesters -------------------------------------------------------------------------------


def _check_semester(
    *,
    owner_id: int | None,
    school_year: SchoolYear,
    term: str,
    start: date,
    end: date,
    exclude: int | None = None,
) -> None:
    _check_span(start, end)
    expected_year = school_year.start_year if term == Term.AUTUMN else school_year.start_year + 1
    if start.year != expected_year:
        raise CalendarError(_("This semester must start in %(year)d.") % {"year": expected_year})
    own = Semester.objects.filter(_of(owner_id))
    if exclude is not None:
        own = own.exclude(pk=exclude)
    if own.filter(school_year=school_year, term=term).exists():
        raise CalendarError(_("That school year already has this semester."))
    overlapping = list(own.filter(start__lte=end, end__gte=start))
    if owner_id is not None:
        # The bureau's semesters stand beside the national defaults of the terms it has not
        # set itself; a default of the very term being set is what this one replaces.
        replaced = set(own.values_list("school_year_id", "term")) | {(school_year.pk, term)}
        overlapping += [
            s
            for s in Semester.objects.filter(org__isnull=True, start__lte=end, end__gte=start)
            if (s.school_year_id, s.term) not in replaced
        ]
    if overlapping:
        raise CalendarError(_("These dates overlap another semester."))


@transaction.atomic
def semester_create(
    *,
    by,
    owner_id: int | None,
    start_year: int,
    term: str,
    start: date,
    end: date,
    name: str = "",
    request=None,
) -> Semester:
    """A semester of the national defaults (no owner), or a bureau's own dates for a term,
    which replace the national ones for its orgs."""
    school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    _check_semester(owner_id=owner_id, school_year=school_year, term=term, start=start, end=end)
    semester = Semester.objects.create(
        org_id=owner_id, school_year=school_year, term=term, start=start, end=end, name=name
    )
    audit.record(
        actor=by,
        action="calendar.semester.created",
        obj=semester,
        request=request,
        data={
            "owner": owner_id,
            "school_year": start_year,
            "term": term,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "name": name,
        },
    )
    return semester


@transaction.atomic
def semester_update(
    *, by, semester: Semester, start: date, end: date, name: str = "", request=None
) -> Semester:
    """Change a semester's dates or name. Saving confirms them: the row is no longer one of
    the shipped defaults."""
    _check_semester(
        owner_id=semester.org_id,
        school_year=semester.school_year,
        term=semester.term,
        start=start,
        end=end,
        exclude=semester.pk,
    )
    changed = _apply(semester, {"start": start, "end": end, "name": name, "is_default": False})
    if changed:
        semester.save()
        audit.record(
            actor=by,
            action="calendar.semester.updated",
            obj=semester,
            request=request,
            data=changed,
        )
    return semester


@transaction.atomic
def semester_delete(*, by, semester: Semester, request=None) -> None:
    school_year = semester.school_year
    audit.record(
        actor=by,
        action="calendar.semester.deleted",
        obj=semester,
        request=request,
        data={
            "owner": semester.org_id,
            "school_year": school_year.start_year,
            "term": semester.term,
            "start": semester.start.isoformat(),
            "end": semester.end.isoformat(),
        },
    )
    try:
        semester.delete()
    except ProtectedError:
        # Records of other apps (a school's fire self-check) belong to it; leaving the
        # transaction with the error undoes the audit row too.
        raise CalendarError(
            _("Records refer to this semester, so it cannot be deleted; change its dates instead.")
        ) from None
    # An empty school year would only clutter the page.
    if not school_year.semesters.exists():
        school_year.delete()


# --- sensitive periods -----------------------------------------------------------------------


@transaction.atomic
def sensitive_period_create(
    *,
    by,
    owner_id: int | None,
    name: str,
    kind: str,
    start: date,
    end: date,
    note: str = "",
    request=None,
) -> SensitivePeriod:
    _check_span(start, end)
    period = SensitivePeriod.objects.create(
        org_id=owner_id, name=name, kind=kind, start=start, end=end, note=note
    )
    audit.record(
        actor=by,
        action="calendar.sensitive_period.created",
        obj=period,
        request=request,
        data={
            "owner": owner_id,
            "name": name,
            "kind": kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
    return period


@transaction.atomic
def sensitive_period_update(
    *,
    by,
    period: SensitivePeriod,
    name: str,
    kind: str,
    start: date,
    end: date,
    note: str = "",
    request=None,
) -> SensitivePeriod:
    _check_span(start, end)
    changed = _apply(period, {"name": name, "kind": kind, "start": start, "end": end, "note": note})
    if changed:
        period.save()
        audit.record(
            actor=by,
            action="calendar.sensitive_period.updated",
            obj=period,
            request=request,
            data=changed,
        )
    return period


@transaction.atomic
def sensitive_period_delete(*, by, period: SensitivePeriod, request=None) -> None:
    audit.record(
        actor=by,
        action="calendar.sensitive_period.deleted",
        obj=period,
        request=request,
        data={
            "owner": period.org_id,
            "name": period.name,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
    )
    period.delete()
