"""The periodic work `anwen tick` enqueues. Each task is idempotent (it claims its rows with a
conditional update or finds nothing left to do), so a tick run twice, or by two machines at
once, changes nothing twice. Engines add their periodic tasks here as they land."""

from anwen.audit.tasks import purge_expired_audit_events

PERIODIC_TASKS = [
    purge_expired_audit_events,
]
