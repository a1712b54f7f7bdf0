"""Periodic work of the audit trail; `anwen tick` enqueues it."""

from django_tasks import task

from anwen.audit.services import purge_expired


@task()
def purge_expired_audit_events() -> dict:
    """Apply the retention setting. Idempotent: a second run finds nothing to delete."""
    result = purge_expired()
    return {"deleted": result.deleted, "anchor": result.anchor, "before": result.cutoff.isoformat()}
