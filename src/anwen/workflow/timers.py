"""The clocks the engine keeps as `Timer` rows: started, stopped, held and resumed, extended
once. Called by `engine.fire` and `engine.start` inside their transaction, on the locked
record; each writes what it did into the event's data, so the chronology says it aloud
("clock held", "resumed: due moved by 6 days")."""

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.workflow import moment
from anwen.workflow.models import Timer


def _moment(due: Any) -> tuple[date, datetime, bool]:
    """(last day, moment it runs out, in hours) of what a clock's `due` answered."""
    if isinstance(due, datetime):
        return timezone.localtime(due).date(), due, True
    return due, calendar.ends_at(due), False


def _row(workflow, record, clock) -> Timer | None:
    return Timer.objects.filter(
        record_type=workflow.code, record_id=record.pk, name=clock.name
    ).first()


def start(workflow, record, clock, data: dict) -> Timer:
    now = moment.now()
    due_on, due_at, in_hours = _moment(clock.due(record, now))
    timer, _created = Timer.objects.update_or_create(
        record_type=workflow.code,
        record_id=record.pk,
        name=clock.name,
        defaults={
            "started_at": now,
            "due_on": due_on,
            "due_at": due_at,
            "in_hours": in_hours,
            "duty": clock.duty,
            "paused_at": None,
            "extended_days": 0,
            "stopped_at": None,
            "on_time": None,
        },
    )
    data.setdefault("due", {})[clock.name] = (
        timezone.localtime(due_at).isoformat() if in_hours else due_on.isoformat()
    )
    return timer


def stop(workflow, record, clock) -> bool | None:
    """Stop the clock; whether it stopped in time (None: it was not running)."""
    timer = _row(workflow, record, clock)
    if timer is None or timer.stopped_at is not None:
        return None
    now = moment.now()
    if timer.paused_at is not None:  # stopped while held: the held time does not count
        timer.due_at += now - timer.paused_at
        timer.paused_at = None
    timer.stopped_at = now
    timer.on_time = now < timer.due_at
    timer.save(update_fields=["due_at", "paused_at", "stopped_at", "on_time"])
    return timer.on_time


def pause(workflow, record, clock, data: dict) -> None:
    timer = _row(workflow, record, clock)
    if timer is None or not timer.running:
        return
    timer.paused_at = moment.now()
    timer.save(update_fields=["paused_at"])
    data.setdefault("paused", []).append(clock.name)


def resume(workflow, record, clock, data: dict) -> None:
    """Let a held clock run again. A clock in hours moves by the time held; a clock in days
    by the calendar days the hold covered (held on the 3rd, resumed on the 9th: six days
    more), so the period left is the period that was left when it was held."""
    timer = _row(workflow, record, clock)
    if timer is None or timer.paused_at is None or timer.stopped_at is not None:
        return
    now = moment.now()
    if timer.in_hours:
        timer.due_at += now - timer.paused_at
        timer.due_on = timezone.localtime(timer.due_at).date()
        moved = {"hours": round((now - timer.paused_at).total_seconds() / 3600, 1)}
    else:
        days = (timezone.localtime(now).date() - timezone.localtime(timer.paused_at).date()).days
        timer.due_on += timedelta(days=days)
        timer.due_at = calendar.ends_at(timer.due_on)
        moved = {"days": days}
    timer.paused_at = None
    timer.save(update_fields=["due_at", "due_on", "paused_at"])
    data.setdefault("resumed", {})[clock.name] = {**moved, "due": timer.due_on.isoformat()}


def extend(workflow, record, clock, data: dict) -> None:
    """Extend the clock once by `data["days"]` (at most the clock's extension rule; the whole
    of it when not given), counted on the calendar from its last day."""
    from anwen.workflow.engine import WorkflowError

    timer = _row(workflow, record, clock)
    if timer is None or timer.stopped_at is not None:
        raise WorkflowError(_("This time limit is not running, so it cannot be extended."))
    if timer.extended_days:
        raise WorkflowError(_("This time limit has been extended once already."))
    most = clock.extension(record)
    days = data.get("days") or most.days
    if not isinstance(days, int) or not 1 <= days <= most.days:
        raise WorkflowError(_("An extension is 1 to %(n)d days.") % {"n": most.days}, field="days")
    timer.due_on = calendar.due(
        timer.due_on, calendar.DeadlineRule(days, most.counting), org=workflow.org_of(record)
    )
    timer.due_at = calendar.ends_at(timer.due_on)
    timer.extended_days = days
    timer.save(update_fields=["due_on", "due_at", "extended_days"])
    data["extended"] = {"clock": clock.name, "days": days, "due": timer.due_on.isoformat()}


def timers_of(workflow, record) -> dict[str, Timer]:
    return {t.name: t for t in Timer.objects.filter(record_type=workflow.code, record_id=record.pk)}
