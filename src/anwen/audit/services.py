"""Writing to the audit trail. Call `record` inside the transaction of the change it records."""

import hashlib
import json

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from anwen.audit.models import AuditEvent

GENESIS = "0" * 64


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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


def record(*, actor, action: str, obj: Model | None = None, org=None, data: dict | None = None,
           request=None) -> AuditEvent:
    """Append one event. `action` is a namespaced code such as "orgs.org.created"."""
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = getattr(actor, "username", "") if actor is not None else ""
    if org is None and obj is not None:
        org = obj if hasattr(obj, "path") else getattr(obj, "org", None)
    fields = {
        "at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "org_path": getattr(org, "path", "") or "",
        "ip": _client_ip(request),
        "data": data or {},
    }
    with transaction.atomic():
        last = AuditEvent.objects.select_for_update().order_by("-id").only("hash").first()
        prev_hash = last.hash if last else GENESIS
        return AuditEvent.objects.create(
            prev_hash=prev_hash, hash=event_digest(prev_hash=prev_hash, **fields), **fields
        )


def record_view(*, actor, obj: Model, request=None) -> AuditEvent:
    """Log that `actor` looked at a confidential record."""
    return record(actor=actor, action="audit.confidential.viewed", obj=obj, request=request)
