from threading import Barrier, Thread

import pytest
from django.db import connection, transaction

from anwen import audit
from anwen.audit.chain import verify_chain
from anwen.audit.models import AuditEvent

pytestmark = [
    pytest.mark.req("PL3"),
    # Serialized rollback, like every transactional test here: its flush then leaves the
    # migrations' rows to be restored, instead of re-creating content types under new keys.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers by BEGIN IMMEDIATE; the head lock matters on PostgreSQL",
    ),
]

WRITERS, EACH = 6, 15


def test_concurrent_writers_keep_one_unbroken_chain():
    start = Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(EACH):
                with transaction.atomic():
                    audit.record(actor=None, action="tests.thing.done", data={"w": number, "n": n})
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == WRITERS * EACH
    result = verify_chain()
    assert result.ok and result.checked == WRITERS * EACH
