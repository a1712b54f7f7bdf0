"""Periodic work of the hazards engine; `anwen tick` enqueues it."""

from django_tasks import task

from .services import escalate_overdue


@task()
def escalate_overdue_hazards() -> dict:
    """Reminders and escalation steps; idempotent (each step is claimed once)."""
    return escalate_overdue()
