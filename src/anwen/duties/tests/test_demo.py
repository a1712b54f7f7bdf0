"""The demo history of the duties app: consistent with the rules the services enforce."""

import random

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from anwen.duties.demo import load_demo
from anwen.duties.models import (
    Commitment,
    FiveInPlace,
    FiveInPlacePart,
    FiveStatus,
    PositionDuty,
    Rating,
    ResponsibilityLetter,
)
from anwen.obligations.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.1", "SM1.2", "SM7.7")]


def test_the_demo_history_follows_the_rules(world):
    today = timezone.localdate()
    load_demo(bureau=world.B1, today=today, rng=random.Random(7))

    assert PositionDuty.objects.filter(owner=world.B1).exists()
    letters = ResponsibilityLetter.objects.all()
    assert letters.exists()
    assert not letters.filter(org=world.S9).exists()  # another district's schools
    # The demo's own teacher and guard accounts are left to sign by hand.
    assert not letters.filter(
        person__user__in=[world.users["teacher"], world.users["guard"]]
    ).exists()
    assert all(x.year == today.year and x.signed_on <= today for x in letters)
    assert all(x.content["duties"] for x in letters)
    assert all(x.scan_id for x in letters.filter(method="paper"))
    # A part rated "in place" always has its evidence.
    bare = (
        FiveInPlacePart.objects.filter(rating=Rating.IN_PLACE)
        .annotate(n=Count("evidence"))
        .filter(n=0)
    )
    assert not bare.exists()
    submitted = FiveInPlace.objects.filter(status=FiveStatus.SUBMITTED)
    assert not submitted.filter(Q(submitted_at__isnull=True)).exists()
    assert Commitment.objects.filter(date__gt=today).count() == 0

    records = Record.objects.values("kind").annotate(n=Count("pk"))
    counts = {r["kind"]: r["n"] for r in records}
    assert counts.get("duties.letter", 0) == letters.count()
    assert counts.get("duties.five_in_place", 0) == submitted.count()
    assert counts.get("duties.commitment", 0) == Commitment.objects.filter(kind="public").count()
    assert (
        counts.get("duties.self_check", 0) == Commitment.objects.filter(kind="self_check").count()
    )
