from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from anwen import audit
from anwen.audit.chain import verify_chain
from anwen.audit.models import AuditEvent, AuditHead
from anwen.audit.services import AuditError, purge_expired, retention_cutoff
from anwen.audit.tasks import purge_expired_audit_events

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


def write_days_ago(days: int, n: int = 1) -> list[AuditEvent]:
    when = timezone.now() - timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return [
            audit.record(actor=None, action="tests.thing.done", data={"n": i}) for i in range(n)
        ]


def test_purge_refuses_to_keep_less_than_180_days(settings):
    old = write_days_ago(400, 2)
    settings.ANWEN_AUDIT_RETENTION_DAYS = 30
    with pytest.raises(AuditError, match="180"):
        purge_expired()
    with pytest.raises(AuditError):
        purge_expired(before=timezone.now() - timedelta(days=179))
    assert AuditEvent.objects.count() == len(old)


def test_purge_deletes_old_events_and_the_rest_still_verifies():
    write_days_ago(400, 3)
    kept = write_days_ago(100, 2)
    result = purge_expired(before=retention_cutoff(days=365))
    assert result.deleted == 3
    assert result.anchor == kept[0].prev_hash
    remaining = list(AuditEvent.objects.order_by("id"))
    assert remaining[:2] == kept
    purged = remaining[-1]
    assert purged.action == "audit.trail.purged"
    assert purged.data["count"] == 3 and purged.data["anchor"] == kept[0].prev_hash
    assert AuditHead.objects.get().anchor == kept[0].prev_hash
    check = verify_chain()
    assert check.ok and check.checked == 3


def test_purge_of_everything_old_anchors_on_the_last_hash():
    old = write_days_ago(400, 2)
    result = purge_expired(before=retention_cutoff(days=200))
    assert result.deleted == 2 and result.anchor == old[-1].hash
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["audit.trail.purged"]
    assert verify_chain().ok


def test_a_second_purge_changes_nothing():
    write_days_ago(400, 2)
    write_days_ago(10, 1)
    purge_expired(before=retention_cutoff(days=365))
    count = AuditEvent.objects.count()
    again = purge_expired(before=retention_cutoff(days=365))
    assert again.deleted == 0 and again.event is None
    assert AuditEvent.objects.count() == count
    assert verify_chain().ok


def test_removing_the_oldest_events_outside_the_purge_is_still_detected(tamper):
    write_days_ago(400, 2)
    kept = write_days_ago(100, 3)
    purge_expired(before=retention_cutoff(days=365))
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [kept[0].pk])
    result = verify_chain()
    assert not result.ok and result.first_bad_id == kept[1].pk


def test_the_task_applies_the_retention_setting(settings):
    settings.ANWEN_AUDIT_RETENTION_DAYS = 200
    write_days_ago(300, 4)
    write_days_ago(150, 1)
    result = purge_expired_audit_events.enqueue()
    assert result.return_value["deleted"] == 4
    assert AuditEvent.objects.count() == 2
    assert purge_expired_audit_events.enqueue().return_value["deleted"] == 0
    assert verify_chain().ok
