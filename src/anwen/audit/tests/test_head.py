"""The sealed head: the attacks of the review (REVIEW1 items 1–3) by someone who holds the
database file but not the key, each of which verify now reports."""

from datetime import timedelta
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone, translation

from anwen import audit
from anwen.audit.chain import GENESIS, LOST, digest_of, event_digest, key_id_of, seal, verify_chain
from anwen.audit.models import AuditEvent, AuditHead
from anwen.audit.services import AuditError, purge_expired, retention_cutoff
from anwen.audit.tests.test_chain import _fields

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]

COLUMNS = (
    "id, at, actor_id, actor_label, action, object_type, object_id, org_path, ip, data,"
    " prev_hash, hash, key_id"
)


def write(n: int, days_ago: int = 0) -> list[AuditEvent]:
    when = timezone.now() - timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return [
            audit.record(actor=None, action="tests.thing.done", data={"n": i}) for i in range(n)
        ]


def head() -> AuditHead:
    return AuditHead.objects.get()


def insert(event: AuditEvent) -> None:
    """An INSERT of the row as it stands, id included, as raw SQL would do it."""
    models.Model.save(event, force_insert=True)


def reinsert_unkeyed(tamper, events: list[AuditEvent], *, change: int) -> str:
    """Delete every event and put them back with plain SHA-256 hashes (no key needed), one of
    them with another action; return the new last hash."""
    tamper("DELETE FROM audit_auditevent")
    prev = GENESIS
    for index, event in enumerate(events):
        event.action = "tests.thing.hidden" if index == change else event.action
        event.prev_hash, event.key_id = prev, ""
        event.hash = event_digest(key=None, **_fields(event))
        insert(event)
        prev = event.hash
    return prev


def test_a_new_trail_refuses_every_unkeyed_event():
    assert head().keyed_since == 0
    assert head().mac and head().key_id


def test_rewriting_the_whole_trail_unkeyed_is_detected(tamper, english):
    """REVIEW1 item 1: delete everything, re-insert unkeyed with one action changed, point
    the head at the new last hash."""
    events = write(4)
    sealed_hash = events[-1].hash
    last = reinsert_unkeyed(tamper, events, change=1)
    tamper("UPDATE audit_audithead SET hash = %s WHERE id = 1", [last])
    result = verify_chain()
    assert not result.ok and "head of the chain was changed" in result.reason
    # The head put back as sealed: the first unkeyed row is refused for what it is.
    tamper("UPDATE audit_audithead SET hash = %s WHERE id = 1", [sealed_hash])
    result = verify_chain()
    assert not result.ok and result.first_bad_id == events[0].pk
    assert "it was forged" in result.reason


def test_an_unkeyed_event_inside_the_keyed_part_is_a_forgery_even_with_a_sealed_head(english):
    """Even the key's holder cannot launder an unkeyed row into a keyed trail."""
    events = write(2)
    stray = AuditEvent(action="tests.thing.sneaked", prev_hash=events[-1].hash, at=timezone.now())
    stray.hash = digest_of(stray)  # no key id: the plain SHA-256
    stray.save()
    current = head()
    current.hash, current.last_id = stray.hash, stray.pk
    seal(current)
    current.save()
    result = verify_chain()
    assert not result.ok and result.first_bad_id == stray.pk
    assert "keyed from event 0 on: it was forged" in result.reason


def test_record_never_writes_an_unkeyed_event():
    with mock.patch("anwen.audit.services.current_key", return_value=("", "")):
        with pytest.raises(AuditError):
            write(1)
    assert not AuditEvent.objects.exists()


def test_cutting_the_newest_events_and_editing_the_head_is_detected(tamper, english):
    """REVIEW1 item 2, the tail: the last 3 events go, the head is set to the new last one."""
    events = write(6)
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [events[2].pk])
    tamper(
        "UPDATE audit_audithead SET last_id = %s, hash = %s WHERE id = 1",
        [events[2].pk, events[2].hash],
    )
    result = verify_chain()
    assert not result.ok and "head of the chain was changed" in result.reason


def test_cutting_the_oldest_events_and_moving_the_anchor_is_detected(tamper, english):
    """REVIEW1 item 2, the start: the oldest events go, the anchor is set to the first kept
    row's prev_hash, and no purge recorded it."""
    events = write(5)
    tamper("DELETE FROM audit_auditevent WHERE id < %s", [events[2].pk])
    tamper("UPDATE audit_audithead SET anchor = %s WHERE id = 1", [events[2].prev_hash])
    result = verify_chain()
    assert not result.ok and "head of the chain was changed" in result.reason


def test_a_moved_anchor_needs_the_purge_event_even_under_the_key(tamper, english):
    events = write(5)
    tamper("DELETE FROM audit_auditevent WHERE id < %s", [events[2].pk])
    moved = head()
    moved.anchor = events[2].prev_hash
    seal(moved)
    moved.save()
    result = verify_chain()
    assert not result.ok and "no retention purge recorded it" in result.reason


def test_wiping_every_event_and_the_head_is_detected(tamper, english):
    """REVIEW1 item 2, everything: no event and no head is no longer an empty, intact trail."""
    write(3)
    tamper("DELETE FROM audit_auditevent")
    tamper("DELETE FROM audit_audithead")
    result = verify_chain()
    assert not result.ok and result.checked == 0
    assert "head of the chain is missing" in result.reason


def test_a_lost_head_stays_reported_after_the_next_event(tamper, english):
    events = write(3)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    tamper("DELETE FROM audit_audithead")
    write(1)
    assert head().anchor == LOST
    result = verify_chain()
    assert not result.ok and "lost and made again" in result.reason


def test_a_raised_purge_flag_is_reported(english):
    write(1)
    AuditHead.objects.filter(pk=1).update(purging=True)
    result = verify_chain()
    assert not result.ok and "purge flag" in result.reason


def test_a_legitimate_purge_verifies_and_seals_the_moved_anchor():
    write(3, days_ago=400)
    kept = write(2, days_ago=10)
    result = purge_expired(before=retention_cutoff(days=365))
    assert result.deleted == 3
    sealed = head()
    assert (sealed.anchor, sealed.purged_at is not None) == (kept[0].prev_hash, True)
    assert verify_chain().ok
    purge_expired(before=retention_cutoff(days=200))
    assert verify_chain().ok


def test_the_head_sealed_with_a_rotated_key_still_verifies(settings):
    write(2)
    old_id = key_id_of(settings.ANWEN_AUDIT_KEY)
    settings.ANWEN_AUDIT_OLD_KEYS = [settings.ANWEN_AUDIT_KEY]
    settings.ANWEN_AUDIT_KEY = "the-new-key"
    # Nothing written since the rotation: the head is still sealed with the old key.
    assert head().key_id == old_id
    assert verify_chain().ok
    write(1)
    assert head().key_id == key_id_of("the-new-key")
    assert verify_chain().ok
    settings.ANWEN_AUDIT_OLD_KEYS = []
    assert not verify_chain().ok


def upgrade_from_before_the_key(n: int) -> list[AuditEvent]:
    """A trail as it stood before 0003 (plain SHA-256 rows) brought up by migration 0004."""
    from importlib import import_module

    prev, legacy = GENESIS, []
    for i in range(n):
        event = AuditEvent(action="tests.legacy", data={"n": i}, prev_hash=prev, at=timezone.now())
        event.hash = digest_of(event)
        event.save()
        legacy.append(event)
        prev = event.hash
    AuditHead.objects.filter(pk=1).update(hash=prev, last_id=legacy[-1].pk, mac="")
    migration = import_module("anwen.audit.migrations.0004_sealed_head")
    migration.seal_head(apps, SimpleNamespace(connection=connection))
    return legacy


def test_events_from_before_the_key_are_reported_as_such_not_as_tampered(english):
    legacy = upgrade_from_before_the_key(2)
    assert head().keyed_since == legacy[-1].pk + 1
    write(2)
    result = verify_chain()
    assert result.ok and result.checked == 4 and result.unkeyed == 2


def test_rewriting_the_unkeyed_part_of_an_upgraded_trail_is_detected(tamper):
    legacy = upgrade_from_before_the_key(3)
    write(1)
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in events[:3]] == [e.pk for e in legacy]
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [legacy[-1].pk])
    last = reinsert_unkeyed(tamper, events[:3], change=0)
    # The keyed event after them names the old last hash, and the sealed head names it.
    insert(events[3])
    result = verify_chain()
    assert not result.ok and result.first_bad_id == events[3].pk
    assert last != events[3].prev_hash


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
def test_insert_or_replace_is_refused_even_without_recursive_triggers():
    """REVIEW1 item 3: REPLACE fires no DELETE trigger with recursive_triggers off; the
    INSERT triggers refuse an old id anyway."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers")
        assert cursor.fetchone()[0] == 1  # the settings' init_command
    events = write(2)
    replace = (
        f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS})"  # noqa: S608 - constant columns
        f" SELECT {COLUMNS.replace('action', chr(39) + 'forged' + chr(39))}"
        " FROM audit_auditevent WHERE id = %s"
    )
    before_first = (
        f"INSERT INTO audit_auditevent ({COLUMNS}) SELECT -1, at, actor_id, actor_label,"  # noqa: S608
        " action, object_type, object_id, org_path, ip, data, prev_hash, 'x' || hash, key_id"
        " FROM audit_auditevent WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers = OFF")
    try:
        for sql, event in ((replace, events[0]), (replace, events[1]), (before_first, events[0])):
            with pytest.raises(DatabaseError, match="append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [event.pk])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers = ON")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["tests.thing.done"] * 2
    assert verify_chain().ok


def test_the_command_reports_an_attack_in_chinese(tamper):
    write(3)
    tamper("DELETE FROM audit_auditevent")
    tamper("DELETE FROM audit_audithead")
    with translation.override("zh-hans"), pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=StringIO())
    assert failure.value.returncode == 1
    assert "审计日志已断裂" in str(failure.value) and "链头" in str(failure.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_leaves_an_empty_trail_with_a_new_sealed_head():
    write(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert head().mac and head().last_id is None
    assert verify_chain().ok
    write(1)
    assert verify_chain().ok
