"""The hash chain: how an event's digest is computed, and how the whole trail is checked.

Each event's hash covers its content and the hash of the event before it, so changing a row
breaks its own hash and removing one breaks its successor's `prev_hash`. The head row
(`AuditHead`) remembers the newest hash, so removing the last rows is caught too, and the
anchor, the `prev_hash` the oldest kept row must carry after a retention purge.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Subquery
from django.utils.translation import gettext as _

from anwen.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_PK = 1


def event_digest(*, prev_hash: str, at, actor_id, actor_label, action, object_type, object_id,
                 org_path, ip, data) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor_id, actor_label, action, object_type, object_id,
         org_path, ip, data],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def digest_of(event: AuditEvent) -> str:
    """The digest an event should carry, recomputed from what the database holds."""
    return event_digest(
        prev_hash=event.prev_hash, at=event.at, actor_id=event.actor_id,
        actor_label=event.actor_label, action=event.action, object_type=event.object_type,
        object_id=event.object_id, org_path=event.org_path, ip=event.ip, data=event.data,
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain(*, chunk_size: int = 2000) -> VerifyResult:
    """Walk the whole trail in id order and recompute every link.

    The head's values ride along on every row of the one streamed query, so rows and head come
    from the same snapshot even while events are appended or purged meanwhile."""
    head = AuditHead.objects.filter(pk=HEAD_PK)
    rows = (
        AuditEvent.objects.order_by("id")
        .annotate(
            head_hash=Subquery(head.values("hash")[:1]),
            head_last_id=Subquery(head.values("last_id")[:1]),
            head_anchor=Subquery(head.values("anchor")[:1]),
        )
        .iterator(chunk_size=chunk_size)
    )
    checked = 0
    expected_prev = None
    last = None
    for event in rows:
        if expected_prev is None:
            if event.head_hash is None:
                return VerifyResult(False, 0, event.pk, _("The head of the chain is missing."))
            expected_prev = event.head_anchor
        if event.head_last_id is None or event.pk > event.head_last_id:
            return VerifyResult(False, checked, event.pk,
                                _("This event was added outside the audit service."))
        if event.prev_hash != expected_prev:
            reason = (
                _("The oldest events were removed outside the retention purge.")
                if checked == 0
                else _("The event before this one was removed or changed.")
            )
            return VerifyResult(False, checked, event.pk, reason)
        if digest_of(event) != event.hash:
            return VerifyResult(False, checked, event.pk, _("This event was changed."))
        expected_prev = event.hash
        checked += 1
        last = event
    if last is None:
        stored = AuditHead.objects.filter(pk=HEAD_PK).first()
        if stored is not None and stored.last_id is not None:
            return VerifyResult(False, 0, stored.last_id,
                                _("Every event was removed, up to the newest one recorded."))
        return VerifyResult(True, 0)
    if last.pk != last.head_last_id or last.hash != last.head_hash:
        return VerifyResult(False, checked, last.head_last_id,
                            _("The newest events were removed: the trail ends early."))
    return VerifyResult(True, checked)
