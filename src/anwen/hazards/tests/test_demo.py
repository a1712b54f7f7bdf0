"""The demo's hazards: every finding of the invented months is a hazard, most closed on time,
some overdue and escalated, a few major ones with their plan, spread over the themes."""

import random

import pytest
from django.db.models import F
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.hazards import demo
from anwen.hazards.models import Grade, Hazard, HazardState
from anwen.inspections import demo as inspections_demo
from anwen.inspections.models import Finding
from anwen.workflow.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.req("OG2")
def test_the_demo_findings_are_hazards_with_a_realistic_life():
    from anwen.obligations import demo as obligations_demo

    district = build_district(schools=30, seed=7)
    today = timezone.localdate()
    obligations_demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(1))
    inspections_demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    assert not Finding.objects.filter(hazard_id__isnull=True).exists()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(3))

    total = Hazard.objects.count()
    assert total == Finding.objects.count() > 50
    closed = Hazard.objects.filter(state=HazardState.CLOSED)
    assert closed.count() > total / 2
    assert closed.filter(closed_at__date__lte=F("deadline")).count() > closed.count() * 0.9
    overdue = Hazard.objects.exclude(state=HazardState.CLOSED).filter(deadline__lt=today)
    assert overdue.exists() and overdue.filter(escalation__gt=0).exists()
    assert Event.objects.filter(name="escalated").exists()
    majors = Hazard.objects.filter(grade=Grade.MAJOR)
    assert all(h.plan_complete for h in majors)
    assert len(set(Hazard.objects.exclude(theme="").values_list("theme", flat=True))) >= 3
    assert Hazard.objects.filter(source="joint").exists()
    # A closed hazard's chronology runs from its report to its verification.
    sample = closed.first()
    names = list(Event.objects.filter(record_id=sample.pk).values_list("name", flat=True))
    assert names[0] == "created" and names[-1] == "verify"
