"""Periodic work of the case engine; `anwen tick` enqueues it (`web/schedule.py`)."""

from django_tasks import task

from .threats import escalate_unacknowledged


@task()
def escalate_unacknowledged_threats() -> dict:
    """Threats nobody acknowledged in time climb the ladder; idempotent (each rung is an
    event keyed once per case)."""
    return escalate_unacknowledged()
