"""PL5: the inbox's query count does not grow with history. A provider that follows the
protocol (one query over a recent window) is given one day, then one year, of records; the
page costs the same number of queries both times, however many items it shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anwen.evidence.models import EvidenceFile, FileKind
from anwen.inbox import selectors
from anwen.inbox.selectors import Provider
from anwen.todo import Todo

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL5")]

PER_DAY = 3
LOOKBACK = timedelta(days=7)


def photos_to_sort(user, *, today):
    """Photos the user took in the last week, to attach to a record within a week: one query,
    whatever lies behind the window."""
    since = timezone.make_aware(
        timezone.datetime.combine(today - LOOKBACK, timezone.datetime.min.time())
    )
    files = (
        EvidenceFile.objects.filter(uploaded_by=user, uploaded_at__gte=since)
        .select_related("org")
        .order_by("uploaded_at")
    )
    return [
        Todo(
            "tests.photo",
            f"整理照片 {f.pk.hex[:6]}",
            f"/files/{f.pk}/",
            org_name=f.org.name,
            due=timezone.localdate(f.uploaded_at) + LOOKBACK,
        )
        for f in files
    ]


def add_history(world, user, days: range):
    now = timezone.now()
    rows = [
        EvidenceFile(
            org=world.S1,
            kind=FileKind.JPEG,
            name=f"{d}-{i}.jpg",
            size=1,
            sha256="0" * 64,
            file=f"evidence/x/{d}-{i}.jpg",
            uploaded_by=user,
        )
        for d in days
        for i in range(PER_DAY)
    ]
    EvidenceFile.objects.bulk_create(rows)
    for row, (d, _i) in zip(rows, [(d, i) for d in days for i in range(PER_DAY)], strict=True):
        row.uploaded_at = now - timedelta(days=d)
    EvidenceFile.objects.bulk_update(rows, ["uploaded_at"])


def page_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("inbox:index"))
    assert response.status_code == 200
    return len(queries), response.content.decode().count('class="inbox-item')


def test_the_inbox_page_costs_the_same_queries_for_a_day_and_a_year_of_history(
    world, login, monkeypatch, settings
):
    settings.ANWEN_INBOX_RAISE = True
    real = selectors.providers()
    monkeypatch.setattr(
        selectors, "providers", lambda: (*real, Provider("tests", "tests", photos_to_sort))
    )
    user = world.users["school"]
    client = login(user)
    client.get(reverse("inbox:index"))  # warm the per-process caches (calendar, periods)

    add_history(world, user, range(0, 1))
    one_day, items_one_day = page_queries(client)
    add_history(world, user, range(1, 365))
    one_year, items_one_year = page_queries(client)

    assert items_one_year > items_one_day >= PER_DAY  # more items are shown ...
    assert one_year == one_day  # ... for the same number of queries
