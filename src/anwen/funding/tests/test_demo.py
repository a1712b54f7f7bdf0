"""The demo's funding: every school has this year's and last year's, by purpose; some spend
behind their plan; the summary adds them up."""

import random
from datetime import date
from decimal import Decimal

import pytest

from anwen.demo.district import build_district
from anwen.funding import demo
from anwen.funding.models import Funding
from anwen.orgs.models import Org
from anwen.testing.world import log_in

pytestmark = pytest.mark.django_db


@pytest.mark.req("OG1")
@pytest.mark.day(date(2026, 12, 1))
def test_every_demo_school_has_funding_for_this_year_and_last(client):
    district = build_district(schools=30, seed=7)
    demo.load_demo(bureau=district.bureau, today=date(2026, 12, 1), rng=random.Random(3))
    schools = set(Org.objects.filter(kind="school").values_list("pk", flat=True))
    for year in (2025, 2026):
        assert set(Funding.objects.filter(year=year).values_list("org_id", flat=True)) == schools
    lines = list(Funding.objects.all())
    assert all(0 <= f.spent <= f.planned for f in lines)
    behind = {f.org_id for f in lines if f.year == 2026 and f.spent < f.planned * Decimal("0.6")}
    assert 0 < len(behind) < len(schools)
    log_in(client, district.accounts["bureau"])
    s = client.get("/funding/summary/").context["s"]
    assert s.schools == len(schools)
    assert s.total.planned == sum(f.planned for f in lines if f.year == 2026)
