"""The demo's safety funding (OG1): every school's money for this year and last, by purpose,
sized by its enrolment and campus (guards and a boarding school's night staff cost more, a
rural school with buses has a bus line). Last year's is mostly spent; this year's is spent
in part as the year goes, a few schools well behind. Bulk rows, no audit."""

import random
from datetime import date
from decimal import Decimal

from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import within_q

from .models import Funding, Purpose

BUS_SHARE = 0.25  # rural schools that run buses (the bus register's own demo decides which)
BEHIND_SHARE = 0.15  # schools whose spending lags well behind the plan


def _yuan(value: float) -> Decimal:
    """To the hundred yuan, as budgets are written."""
    return Decimal(max(0, round(value / 100) * 100))


def _plan(school: Org, rng: random.Random, urban: bool) -> dict[str, float]:
    profile = school.school
    pupils = max(profile.enrolment, 50)
    plan = {
        Purpose.SECURITY_STAFF: 36_000 * max(profile.gates, 1) + pupils * 12,
        Purpose.TECHNICAL: 8_000 + pupils * 6,
        Purpose.FIRE: 5_000 + profile.area_m2 * 0.4,
        Purpose.EDUCATION: 2_000 + pupils * 3,
        Purpose.RENOVATION: rng.choice((0, 10_000, 20_000, 50_000)),
        Purpose.OTHER: rng.choice((0, 0, 2_000, 5_000)),
    }
    if profile.boarding:
        plan[Purpose.SECURITY_STAFF] += 24_000
    if not urban and rng.random() < BUS_SHARE:
        plan[Purpose.BUSES] = rng.choice((30_000, 60_000, 90_000))
    return {k: v * rng.uniform(0.85, 1.15) for k, v in plan.items() if v}


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    schools = (
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school", "parent")
        .order_by("path")
    )
    # How far through the year the money goes: by the month, a little ahead of it in autumn.
    progress = min(1.0, today.month / 12 + 0.05)
    rows = []
    for school in schools:
        if getattr(school, "school", None) is None:
            continue
        urban = (school.parent.name if school.parent else "").endswith("街道教育管理中心")
        plan = _plan(school, rng, urban)
        behind = rng.random() < BEHIND_SHARE
        for year, done in ((today.year - 1, 1.0), (today.year, progress)):
            for purpose, amount in plan.items():
                planned = _yuan(amount * (1 if year == today.year else rng.uniform(0.9, 1.0)))
                share = done * rng.uniform(0.85, 1.0)
                if behind and year == today.year:
                    share *= rng.uniform(0.3, 0.6)
                rows.append(
                    Funding(
                        org=school,
                        year=year,
                        purpose=purpose,
                        planned=planned,
                        spent=min(planned, _yuan(float(planned) * share)),
                        note="进度滞后，已督促" if behind and year == today.year else "",
                    )
                )
    Funding.objects.bulk_create(rows, batch_size=1000)
