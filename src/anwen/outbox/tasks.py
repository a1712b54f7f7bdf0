"""The worker's side of the outbox; `anwen tick` enqueues the drain (web/schedule.py), and
`announce` enqueues it after a commit that wrote e-mail or SMS deliveries."""

from django_tasks import task

from anwen.outbox.delivery import drain


@task()
def drain_outbox() -> dict:
    """Send every due e-mail and SMS delivery. Idempotent: each row is claimed before it is
    sent, so a second run, or two workers at once, send nothing twice."""
    result = drain()
    return {"delivered": result.delivered, "retried": result.retried, "failed": result.failed}
