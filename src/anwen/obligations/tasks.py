"""Periodic work of the rhythm engine; `anwen tick` enqueues it (see web/schedule.py)."""

from django.utils import timezone
from django_tasks import task

from anwen.obligations.services import ensure_periods


@task()
def ensure_obligation_periods() -> dict:
    """Make today's periods exist for every obligation in force. Idempotent: a second run the
    same day finds every target at its watermark and writes nothing."""
    today = timezone.localdate()
    result = ensure_periods(through=today)
    return {
        "through": today.isoformat(),
        "periods": result.created,
        "targets_added": result.targets_added,
        "targets_retired": result.targets_retired,
    }
