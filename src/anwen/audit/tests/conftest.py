import pytest
from django.db import connection, transaction

from anwen.audit.services import _trail_unlocked


@pytest.fixture
def tamper():
    """tamper(sql, params): rewrite the trail behind the ORM's back, as an intruder with
    database access would. The append-only triggers (SQLite and PostgreSQL) would stop the
    intruder, so the test lifts them the way the purge does, to prove that verify still
    notices."""

    def _tamper(sql: str, params=()) -> int:
        with transaction.atomic(), _trail_unlocked(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    return _tamper


@pytest.fixture
def english():
    """Messages in the source language, whatever an earlier request left active."""
    from django.utils import translation

    with translation.override("en"):
        yield
