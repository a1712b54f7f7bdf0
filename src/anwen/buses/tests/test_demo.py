"""The demo's buses: where the district runs them, with crews from the schools' staff, the
demo attendant able to check their school's bus, some papers due, a few trips stopped."""

import random
from datetime import date

import pytest

from anwen.buses.models import Attendant, Bus, Driver, Trip
from anwen.demo.district import build_district
from anwen.demo.history import ensure_semesters
from anwen.orgs.models import SchoolType

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]


def test_the_demo_runs_buses_at_rural_schools_with_crews_and_trips(client):
    from anwen.buses.demo import load_demo
    from anwen.demo.district import DEMO_PASSWORD

    district = build_district(schools=60)
    ensure_semesters(date(2026, 12, 1))
    load_demo(bureau=district.bureau, today=date(2026, 12, 1), rng=random.Random(1))
    assert Bus.objects.exists()
    kinds = set(Bus.objects.values_list("org__school__school_type", flat=True))
    assert kinds <= {SchoolType.PRIMARY, SchoolType.NINE_YEAR, SchoolType.KINDERGARTEN}
    assert Driver.objects.count() == Bus.objects.count()
    assert Trip.objects.filter(outcome=Trip.Outcome.STOPPED).exists()
    assert Trip.objects.filter(outcome=Trip.Outcome.DEPARTED).count() > 100
    attendant = Attendant.objects.get(user__username="attendant")
    client.post("/login/", {"username": "attendant", "password": DEMO_PASSWORD})
    page = client.get("/buses/check/")
    assert page.status_code == 200
    bus = Bus.objects.filter(org=attendant.org).first()
    assert bus.plate in page.content.decode()
