"""The demo's school buses in the engines (SM8.3, SM8.4): the schools with a bus crew on their
staff owe the crews' sessions and log most of them with attendance; every centre with such
schools held its monthly bus inspection with police and transport in most months, and its
failed items are hazards of the "school buses" campaign."""

import random

import pytest
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.hazards.models import Hazard
from anwen.inspections import demo
from anwen.inspections.models import Finding, Inspection
from anwen.obligations.attendance import Attendance
from anwen.obligations.buses import orgs_running_buses
from anwen.obligations.models import Period, Record, Target
from anwen.orgs.models import Org, OrgKind

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_bus_duties_where_buses_run():
    from anwen.obligations import demo as obligations_demo
    from anwen.obligations import services as obligations

    district = build_district(schools=30, seed=7)
    today = timezone.localdate()
    obligations_demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(1))
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    obligations.recount()
    obligations.ensure_periods(through=today)

    schools = Org.objects.filter(kind=OrgKind.SCHOOL).values_list("pk", flat=True)
    running = orgs_running_buses(schools)
    assert 0 < len(running) < len(schools)
    owing = set(
        Target.objects.filter(obligation__code="bus-driver-training", is_active=True).values_list(
            "org_id", flat=True
        )
    )
    assert owing == running

    # SM8.3: most past months and weeks are done, and each session has its attendance.
    past = Period.objects.filter(
        obligation__code__in=["bus-driver-training", "bus-safety-study"], end__lt=today
    )
    done = past.filter(done_at__isnull=False).count()
    assert past.exists() and done / past.count() > 0.7
    sessions = Record.objects.filter(
        kind__in=["routine.bus_driver_training", "routine.bus_safety_study"]
    )
    assert sessions.exists()
    assert Attendance.objects.count() == sessions.count()
    assert Attendance.objects.filter(absent__gt=0).exists()

    # SM8.4: the centres' monthly bus inspections, with findings that are bus hazards.
    bus = Inspection.objects.filter(purpose="bus_monthly")
    centres = set(Org.objects.filter(pk__in=running).values_list("parent_id", flat=True))
    assert bus.exists() and set(bus.values_list("lead_org_id", flat=True)) <= centres
    assert all(i.invited.filter(name__contains="公安").exists() for i in bus)
    findings = Finding.objects.filter(inspection__purpose="bus_monthly")
    assert findings.exists()
    hazards = Hazard.objects.filter(pk__in=findings.values("hazard_id"))
    assert hazards.count() == findings.count()
    assert set(hazards.values_list("theme", flat=True)) == {"school_bus"}
    months = Period.objects.filter(obligation__code="centre-bus-inspection", end__lt=today)
    assert months.exists()
    assert months.filter(done_at__isnull=False).count() / months.count() > 0.6
