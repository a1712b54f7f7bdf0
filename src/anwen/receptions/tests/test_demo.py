"""The demo district's reception schedule: three months held (one or two cancelled), the coming
month planned, each for one of the bureau's leaders."""

import random
from datetime import date

import pytest
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.receptions import demo
from anwen.receptions.models import Reception, ReceptionStatus
from anwen.receptions.selectors import leaders_of

pytestmark = pytest.mark.django_db


@pytest.mark.day(date(2026, 11, 15))
def test_the_demo_has_held_and_planned_receptions_of_its_leaders():
    district = build_district(schools=12, seed=5)
    today = timezone.localdate()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    receptions = Reception.objects.all()
    assert receptions.filter(status=ReceptionStatus.HELD, date__lt=today).count() > 5
    assert receptions.filter(status=ReceptionStatus.PLANNED, date__gte=today).exists()
    assert not receptions.filter(status=ReceptionStatus.PLANNED, date__lt=today).exists()
    assert set(receptions.values_list("leader", flat=True)) <= set(
        leaders_of(district.bureau).values_list("pk", flat=True)
    )
    assert all(r.outcome for r in receptions.filter(status=ReceptionStatus.HELD))
