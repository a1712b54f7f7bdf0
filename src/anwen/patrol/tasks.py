"""Periodic work of the guard patrol; `anwen tick` enqueues it (web/schedule.py)."""

from django.utils import timezone
from django_tasks import task

from anwen.patrol.services import nights_to_judge, rounds_evaluate


@task()
def evaluate_patrol_rounds() -> dict:
    """Judge last night's rounds once their morning cut-off has passed, and every night of the
    last two weeks a run missed (the worker was down). Idempotent: one Round per schedule and
    night, so a second run judges nothing."""
    now = timezone.now()
    judged = {}
    for night in nights_to_judge(timezone.localdate(now)):
        made = rounds_evaluate(night=night, now=now)
        judged[night.isoformat()] = len(made)
    return {"judged": judged}
