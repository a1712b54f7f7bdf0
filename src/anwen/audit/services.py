"""Writing to the audit trail. Call `record` inside the transaction of the change it records.

Appends lock the single `AuditHead` row first, so concurrent writers queue up and each event
chains to the one committed before it (on SQLite the IMMEDIATE transactions serialise writers
anyway; on PostgreSQL the row lock does). The lock is held until the caller's transaction
commits, which is what keeps id order, commit order and chain order the same. Every change
of the head is sealed again (`chain.seal`) in the same transaction.
"""

import ipaddress
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen.audit.chain import GENESIS, HEAD_PK, LOST, PURGED, current_key, event_digest, seal
from anwen.audit.models import AuditEvent, AuditHead
from anwen.errors import AppError

__all__ = [
    "GENESIS",
    "AuditError",
    "PurgeResult",
    "client_ip",
    "event_digest",
    "purge_expired",
    "record",
    "record_view",
    "retention_cutoff",
    "start_trail",
]

# 等保 2.0 asks for at least six months of audit records; no setting may go below.
MIN_RETENTION_DAYS = 180


class AuditError(AppError):
    pass


def client_ip(request) -> str | None:
    """The client's address as the trail stores it (and the login throttle counts it), or None
    when there is none.

    Behind ANWEN_TRUSTED_PROXIES reverse proxies REMOTE_ADDR is the nearest proxy, so the
    address is the one the outermost trusted proxy saw, the Nth entry from the right of
    X-Forwarded-For; entries further left are the client's own claims and are not believed."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "ANWEN_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [
            hop.strip()
            for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()
        ]
        raw = hops[-proxies] if len(hops) >= proxies else ""
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        return None
    # Hash exactly what the column will hold (IPv6 is stored in its compressed form).
    return AuditEvent._meta.get_field("ip").get_prep_value(raw)


def _plain_json(data: dict | None) -> dict:
    """The details as they come back from the database, so the digest can be recomputed:
    dates, UUIDs and the like become strings."""
    return json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))


def start_trail() -> AuditHead:
    """The head of a new, empty trail: genesis, keyed from the first event, sealed. The
    migrations make it, and `flush` (which empties every table) again; nothing else does."""
    head = AuditHead(pk=HEAD_PK, hash=GENESIS, last_id=None, anchor=GENESIS, keyed_since=0)
    seal(head)
    head.save(force_insert=True)
    return head


def _lock_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        # The head is gone, so events may have gone with it. Recording goes on (an audited
        # action must not fail for it) from a head that says so: its anchor matches no event,
        # and verify reports the loss until a retention purge has removed what came before.
        last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
        lost = AuditHead(
            pk=HEAD_PK,
            hash=last.hash if last else GENESIS,
            last_id=last.pk if last else None,
            anchor=LOST,
            keyed_since=0,
        )
        seal(lost)
        AuditHead.objects.get_or_create(
            pk=HEAD_PK,
            defaults={
                name: getattr(lost, name)
                for name in ("hash", "last_id", "anchor", "keyed_since", "key_id", "mac")
            },
        )
        head = AuditHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


def _save_sealed(head: AuditHead, *fields: str) -> None:
    seal(head)
    head.save(update_fields=[*fields, "key_id", "mac"])


def record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    org=None,
    data: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one event. `action` is a namespaced code such as "orgs.org.created"."""
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = getattr(actor, "username", "") if actor is not None else ""
    if org is None and obj is not None:
        org = obj if hasattr(obj, "path") else getattr(obj, "org", None)
    fields = {
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "org_path": getattr(org, "path", "") or "",
        "ip": client_ip(request),
        "data": _plain_json(data),
    }
    with transaction.atomic():
        head = _lock_head()
        # Taken under the lock, so time never runs backwards along the chain.
        fields["at"] = timezone.now()
        prev_hash = head.hash
        key_id, key = current_key()
        if not key:
            # Settings always provide one; an unkeyed row written now would be a forgery.
            raise AuditError(_("No audit key is configured (ANWEN_AUDIT_KEY)."))
        event = AuditEvent.objects.create(
            prev_hash=prev_hash,
            key_id=key_id,
            hash=event_digest(key=key, key_id=key_id, prev_hash=prev_hash, **fields),
            **fields,
        )
        head.hash, head.last_id = event.hash, event.pk
        _save_sealed(head, "hash", "last_id")
        return event


def record_view(*, actor, obj: Model, request=None) -> AuditEvent:
    """Log that `actor` looked at a confidential record: which record, never what it says."""
    return record(actor=actor, action="audit.confidential.viewed", obj=obj, request=request)


@contextmanager
def _trail_unlocked():
    """Let this transaction delete from the trail past the append-only triggers.

    PostgreSQL: set_config(..., true) lasts until the transaction ends at the latest. SQLite:
    the head's `purging` flag, inside the same transaction (a crash rolls it back). Either is
    switched off again straight after, so nothing else in the transaction profits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('anwen.audit_purge', 'on', true)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('anwen.audit_purge', 'off', true)")
        return
    AuditHead.objects.filter(pk=HEAD_PK).update(purging=True)
    try:
        yield
    finally:
        AuditHead.objects.filter(pk=HEAD_PK).update(purging=False)


@dataclass(frozen=True)
class PurgeResult:
    deleted: int
    anchor: str
    cutoff: datetime
    event: AuditEvent | None = None


def retention_cutoff(*, days: int | None = None) -> datetime:
    if days is None:
        days = settings.ANWEN_AUDIT_RETENTION_DAYS
    # Audit retention counts calendar days by law, so no working-day calendar here.
    return timezone.now() - timedelta(days=days)


def purge_expired(*, before: datetime | None = None, by=None, request=None) -> PurgeResult:
    """Delete the events older than `before` (default: the retention setting) and keep the
    rest verifiable: the oldest kept event's prev_hash becomes the head's (sealed) anchor, and
    the purge itself is audited with the count and that anchor, which verify requires of a
    moved anchor. Running it twice deletes nothing the second time and writes no second
    event."""
    cutoff = before if before is not None else retention_cutoff()
    youngest_allowed = timezone.now() - timedelta(days=MIN_RETENTION_DAYS)
    if cutoff > youngest_allowed:
        raise AuditError(
            _(
                "Audit events are kept at least %(days)d days; refusing to delete events after "
                "%(date)s."
            )
            % {
                "days": MIN_RETENTION_DAYS,
                "date": timezone.localtime(youngest_allowed).strftime("%Y-%m-%d"),
            }
        )
    with transaction.atomic():
        head = _lock_head()
        # Ids, not times, decide what goes: the chain runs in id order, so only a prefix of
        # it can be cut off without leaving a hole.
        first_kept = (
            AuditEvent.objects.filter(at__gte=cutoff)
            .order_by("id")
            .values_list("id", "prev_hash")
            .first()
        )
        if first_kept is None:
            doomed, anchor = AuditEvent.objects.all(), head.hash
        else:
            doomed, anchor = AuditEvent.objects.filter(id__lt=first_kept[0]), first_kept[1]
        if not doomed.exists():
            return PurgeResult(0, head.anchor, cutoff)
        with _trail_unlocked():
            deleted = doomed._purge()
        head.anchor, head.purged_at = anchor, timezone.now()
        _save_sealed(head, "anchor", "purged_at")
        event = record(
            actor=by,
            action=PURGED,
            request=request,
            data={
                "count": deleted,
                "anchor": anchor,
                "before": cutoff.isoformat(),
            },
        )
        return PurgeResult(deleted, anchor, cutoff, event)
