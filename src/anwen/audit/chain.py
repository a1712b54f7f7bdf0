"""The keyed hash chain: how an event's MAC is computed, and how the whole trail is checked.

Each event's `hash` is an HMAC-SHA256, under the key from the environment (ANWEN_AUDIT_KEY,
never stored in the database), of its content and the hash of the event before it. Without the
key nobody can write a row that verifies, so a copy of the database file is not enough to
rewrite the trail: changing a row breaks its MAC, removing one breaks its successor's
`prev_hash`. Each row carries `key_id` (the first 8 hex digits of the key's SHA-256), so verify
says which key it checked with and a rotated key (ANWEN_AUDIT_OLD_KEYS) keeps old rows
verifiable. Rows written before the trail was keyed have no key id and a plain SHA-256 hash;
they are checked as such and reported apart, and only as the oldest part of the trail — an
unkeyed row after a keyed one is a forgery. (They are not re-chained: an append-only trail is
never rewritten, not even once by us, and re-keying would launder whatever was done to them.)

The head row (`AuditHead`) remembers the newest hash, so removing the last rows is caught too,
and the anchor, the `prev_hash` the oldest kept row must carry after a retention purge.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Subquery
from django.utils.translation import gettext as _

from anwen.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_PK = 1


def key_id_of(key: str) -> str:
    """The public name of a key: enough to tell keys apart, nothing to recover one from."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def current_key() -> tuple[str, str]:
    """(key id, key) that new events are written with."""
    key = settings.ANWEN_AUDIT_KEY
    return key_id_of(key), key


def keyring() -> dict[str, str]:
    """Every key verify knows, by id: the current one and those it replaced."""
    keys = [settings.ANWEN_AUDIT_KEY, *getattr(settings, "ANWEN_AUDIT_OLD_KEYS", [])]
    return {key_id_of(key): key for key in keys if key}


def _payload(
    *,
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    org_path: str,
    ip: str | None,
    data: Any,
    key_id: str = "",
) -> bytes:
    fields: list[Any] = [
        prev_hash,
        at.isoformat(),
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        org_path,
        ip,
        data,
    ]
    if key_id:
        fields.append(key_id)  # bound into the MAC: a row cannot claim another key
    return json.dumps(
        fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def event_digest(*, key: str | None = None, key_id: str = "", **fields: Any) -> str:
    """The MAC of an event under `key` (None: the plain SHA-256 of an unkeyed, older row)."""
    payload = _payload(key_id=key_id if key is not None else "", **fields)
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest()


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "prev_hash": event.prev_hash,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "org_path": event.org_path,
        "ip": event.ip,
        "data": event.data,
    }


def digest_of(event: AuditEvent, key: str | None = None) -> str:
    """The digest an event should carry, recomputed from what the database holds. `key`
    defaults to the one its key id names (the current key for a keyed row)."""
    if event.key_id and key is None:
        key = keyring().get(event.key_id, "")
    return event_digest(key=key if event.key_id else None, key_id=event.key_id, **_content(event))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    key_id: str = ""  # the key the keyed rows were checked with
    unkeyed: int = 0  # rows from before the trail was keyed, checked by their plain hash


def verify_chain(*, chunk_size: int = 2000) -> VerifyResult:
    """Walk the whole trail in id order and recompute every link.

    The head's values ride along on every row of the one streamed query, so rows and head come
    from the same snapshot even while events are appended or purged meanwhile."""
    current_id, _key = current_key()
    keys = keyring()
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
    checked = unkeyed = 0
    seen_keyed = False
    expected_prev = None
    last = None

    def broken(event_id: int | None, reason: str) -> VerifyResult:
        return VerifyResult(False, checked, event_id, reason, current_id, unkeyed)

    for event in rows:
        if expected_prev is None:
            if event.head_hash is None:
                return broken(event.pk, _("The head of the chain is missing."))
            expected_prev = event.head_anchor
        if event.head_last_id is None or event.pk > event.head_last_id:
            return broken(event.pk, _("This event was added outside the audit service."))
        if event.prev_hash != expected_prev:
            reason = (
                _("The oldest events were removed outside the retention purge.")
                if checked == 0
                else _("The event before this one was removed or changed.")
            )
            return broken(event.pk, reason)
        if not event.key_id:
            if seen_keyed:
                return broken(
                    event.pk,
                    _(
                        "This event claims to be older than the audit key "
                        "but follows keyed events: it was forged."
                    ),
                )
            if digest_of(event) != event.hash:
                return broken(event.pk, _("This event was changed."))
            unkeyed += 1
        else:
            seen_keyed = True
            key = keys.get(event.key_id)
            if key is None:
                return broken(
                    event.pk,
                    _(
                        "This event was written with key %(key)s, which "
                        "this installation does not have."
                    )
                    % {"key": event.key_id},
                )
            if digest_of(event, key) != event.hash:
                return broken(
                    event.pk,
                    _("This event was changed (its MAC does not match key %(key)s).")
                    % {"key": event.key_id},
                )
        expected_prev = event.hash
        checked += 1
        last = event
    if last is None:
        stored = AuditHead.objects.filter(pk=HEAD_PK).first()
        if stored is not None and stored.last_id is not None:
            return broken(
                stored.last_id, _("Every event was removed, up to the newest one recorded.")
            )
        return VerifyResult(True, 0, key_id=current_id)
    if last.pk != last.head_last_id or last.hash != last.head_hash:
        return broken(last.head_last_id, _("The newest events were removed: the trail ends early."))
    return VerifyResult(True, checked, key_id=current_id, unkeyed=unkeyed)


def summary(result: VerifyResult) -> str:
    """What verify found, in words, naming the key."""
    if result.ok:
        text = _("The audit trail is intact: %(n)d events checked with key %(key)s.") % {
            "n": result.checked,
            "key": result.key_id,
        }
    else:
        text = _(
            "The audit trail is broken at event %(id)s: %(reason)s (%(n)d events checked "
            "before it, with key %(key)s)"
        ) % {
            "id": result.first_bad_id,
            "reason": result.reason,
            "n": result.checked,
            "key": result.key_id,
        }
    if result.unkeyed:
        text += " " + _(
            "%(n)d of them were written before the trail was keyed and were "
            "checked by their plain hash."
        ) % {"n": result.unkeyed}
    return text
