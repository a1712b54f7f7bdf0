from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from anwen import audit
from anwen.audit.chain import GENESIS, digest_of, event_digest, key_id_of, summary, verify_chain
from anwen.audit.models import AppendOnlyError, AuditEvent, AuditHead

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


def write(n: int) -> list[AuditEvent]:
    return [audit.record(actor=None, action="tests.thing.done", data={"n": i}) for i in range(n)]


def test_each_event_is_chained_to_the_one_before():
    first, second, third = write(3)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert all(digest_of(e) == e.hash for e in AuditEvent.objects.all())
    head = AuditHead.objects.get()
    assert (head.last_id, head.hash, head.anchor) == (third.pk, third.hash, GENESIS)


def test_a_clean_chain_verifies():
    write(5)
    assert verify_chain() == verify_chain(chunk_size=2)
    result = verify_chain(chunk_size=2)
    assert result.ok and result.checked == 5 and result.first_bad_id is None


def test_an_empty_trail_verifies():
    assert verify_chain().ok


def test_an_event_with_an_ipv6_address_and_a_date_verifies_after_the_round_trip(world):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001")
    event = audit.record(
        actor=world.users["admin"],
        action="tests.thing.done",
        obj=world.S1,
        request=request,
        data={"on": date(2026, 5, 1), "名称": "中心小学"},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip == "2001:db8::1"
    assert stored.data == {"on": "2026-05-01", "名称": "中心小学"}
    assert stored.org_path == world.S1.path
    assert verify_chain().ok


def test_an_edited_event_is_detected(tamper):
    events = write(4)
    assert (
        tamper(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s",
            ["tests.thing.hidden", events[1].pk],
        )
        == 1
    )
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_id == events[1].pk
    assert result.checked == 1


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(tamper):
    events = write(3)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.action = "tests.thing.hidden"
    tamper(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
        [forged.action, digest_of(forged), forged.pk],
    )
    result = verify_chain()
    assert not result.ok and result.first_bad_id == events[2].pk


def test_a_deleted_event_in_the_middle_is_detected(tamper):
    events = write(5)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_id == events[3].pk


def test_a_deleted_first_event_is_detected(tamper):
    events = write(3)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    result = verify_chain()
    assert not result.ok and result.first_bad_id == events[1].pk


def test_deleted_last_events_are_detected(tamper):
    events = write(4)
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [events[2].pk])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_id == events[3].pk
    assert result.checked == 2


def test_a_wholly_emptied_trail_is_detected(tamper):
    events = write(2)
    tamper("DELETE FROM audit_auditevent")
    result = verify_chain()
    assert not result.ok and result.first_bad_id == events[1].pk


def test_an_event_inserted_past_the_service_is_detected():
    events = write(2)
    # An ORM create skips the head, so the chain has an event its head does not know.
    stray = AuditEvent.objects.create(
        action="tests.thing.sneaked", prev_hash=events[1].hash, hash="f" * 64
    )
    result = verify_chain()
    assert not result.ok and result.first_bad_id == stray.pk


def test_the_orm_refuses_to_change_or_delete_events():
    event = write(1)[0]
    event.action = "tests.thing.hidden"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tests.thing.hidden")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action="x", prev_hash="0", hash="1")])
    assert AuditEvent.objects.get().action == "tests.thing.done"
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates_and_deletes():
    event = write(1)[0]
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get().action == "tests.thing.done"


def test_viewing_a_confidential_record_is_logged_without_its_content(world):
    person = world.people["teacher"]
    person.phone = "13800138000"
    person.save(update_fields=["phone"])
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = audit.record_view(actor=world.users["principal"], obj=person, request=request)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "audit.confidential.viewed"
    assert (stored.actor_id, stored.actor_label) == (world.users["principal"].pk, "principal")
    assert (stored.object_type, stored.object_id) == ("orgs.person", str(person.pk))
    assert stored.org_path == world.S1.path and stored.ip == "10.1.2.3"
    assert stored.data == {}
    everything = " ".join(str(getattr(stored, f.attname)) for f in AuditEvent._meta.fields)
    assert person.name not in everything and person.phone not in everything


def sqlite_only():
    return pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite triggers")


@sqlite_only()
def test_sqlite_refuses_raw_updates_and_deletes():
    event = write(1)[0]
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get().action == "tests.thing.done"
    assert not AuditHead.objects.get().purging


@sqlite_only()
def test_a_row_changed_with_the_triggers_dropped_is_caught_by_its_mac(settings, english):
    events = write(3)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_auditevent_no_update")
        cursor.execute(
            "UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[1].pk]
        )
    result = verify_chain()
    assert not result.ok and result.first_bad_id == events[1].pk
    assert result.key_id == key_id_of(settings.ANWEN_AUDIT_KEY)
    assert "MAC does not match key " + result.key_id in result.reason


def test_a_hash_recomputed_without_the_key_is_caught(tamper, english):
    events = write(2)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.action = "tests.thing.hidden"
    # The intruder has the database, not the key: the best he can do is a plain hash, or an
    # HMAC under a key of his own.
    for key_id, digest in (
        ("", event_digest(key=None, **_fields(forged))),
        (forged.key_id, event_digest(key="guess", key_id=forged.key_id, **_fields(forged))),
    ):
        tamper(
            "UPDATE audit_auditevent SET action = %s, hash = %s, key_id = %s WHERE id = %s",
            [forged.action, digest, key_id, forged.pk],
        )
        result = verify_chain()
        assert not result.ok and result.first_bad_id == forged.pk, key_id
        # Pointing the head at the forged row needs the key too: its seal breaks.
        tamper("UPDATE audit_audithead SET hash = %s WHERE id = 1", [digest])
        result = verify_chain()
        assert not result.ok and "head of the chain was changed" in result.reason, key_id
        tamper("UPDATE audit_audithead SET hash = %s WHERE id = 1", [events[1].hash])


def test_verify_names_the_key_and_a_rotated_key_still_verifies(settings):
    write(2)
    old_id = key_id_of(settings.ANWEN_AUDIT_KEY)
    assert old_id in summary(verify_chain())
    settings.ANWEN_AUDIT_OLD_KEYS = [settings.ANWEN_AUDIT_KEY]
    settings.ANWEN_AUDIT_KEY = "the-new-key"
    write(1)
    result = verify_chain()
    assert result.ok and result.checked == 3 and result.key_id == key_id_of("the-new-key")
    assert list(AuditEvent.objects.values_list("key_id", flat=True)) == [
        old_id,
        old_id,
        key_id_of("the-new-key"),
    ]
    # Without the old key the older events cannot be checked, and verify says which key it lacks.
    settings.ANWEN_AUDIT_OLD_KEYS = []
    result = verify_chain()
    assert not result.ok and old_id in result.reason


def _fields(event: AuditEvent) -> dict:
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
