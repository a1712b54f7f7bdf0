"""Reading the audit trail by date. Which events a user may see depends on the org scope, so
that part lives with the page (`anwen.web.audit_trail`): audit imports no other app."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from anwen.audit.models import AuditEvent

PERM = "audit.view"


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_between(*, start: date | None = None, end: date | None = None) -> QuerySet:
    """Events from the start of `start` to the end of `end`, local days, both included."""
    events = AuditEvent.objects.all()
    if start is not None:
        events = events.filter(at__gte=_local_midnight(start))
    if end is not None:
        events = events.filter(at__lt=_local_midnight(end + timedelta(days=1)))
    return events
