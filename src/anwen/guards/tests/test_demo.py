"""The demo district's guards: by the norm, a few schools short, some certificates lapsed or
lapsing, most guards trained this autumn."""

import random
from datetime import date

import pytest
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.guards import demo, selectors
from anwen.guards.models import Guard
from anwen.guards.trainings import KIND
from anwen.obligations.models import Record
from anwen.registers import expiry

pytestmark = pytest.mark.django_db


@pytest.mark.day(date(2026, 12, 1))
def test_the_demo_has_guards_by_the_norm_a_few_schools_short_and_most_trained():
    district = build_district(schools=200, with_accounts=False)
    today = timezone.localdate()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(3))
    paths = [district.bureau.path]
    result = selectors.shortfall(paths, today=today)
    assert result.total is not None and result.total.schools == 200
    assert 3 <= len(result.short) <= 40, len(result.short)
    guards = Guard.objects.filter(active=True)
    total = guards.count()
    assert total >= result.total.required - 40
    expired = guards.filter(certificate_expires_on__lt=today).count()
    assert 0 < expired < total * 0.1
    due = expiry.summary(paths, today=today)
    assert any(s["register"].key == "guards" and s["soon"] > 0 for s in due)
    trained = guards.filter(trained_on__gte=date(2026, 9, 1)).count()
    assert trained > total * 0.75
    # Each school's training days are the records of its autumn training obligation.
    records = Record.objects.filter(kind=KIND, occurred_on__gte=date(2026, 9, 1))
    assert 150 < records.values("org_id").distinct().count() <= 200
    assert records.count() < 2 * 200
