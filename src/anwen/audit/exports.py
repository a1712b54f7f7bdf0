"""The audit trail as a spreadsheet (for people) or CSV (for tools), with every column needed
to check the chain again outside anwen."""

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.audit.labels import action_label
from anwen.audit.models import AuditEvent
from anwen.exports.xlsx import Column, Exporter


def local_time(event: AuditEvent) -> str:
    return timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")


def object_label(event: AuditEvent) -> str:
    if not event.object_type:
        return ""
    return f"{event.object_type} #{event.object_id}"


def details(event: AuditEvent) -> str:
    return json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else ""


COLUMNS = [
    Column(_("Event number"), lambda e: e.pk, 10),
    Column(_("Time"), local_time, 20),
    Column(_("Actor"), lambda e: e.actor_label, 16),
    Column(_("Action"), lambda e: e.action, 30),
    Column(pgettext_lazy("audit", "What was done"), lambda e: action_label(e.action), 24),
    Column(_("Object"), object_label, 24),
    Column(_("Organisation path"), lambda e: e.org_path, 16),
    Column(_("Address"), lambda e: e.ip or "", 16),
    Column(_("Details"), details, 40),
    Column(_("Previous hash"), lambda e: e.prev_hash, 20),
    Column(_("Hash"), lambda e: e.hash, 20),
]


def xlsx_bytes(events: Iterable[AuditEvent]) -> bytes:
    return Exporter(_("Audit trail"), COLUMNS, events).workbook()


def write_csv(events: Iterable[AuditEvent], path: Path) -> None:
    # utf-8-sig: Excel on Chinese Windows opens it without mangling the characters.
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([str(column.header) for column in COLUMNS])
        for event in events:
            writer.writerow([column.value(event) for column in COLUMNS])
