"""The demo's year of petitions, written through the engine as of the moments they happened."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from anwen.cases import demo
from anwen.cases.models import Case
from anwen.demo.district import build_district
from anwen.workflow.models import Event, Timer

pytestmark = pytest.mark.django_db


@pytest.mark.req("PS1.2")
def test_the_demo_has_a_year_of_petitions_with_realistic_lives():
    district = build_district(schools=12, seed=7)
    today = timezone.localdate()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(3))

    cases = Case.objects.filter(type="petition")
    assert cases.count() > 70
    first = cases.order_by("received_at").first()
    assert first.received_at.date() <= today - timedelta(days=350)
    archived = cases.filter(state="archived")
    assert archived.count() > cases.count() / 2
    # Most handling clocks stopped in time; some ran out and were urged; some extended,
    # some held for a hearing, some reviewed; the same writer came back.
    handle = Timer.objects.filter(record_type="cases.petition", name="handle")
    stopped = handle.filter(stopped_at__isnull=False)
    assert stopped.filter(on_time=True).count() > stopped.count() * 0.8
    late = handle.filter(stopped_at__isnull=True, paused_at__isnull=True, due_at__lt=timezone.now())
    assert late.exists()
    assert Event.objects.filter(record_type="cases.petition", name="urge").exists()
    assert handle.filter(extended_days__gt=0).exists()
    assert Event.objects.filter(record_type="cases.petition", name="request_review").exists()
    assert cases.filter(repeat_of__isnull=False).exists()
    # Each step is dated when it happened, in order, never after now.
    sample = archived.order_by("received_at").first()
    moments = list(
        Event.objects.filter(record_type="cases.petition", record_id=sample.pk)
        .order_by("pk")
        .values_list("at", flat=True)
    )
    assert moments == sorted(moments) and moments[0] == sample.received_at
    assert moments[-1] < timezone.now()
