"""The case clocks' reminders on the tick (`anwen tick`; `web/schedule.py`)."""

from django_tasks import task

from .reminders import remind_clocks


@task()
def remind_case_clocks() -> dict:
    """Due-soon and overdue clocks tell their handlers; idempotent (one event key each)."""
    return remind_clocks()
