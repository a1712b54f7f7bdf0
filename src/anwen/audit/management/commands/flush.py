"""Django's `flush`, able to empty the audit trail on SQLite too.

Flushing removes every row of every table (the test runner does it between transactional
tests); it is not a rewrite of the trail. On PostgreSQL it is a TRUNCATE, which the
append-only trigger does not see. On SQLite it is a DELETE per table, which the triggers would
refuse, so they are lifted for the flush and put back exactly as the database held them.
Either way the empty trail gets a new sealed head, as `migrate` leaves it: without one, verify
reports the trail removed (which, outside a flush, it was)."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from anwen.audit.models import AuditHead
from anwen.audit.services import start_trail

TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
)


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        self._flush(alias, **options)
        if alias == DEFAULT_DB_ALIAS:
            with transaction.atomic(using=alias):
                if not AuditHead.objects.using(alias).exists():
                    start_trail()

    def _flush(self, alias: str, **options: Any) -> None:
        connection = connections[alias]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(TRIGGERS)
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
