"""The case clocks' reminders: a running clock that runs out soon, and one that has run out,
tell the case's named handlers — once per clock, per threshold and per due moment (a clock
extended or started again may remind again). The outbox's event key is the referee: a run
twice, or two workers at once, tell nobody twice. `reminder_tasks.py` runs it on the tick."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anwen.outbox.models import Notice
from anwen.todo import SOON_DAYS
from anwen.workflow.models import Timer

from . import notices
from .api_selectors import handlers_of
from .models import Case
from .types import workflow_codes

# A clock in hours (a threat, an incident report) is "soon" this close to its hour.
SOON_HOURS = 2
BATCH = 500


def _key(timer: Timer, what: str) -> str:
    return f"cases:{timer.record_id}:{timer.name}:{what}:{timer.due_at.isoformat()}"


def remind_clocks(*, now: datetime | None = None) -> dict:
    """Tell the handlers of every open case whose running clock is due soon or overdue, each
    once. Returns how many reminders went out (due soon, overdue)."""
    now = now or timezone.now()
    soon = Q(in_hours=False, due_at__lte=now + timedelta(days=SOON_DAYS)) | Q(
        in_hours=True, due_at__lte=now + timedelta(hours=SOON_HOURS)
    )
    timers = list(
        Timer.objects.filter(
            soon,
            record_type__in=workflow_codes(),
            duty=True,  # the writer's window to ask for a review is nobody's to be late on
            stopped_at__isnull=True,
            paused_at__isnull=True,
        ).order_by("due_at", "pk")
    )
    wanted = [(t, "overdue" if t.due_at <= now else "due") for t in timers]
    # Those told before need no work at all (the outbox would skip them anyway).
    told = set(
        Notice.objects.filter(key__in=[_key(t, what) for t, what in wanted]).values_list(
            "key", flat=True
        )
    )
    wanted = [(t, what) for t, what in wanted if _key(t, what) not in told]
    counts = {"due": 0, "overdue": 0}
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        cases = Case.objects.filter(pk__in={t.record_id for t, _w in batch}, closed=False).in_bulk()
        people = handlers_of(cases)
        for timer, what in batch:
            case = cases.get(timer.record_id)
            if case is None:
                continue
            with transaction.atomic():
                notices.tell(case, what, people[case.pk], key=_key(timer, what))
            counts[what] += 1
    return counts
