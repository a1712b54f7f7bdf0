"""Reading the audit trail: which events a user may see, filtered for the list and exports."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm, scope_paths

PERM = "audit.view"


def visible_q(user) -> Q:
    """Events under the orgs where the user holds "audit.view". Events tied to no org (logins,
    district-wide loads) only for those who hold it at a district's root, the bureau."""
    q = Q(pk__in=[])
    roots = Org.objects.filter(path__in=scope_paths(user))
    for org in roots:
        if has_perm(user, PERM, org):
            q |= Q(org_path__startswith=org.path)
            if org.parent_id is None:
                q |= Q(org_path="")
    return q


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


def event_list(*, user, start: date | None = None, end: date | None = None, actor: str = "",
               action: str = "") -> QuerySet:
    """The events `user` may see, newest first."""
    events = events_between(start=start, end=end).filter(visible_q(user))
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if action:
        events = events.filter(action__startswith=action)
    return events.order_by("-id")
