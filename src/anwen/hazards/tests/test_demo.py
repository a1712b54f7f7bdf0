"""The demo's hazards: a year of them — every finding of the invented months and the year's
own reports — most closed on time, some late (escalated), the recent late ones still open and
overdue, a few major ones with their plan, spread over the campaign themes."""

import random
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.hazards import demo
from anwen.hazards.models import Grade, Hazard, HazardState, Theme
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
    assert total > Finding.objects.count() > 50
    assert Hazard.objects.filter(found_on__lte=today - timedelta(days=330)).exists()
    assert Hazard.objects.filter(found_on__gte=today - timedelta(days=30)).exists()
    closed = Hazard.objects.filter(state=HazardState.CLOSED)
    assert closed.count() > total / 2
    assert closed.filter(closed_at__date__lte=F("deadline")).count() > closed.count() * 0.9
    overdue = Hazard.objects.exclude(state=HazardState.CLOSED).filter(deadline__lt=today)
    assert overdue.exists() and overdue.filter(escalation__gt=0).exists()
    assert Event.objects.filter(name="escalated").exists()
    majors = Hazard.objects.filter(grade=Grade.MAJOR)
    assert all(h.plan_complete for h in majors)
    assert set(Hazard.objects.exclude(theme="").values_list("theme", flat=True)) == set(Theme)
    # Late ones climbed the ladder and were closed at last, after their deadline.
    late = closed.filter(closed_at__date__gt=F("deadline") + timedelta(days=3), escalation__gt=0)
    assert late.exists()
    assert majors.filter(state=HazardState.CLOSED, bureau_rechecked_at__isnull=False).exists()
    assert {"self", "report", "centre", "bureau"} <= set(
        Hazard.objects.values_list("source", flat=True)
    )
    assert Hazard.objects.filter(source="joint").exists()
    # A closed hazard's chronology runs from its report to its verification.
    for sample in (closed.filter(origin_id__isnull=False).first(), closed.first()):
        names = list(
            Event.objects.filter(record_type="hazards.hazard", record_id=sample.pk).values_list(
                "name", flat=True
            )
        )
        assert names[0] == "created" and names[-1] == "verify"
    # No step of any hazard comes before its report.
    created = dict(
        Event.objects.filter(record_type="hazards.hazard", name="created").values_list(
            "record_id", "at"
        )
    )
    steps = Event.objects.filter(record_type="hazards.hazard").exclude(name="created")
    assert all(at >= created[pk] for pk, at in steps.values_list("record_id", "at"))
