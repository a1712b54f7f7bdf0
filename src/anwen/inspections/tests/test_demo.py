"""The demo district's inspection history: three months of daily checks with some schools
behind, weekly and monthly checks, the four levels, findings and fulfilled obligations."""

import random
import time
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from anwen import calendar
from anwen.demo.district import build_district
from anwen.inspections import demo
from anwen.inspections.models import (
    Accountability,
    Answer,
    Finding,
    GridArea,
    Inspection,
)
from anwen.obligations.models import Period, Record

pytestmark = pytest.mark.django_db


@pytest.mark.req("SM2.1", "SM2.2", "OG2")
def test_the_demo_has_three_months_of_checks_at_every_level_with_gaps():
    from anwen.obligations import demo as obligations_demo
    from anwen.obligations import services as obligations

    district = build_district(schools=30, seed=7)
    today = timezone.localdate()
    obligations_demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(1))
    started = time.perf_counter()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    elapsed = time.perf_counter() - started
    obligations.recount()
    obligations.ensure_periods(through=today)

    per_school = dict(GridArea.objects.values_list("org_id").annotate(n=Count("pk")))
    assert len(per_school) == 30 and all(4 <= n <= 10 for n in per_school.values())
    assert not GridArea.objects.filter(owner__org_id__isnull=True).exists()
    assert all(a.owner.org_id == a.org_id for a in GridArea.objects.select_related("owner"))

    daily = Inspection.objects.filter(purpose="area_daily")
    first = daily.order_by("inspected_on").first().inspected_on
    # Three months back, from the window's first working day (a holiday may open it).
    window = (today - timedelta(days=demo.HISTORY_DAYS) + timedelta(days=n) for n in range(30))
    assert first == next(d for d in window if calendar.is_working_day(d))
    assert set(daily.values_list("inspected_on", flat=True).distinct()) <= {
        d for d in (first + timedelta(days=n) for n in range((today - first).days + 1))
    }
    assert Inspection.objects.filter(purpose="office_weekly").count() > 30 * 8
    assert Inspection.objects.filter(purpose="leadership_monthly").exists()
    levels = set(Inspection.objects.values_list("level", flat=True))
    assert levels == {"self", "centre", "bureau", "joint"}
    joint = Inspection.objects.filter(level="joint", purpose="joint")  # not the bus checks
    assert joint.count() == 2
    assert all(i.invited.filter(name__contains="公安").exists() for i in joint)
    assert joint.filter(status="draft").count() == 1  # one still open for the police
    assert Answer.objects.count() > daily.count() * 4
    assert Finding.objects.filter(level="self").exists()
    assert Finding.objects.filter(level="centre").exists()
    assert Accountability.objects.exists()

    # The daily obligation is mostly met, not always: some schools skip days.
    records = Record.objects.filter(kind="inspections.area_daily").count()
    assert records == daily.filter(status="submitted").count()
    owed = Period.objects.filter(obligation__record_kind="inspections.area_daily", end__lt=today)
    done = owed.filter(done_at__isnull=False).count()
    assert owed.exists() and 0.7 < done / owed.count() < 0.995
    assert owed.filter(on_time=False).exists()
    assert elapsed < 15, elapsed
