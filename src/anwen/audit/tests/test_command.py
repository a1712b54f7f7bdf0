import csv
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from anwen import audit
from anwen.audit.chain import key_id_of
from anwen.audit.models import AuditEvent
from anwen.testing.sheets import sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


def run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def write(n: int, days_ago: int = 0) -> list[AuditEvent]:
    when = timezone.now() - timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return [
            audit.record(actor=None, action="tests.thing.done", data={"n": i}) for i in range(n)
        ]


def test_verify_succeeds_on_a_clean_trail_and_names_the_key(settings, english):
    write(3)
    out = run("verify")
    assert "3 events checked with key " + key_id_of(settings.ANWEN_AUDIT_KEY) in out


def test_verify_fails_with_exit_code_1_and_names_the_event(tamper):
    events = write(3)
    tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[1].pk])
    with pytest.raises(CommandError) as failure:
        run("verify")
    assert failure.value.returncode == 1
    assert str(events[1].pk) in str(failure.value)


def test_purge_refuses_fewer_than_180_days_and_deletes_nothing():
    write(2, days_ago=400)
    with pytest.raises(CommandError, match="180"):
        run("purge", "--days", "90")
    assert AuditEvent.objects.count() == 2


def test_purge_applies_the_retention_and_the_trail_still_verifies():
    write(2, days_ago=400)
    write(1)
    run("purge", "--days", "365")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "tests.thing.done",
        "audit.trail.purged",
    ]
    run("verify")


def test_export_writes_a_date_range_to_csv_and_is_audited(tmp_path):
    write(2, days_ago=40)
    recent = write(1)
    path = tmp_path / "trail.csv"
    today = timezone.localdate().isoformat()
    run("export", str(path), "--from", today, "--to", today)
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 2
    assert rows[1][0] == str(recent[0].pk) and rows[1][3] == "tests.thing.done"
    assert rows[1][-1] == recent[0].hash
    exported = AuditEvent.objects.order_by("id").last()
    assert exported.action == "audit.trail.exported"
    assert exported.data["count"] == 1 and exported.data["format"] == "csv"


def test_export_writes_xlsx(tmp_path):
    write(2)
    path = tmp_path / "trail.xlsx"
    run("export", str(path))
    rows = sheet_rows(path.read_bytes())
    assert len(rows) == 3
    assert rows[1][3] == "tests.thing.done"


def test_export_refuses_an_unknown_format_and_a_bad_date(tmp_path):
    with pytest.raises(CommandError):
        run("export", str(tmp_path / "trail.pdf"))
    with pytest.raises(CommandError):
        run("export", str(tmp_path / "trail.csv"), "--from", "2026-13-01")
