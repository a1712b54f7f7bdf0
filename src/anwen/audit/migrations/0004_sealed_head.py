"""The head is sealed by a MAC under the audit key and says since when the trail is keyed.

`keyed_since`: the first keyed event's id on a trail that has keyed events, the next id on one
that has only events from before the key, and 0 (every event) on a new installation.

SQLite rebuilds audit_audithead to add the columns. The append-only triggers of 0003 live on
audit_auditevent but read audit_audithead, so they are dropped first and made again after, with
two more: an INSERT may not reuse or precede an existing id (INSERT OR REPLACE would otherwise
swap a row past the DELETE trigger where recursive_triggers is off). In a BEFORE INSERT trigger
SQLite gives NEW.id = -1 when the id is left to it, hence the AFTER trigger for the rest.
A later migration that rebuilds either table must run `triggers()` again.
"""

from django.db import migrations, models

from anwen.audit.chain import GENESIS, current_key, head_mac

SQLITE_TRIGGERS = [
    """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
WHEN NOT EXISTS (SELECT 1 FROM audit_audithead WHERE id = 1 AND purging)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused');
END
""",
    """
CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
WHEN NOT EXISTS (SELECT 1 FROM audit_audithead WHERE id = 1 AND purging)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused');
END
""",
    """
CREATE TRIGGER audit_auditevent_no_replace BEFORE INSERT ON audit_auditevent
WHEN NEW.id <> -1 AND NEW.id <= (SELECT coalesce(max(id), 0) FROM audit_auditevent)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: INSERT of an old id refused');
END
""",
    """
CREATE TRIGGER audit_auditevent_only_newest AFTER INSERT ON audit_auditevent
WHEN NEW.id < (SELECT max(id) FROM audit_auditevent)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: INSERT of an old id refused');
END
""",
]
TRIGGER_NAMES = [
    "audit_auditevent_no_update",
    "audit_auditevent_no_delete",
    "audit_auditevent_no_replace",
    "audit_auditevent_only_newest",
]


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        drop_triggers(apps, schema_editor)
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in TRIGGER_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def triggers_of_0003(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        drop_triggers(apps, schema_editor)
        for statement in SQLITE_TRIGGERS[:2]:
            schema_editor.execute(statement, params=None)


def seal_head(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    db = schema_editor.connection.alias
    events = AuditEvent.objects.using(db)
    head = AuditHead.objects.using(db).filter(pk=1).first()
    if head is None:  # 0002 made it; only a trail that lost it arrives here without one
        last = events.order_by("-id").first()
        head = AuditHead(pk=1, hash=last.hash if last else GENESIS, anchor=GENESIS)
        head.last_id = last.id if last else None
    first_keyed = events.exclude(key_id="").order_by("id").values_list("id", flat=True).first()
    if first_keyed is not None:
        head.keyed_since = first_keyed
    elif head.last_id is not None:
        head.keyed_since = head.last_id + 1
    else:
        head.keyed_since = 0
    head.key_id, key = current_key()
    head.mac = head_mac(
        key=key,
        key_id=head.key_id,
        last_id=head.last_id,
        hash=head.hash,
        anchor=head.anchor,
        purged_at=head.purged_at,
        keyed_since=head.keyed_since,
    )
    head.save(using=db)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_keyed_chain_and_sqlite_append_only"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, triggers_of_0003),
        migrations.AddField(
            model_name="audithead",
            name="keyed_since",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=8),
        ),
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(seal_head, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]
