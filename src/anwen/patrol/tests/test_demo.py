"""The demo district's three months of night patrols: realistic, not all perfect, and fast."""

import random
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.obligations.models import Record
from anwen.patrol import demo
from anwen.patrol.models import Checkpoint, PatrolSchedule, Round, RoundStatus, Scan
from anwen.patrol.selectors import night_view

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM3.4")]


def test_the_demo_has_three_months_of_rounds_with_a_few_bad_nights():
    district = build_district(schools=40, seed=5)
    today = timezone.localdate()
    started = time.perf_counter()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(1))
    assert time.perf_counter() - started < 10
    schedules = PatrolSchedule.objects.count()
    assert schedules == 40
    per_school = Counter(Checkpoint.objects.values_list("org_id", flat=True))
    assert min(per_school.values()) >= 3 and max(per_school.values()) <= 8
    statuses = Counter(Round.objects.values_list("status", flat=True))
    assert Round.objects.count() >= schedules * 89
    assert statuses[RoundStatus.COMPLETE] > 0.85 * sum(statuses.values())
    for flagged in (RoundStatus.LATE, RoundStatus.PARTIAL, RoundStatus.MISSED):
        assert statuses[flagged] > 0, flagged
    assert Record.objects.filter(kind="patrol.round").count() == (
        statuses[RoundStatus.COMPLETE] + statuses[RoundStatus.LATE]
    )
    assert Scan.objects.filter(night__gte=today - timedelta(days=91)).exists()
    # Only the last few nights' flagged rounds still wait on someone.
    waiting = Round.objects.filter(
        status__in=["late", "partial", "missed"], acknowledged_at__isnull=True
    )
    assert not waiting.filter(night__lt=today - timedelta(days=4)).exists()
    # What a round says agrees with the scans behind it.
    for status in (RoundStatus.PARTIAL, RoundStatus.LATE, RoundStatus.COMPLETE):
        patrol_round = Round.objects.filter(status=status).select_related("schedule").first()
        view = night_view(patrol_round.schedule, patrol_round.night)
        assert view.scanned == patrol_round.scanned_count
        assert [
            p.checkpoint.name for p in view.points if p.first_scan is None
        ] == patrol_round.missing_names
        assert sum(p.late for p in view.points) == patrol_round.late_count


def test_the_same_seed_gives_the_same_history():
    district = build_district(schools=8, seed=5)
    today = timezone.localdate()

    def load():
        demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(3))
        history = (
            list(
                Round.objects.order_by("org__code", "night").values_list(
                    "org__code", "night", "status"
                )
            ),
            list(
                Scan.objects.order_by("scanned_at", "org__code").values_list(
                    "org__code", "checkpoint__name", "scanned_at"
                )
            ),
        )
        Record.objects.filter(kind="patrol.round").delete()
        for model in (Round, Scan, PatrolSchedule, Checkpoint):
            model.objects.all().delete()
        return history

    first = load()
    assert first[0] and first[1]
    assert load() == first
