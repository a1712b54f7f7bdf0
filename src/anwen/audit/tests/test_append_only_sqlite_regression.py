"""Regression: INSERT OR REPLACE rewrote an audit row past the SQLite append-only triggers
(REPLACE fires DELETE triggers only with `recursive_triggers`, set in the connection's
init_command)."""

import pytest
from django.db import DatabaseError, connection

from anwen import audit
from anwen.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
def test_insert_or_replace_cannot_rewrite_an_event():
    audit.record(actor=None, action="test.one")
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute(
            "INSERT OR REPLACE INTO audit_auditevent (id, at, actor_id, actor_label, action,"
            " object_type, object_id, org_path, ip, data, prev_hash, hash, key_id)"
            " SELECT id, at, actor_id, actor_label, 'forged', object_type, object_id,"
            " org_path, ip, data, prev_hash, hash, key_id FROM audit_auditevent"
            " WHERE id = %s",
            [event.pk],
        )
    assert AuditEvent.objects.get().action == "test.one"
