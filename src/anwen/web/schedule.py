"""The periodic work `anwen tick` enqueues. Each task is idempotent (it claims its rows with a
conditional update or finds nothing left to do), so a tick run twice, or by two machines at
once, changes nothing twice. Engines add their periodic tasks here as they land."""

from anwen.audit.tasks import purge_expired_audit_events
from anwen.cases.reminder_tasks import remind_case_clocks
from anwen.cases.tasks import escalate_unacknowledged_threats
from anwen.hazards.tasks import escalate_overdue_hazards
from anwen.obligations.tasks import ensure_obligation_periods
from anwen.outbox.tasks import drain_outbox
from anwen.patrol.tasks import evaluate_patrol_rounds
from anwen.registers.tasks import remind_expiring

PERIODIC_TASKS = [
    purge_expired_audit_events,
    ensure_obligation_periods,
    evaluate_patrol_rounds,
    escalate_overdue_hazards,  # before the drain: its notices go out in the same tick
    escalate_unacknowledged_threats,
    remind_case_clocks,  # before the drain too
    remind_expiring,
    drain_outbox,
]
