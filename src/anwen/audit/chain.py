"""The keyed hash chain: how an event's MAC is computed, and how the whole trail is checked.

Each event's `hash` is an HMAC-SHA256, under the key from the environment (ANWEN_AUDIT_KEY,
never stored in the database), of its content and the hash of the event before it. Without the
key nobody can write a row that verifies, so a copy of the database file is not enough to
rewrite the trail: changing a row breaks its MAC, removing one breaks its successor's
`prev_hash`. Each row carries `key_id` (the first 8 hex digits of the key's SHA-256), so verify
says which key it checked with and a rotated key (ANWEN_AUDIT_OLD_KEYS) keeps old rows
verifiable.

The head row (`AuditHead`) holds the newest event (`last_id`, `hash`), the `anchor` (the
`prev_hash` the oldest kept event must carry: the genesis value until a retention purge moves
it), `purged_at` and `keyed_since`, all sealed by its own MAC (`head_mac`) under the key.
So, without the key, nobody can cut the newest events (the head still names them), cut the
oldest ones (the anchor cannot move; the purge moves it and records a keyed
`audit.trail.purged` event naming the new anchor, which verify requires), or wipe the trail
(the head made by the migrations goes with it: a trail without its head is broken, even an
empty one; only `flush`, which empties every table, makes a new one).

`keyed_since`: events from this id on must be keyed. It is 0 on an installation keyed from
its first event, so there every unkeyed row is a forgery. On one upgraded from before the key
it is the first keyed event's id; the older, unkeyed rows are checked by their plain SHA-256
and reported apart, and cannot be rewritten either, since the keyed event after them (or the
sealed head) names their last hash. (They are not re-chained: an append-only trail is never
rewritten, not even once by us, and re-keying would launder whatever was done to them.)
`record` never writes an unkeyed row: there is always a key. Settings refuse to start without
ANWEN_AUDIT_KEY except for `anwen demo`, which uses a fixed key published in the source (so a
demo trail proves nothing); the test settings set a throwaway one.

What the chain cannot see: putting back an older copy of the whole database file (or of the
audit tables with their head) is a consistent, sealed trail that merely ends earlier. Only a
copy kept elsewhere (the exports, a backup, the last verify's count) shows that.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Subquery
from django.utils.translation import gettext as _

from anwen.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_PK = 1
# The anchor of a head that `services.record` had to make again because the head was gone:
# no event's prev_hash is empty, so verify reports the loss (until a purge re-anchors).
LOST = ""
PURGED = "audit.trail.purged"


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


def head_mac(
    *,
    key: str,
    key_id: str,
    last_id: int | None,
    hash: str,
    anchor: str,
    purged_at: datetime | None,
    keyed_since: int,
) -> str:
    """The MAC that seals the head: where the chain ends and starts, and since when it is keyed."""
    payload = json.dumps(
        [
            "head",
            key_id,
            last_id,
            hash,
            anchor,
            purged_at.astimezone(UTC).isoformat() if purged_at else None,
            keyed_since,
        ],
        separators=(",", ":"),
    ).encode()
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest()


def _head_values(head: AuditHead) -> dict[str, Any]:
    return {
        "last_id": head.last_id,
        "hash": head.hash,
        "anchor": head.anchor,
        "purged_at": head.purged_at,
        "keyed_since": head.keyed_since,
    }


def seal(head: AuditHead) -> None:
    """Sign the head's current values with the current key (the caller saves it)."""
    head.key_id, key = current_key()
    head.mac = head_mac(key=key, key_id=head.key_id, **_head_values(head))


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


HEAD_FIELDS = ("hash", "last_id", "anchor", "purged_at", "keyed_since", "key_id", "mac", "purging")


def _head_problem(head: dict[str, Any], keys: dict[str, str]) -> str:
    """Why the head cannot be trusted, or "" when its seal holds."""
    if head["hash"] is None:
        return _("The head of the chain is missing: the trail was removed.")
    if head["purging"]:
        return _("The purge flag is raised outside a purge: the append-only guard was lifted.")
    key = keys.get(head["key_id"])
    if not head["mac"] or key is None:
        return _("The head of the chain is not sealed with a key this installation has.")
    values = {name: head[name] for name in ("last_id", "hash", "anchor", "purged_at")}
    if (
        head_mac(key=key, key_id=head["key_id"], keyed_since=head["keyed_since"], **values)
        != (head["mac"])
    ):
        return _("The head of the chain was changed (its MAC does not match key %(key)s).") % {
            "key": head["key_id"]
        }
    if head["anchor"] == LOST:
        return _(
            "The head of the chain was lost and made again: events before it may have been removed."
        )
    return ""


def verify_chain(*, chunk_size: int = 2000) -> VerifyResult:
    """Walk the whole trail in id order and recompute every link and the head's seal.

    The head's values ride along on every row of the one streamed query, so rows and head come
    from the same snapshot even while events are appended or purged meanwhile."""
    current_id, _key = current_key()
    keys = keyring()
    head_row = AuditHead.objects.filter(pk=HEAD_PK)
    rows = (
        AuditEvent.objects.order_by("id")
        .annotate(**{f"head_{name}": Subquery(head_row.values(name)[:1]) for name in HEAD_FIELDS})
        .iterator(chunk_size=chunk_size)
    )
    checked = unkeyed = 0
    expected_prev = None
    head: dict[str, Any] = {}
    last = None
    purge_anchor = None  # the anchor the newest kept purge event names

    def broken(event_id: int | None, reason: str) -> VerifyResult:
        return VerifyResult(False, checked, event_id, reason, current_id, unkeyed)

    for event in rows:
        if expected_prev is None:
            head = {name: getattr(event, f"head_{name}") for name in HEAD_FIELDS}
            if problem := _head_problem(head, keys):
                return broken(None, problem)
            expected_prev = head["anchor"]
        if head["last_id"] is None or event.pk > head["last_id"]:
            return broken(event.pk, _("This event was added outside the audit service."))
        if event.prev_hash != expected_prev:
            reason = (
                _("The oldest events were removed outside the retention purge.")
                if checked == 0
                else _("The event before this one was removed or changed.")
            )
            return broken(event.pk, reason)
        if not event.key_id:
            if event.pk >= head["keyed_since"]:
                return broken(
                    event.pk,
                    _(
                        "This event carries no key, but the trail is keyed from event %(n)d "
                        "on: it was forged."
                    )
                    % {"n": head["keyed_since"]},
                )
            if digest_of(event) != event.hash:
                return broken(event.pk, _("This event was changed."))
            unkeyed += 1
        else:
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
            if event.action == PURGED and isinstance(event.data, dict):
                purge_anchor = event.data.get("anchor")
        expected_prev = event.hash
        checked += 1
        last = event
    if last is None:
        stored = AuditHead.objects.filter(pk=HEAD_PK).values(*HEAD_FIELDS).first()
        if problem := _head_problem(stored or dict.fromkeys(HEAD_FIELDS), keys):
            return broken(None, problem)
        if stored and stored["last_id"] is not None:
            return broken(
                stored["last_id"], _("Every event was removed, up to the newest one recorded.")
            )
        return VerifyResult(True, 0, key_id=current_id)
    if last.pk != head["last_id"] or last.hash != head["hash"]:
        return broken(head["last_id"], _("The newest events were removed: the trail ends early."))
    if head["anchor"] != GENESIS and purge_anchor != head["anchor"]:
        return broken(
            None, _("The start of the trail was moved, but no retention purge recorded it.")
        )
    return VerifyResult(True, checked, key_id=current_id, unkeyed=unkeyed)


def summary(result: VerifyResult) -> str:
    """What verify found, in words, naming the key."""
    if result.ok:
        text = _("The audit trail is intact: %(n)d events checked with key %(key)s.") % {
            "n": result.checked,
            "key": result.key_id,
        }
    elif result.first_bad_id is None:
        text = _(
            "The audit trail is broken: %(reason)s (%(n)d events checked, with key %(key)s)"
        ) % {"reason": result.reason, "n": result.checked, "key": result.key_id}
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
