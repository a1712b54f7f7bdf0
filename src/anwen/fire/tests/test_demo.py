"""The demo district's fire self-checks: most schools done, a few late, a few missing."""

import random
import time
from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.fire import demo, selectors
from anwen.fire.models import CheckStatus, FireSelfCheck
from anwen.obligations.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM7.1")]


# A Sunday of the autumn semester in the calendar shipped with anwen (the demo has no
# semesters, so no fire checks, in a year the bureau has not entered yet).
@pytest.mark.day(date(2026, 11, 15))
def test_the_demo_has_this_and_last_semesters_checks_with_some_late_and_missing():
    district = build_district(schools=60, seed=5)
    today = timezone.localdate()
    started = time.perf_counter()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    assert time.perf_counter() - started < 10
    semesters = selectors.semesters_until(today)[:2]
    bureau_user = district.accounts["bureau"]
    states = Counter()
    for semester in semesters:
        overview = selectors.overview(bureau_user, semester, today=today)
        assert len(overview.rows) == 60
        states.update(row.status for row in overview.rows)
    assert states[CheckStatus.ON_TIME] > states[CheckStatus.LATE] > 0
    assert states[CheckStatus.MISSING] > 0  # last semester's
    submitted = FireSelfCheck.objects.filter(inspection__status="submitted").count()
    assert Record.objects.filter(kind="fire.self_check").count() == submitted
    check = FireSelfCheck.objects.filter(inspection__findings__isnull=False).first()
    assert check.inspection.answers.count() == check.inspection.version.items.count()


@pytest.mark.req("SM7.2", "SM7.3")
@pytest.mark.day(date(2026, 12, 1))
def test_the_demo_has_equipment_due_and_expired_and_high_risk_schools_assessed_or_missing():
    from anwen.fire.equipment import high_risk_schools, risk_rows
    from anwen.fire.models import FireEquipment, FireRiskAssessment
    from anwen.registers import expiry

    district = build_district(schools=60, seed=5)
    today = timezone.localdate()
    started = time.perf_counter()
    demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    assert time.perf_counter() - started < 10
    kinds = set(FireEquipment.objects.values_list("kind", flat=True))
    assert {"extinguisher", "hydrant", "alarm", "lighting"} <= kinds
    assert FireEquipment.objects.values("org").distinct().count() == 60
    assert len(set(FireEquipment.objects.values_list("maintained_by", flat=True))) >= 3
    assert not FireEquipment.objects.filter(firm_qualification="").exists()
    tallies = {
        (s["dated"].field, state): s[state]
        for s in expiry.summary([district.bureau.path], today=today)
        for state in ("expired", "soon")
    }
    assert tallies[("service_due", "expired")] > 0 and tallies[("service_due", "soon")] > 0
    assert tallies[("expires_on", "expired")] > 0
    paths = [district.bureau.path]
    assert high_risk_schools(paths, today=today)
    rows = risk_rows(paths, today=today)
    missing = [r for r in rows if r.assessment is None]
    assert 0 < len(missing) < len(rows) / 2
    assert FireRiskAssessment.objects.filter(year=today.year - 1).count() == len(rows)
