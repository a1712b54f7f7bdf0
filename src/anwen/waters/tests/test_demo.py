"""The demo's waters cluster along the Yangtze towns, most guarded; the few lacking a sign or
a barrier have their open hazard, and the map shows them all."""

import random

import pytest
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.hazards.models import Category, Hazard, HazardState
from anwen.testing.world import log_in
from anwen.waters import demo
from anwen.waters.models import Water, WaterHazard
from anwen.waters.services import ORIGIN

pytestmark = pytest.mark.django_db


@pytest.mark.req("SM9.1")
def test_the_demo_waters_cluster_on_the_yangtze_and_the_unguarded_have_hazards(client):
    district = build_district(schools=80, seed=7)
    demo.load_demo(bureau=district.bureau, today=timezone.localdate(), rng=random.Random(3))
    waters = list(Water.objects.select_related("org__parent"))
    on_river = [w for w in waters if w.org.parent.name.startswith(demo.YANGTZE_TOWNS)]
    assert on_river and all(
        any(w.kind == "river" for w in on_river if w.org_id == school)
        for school in {w.org_id for w in on_river}
    )
    per_school_river = len(on_river) / len({w.org_id for w in on_river})
    others = [w for w in waters if w not in on_river]
    per_school_other = len(others) / max(1, len({w.org_id for w in others}))
    assert per_school_river > per_school_other
    guarded = [w for w in waters if w.warning_signs and w.barriers]
    assert len(guarded) > 0.8 * len(waters)
    lacking = sum((not w.warning_signs) + (not w.barriers) for w in waters)
    assert lacking > 0
    hazards = Hazard.objects.filter(origin_type=ORIGIN)
    assert hazards.count() == lacking == WaterHazard.objects.count()
    assert set(hazards.values_list("state", "category").distinct()) == {
        (HazardState.REPORTED, Category.WATER)
    }
    assert not WaterHazard.objects.filter(hazard__isnull=True).exists()
    log_in(client, district.accounts["bureau"])
    data = client.get("/maps/data.json").json()
    (overlay,) = [o for o in data["overlays"] if o["name"] == "waters"]
    assert len(overlay["points"]) == len(waters)
