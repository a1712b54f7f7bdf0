"""Years of hazards for a benchmark: `bench_hazards.py` and the load scenario (`load/run.sh`)
write them into a district that is already there, with bulk_create (history, not acts: no
audit, no events). The rows are spread over the schools, states, grades, categories, campaign
themes and kinds, with a realistic share overdue: a hazard past its deadline is nearly always
closed (a stubborn few stay open: overdue), one still within it is at any step of the way.

`main(count)` adds them to the database of the settings, as `load/run.sh` does.
"""

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import islice

from django.utils import timezone

from anwen.hazards.demo import KINDS, MEASURES, THEMES
from anwen.hazards.lifecycle import HAZARD
from anwen.hazards.models import Category, Grade, Hazard, HazardState, Source
from anwen.orgs.models import Org, OrgKind, Person
from anwen.workflow.models import Grant

YEARS = 3
BATCH = 2000

# Phrases as inspectors write them, per category; with the place they make the title.
PHRASES: dict[str, list[str]] = {
    Category.FIRE: ["灭火器过期未更换", "消防通道堆放杂物", "应急照明灯不亮", "疏散指示标志损坏"],
    Category.ELECTRICAL: ["插线板串接使用", "配电箱未上锁", "电线老化裸露", "违规使用大功率电器"],
    Category.BUILDING: ["墙面开裂", "栏杆松动", "屋顶渗漏", "楼梯扶手缺失"],
    Category.TRAFFIC: ["校门口无减速带", "校车安全锤缺失", "接送区无隔离护栏"],
    Category.WATER: ["水池无防护栏", "警示标志缺失", "排水沟盖板破损"],
    Category.FOOD: ["留样记录不全", "食材过期未清理", "从业人员健康证过期"],
    Category.EQUIPMENT: ["体育器材螺丝松动", "实验室药品未双人双锁", "监控摄像头离线"],
    Category.SURROUNDINGS: ["周边流动摊贩聚集", "施工围挡破损", "周边网吧违规接纳学生"],
    Category.OTHER: ["安全台账未及时更新", "值班记录缺失"],
}
CATEGORY_WEIGHTS = {
    Category.FIRE: 22,
    Category.ELECTRICAL: 18,
    Category.BUILDING: 14,
    Category.TRAFFIC: 8,
    Category.WATER: 6,
    Category.FOOD: 8,
    Category.EQUIPMENT: 14,
    Category.SURROUNDINGS: 6,
    Category.OTHER: 4,
}
PLACES = ["教学楼", "食堂", "宿舍", "操场", "实验室", "图书馆", "校门口", "配电房", "体育馆"]
SOURCES = [Source.SELF, Source.SELF, Source.CHECKLIST, Source.CENTRE, Source.BUREAU, Source.FIRE]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 17, tzinfo=timezone.get_current_timezone())


def hazards_of_the_district(
    *, total: int, rng: random.Random, today: date, unique_titles: bool = False
) -> Iterator[Hazard]:
    """`total` hazards over the active schools and the last YEARS years, made one at a time (a
    generator: seeding 100,000 does not hold 100,000 objects)."""
    schools = list(
        Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    staff: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in Person.objects.filter(org_id__in=schools, is_active=True).values_list(
        "pk", "org_id"
    ):
        staff[org_id].append(pk)
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    days = YEARS * 365
    for n in range(total):
        org_id = schools[n % len(schools)]
        found_on = today - timedelta(days=rng.randrange(days))
        category = rng.choices(categories, weights)[0]
        major = rng.random() < 0.02
        deadline = found_on + timedelta(days=rng.choice([7, 15, 30, 60]) * (3 if major else 1))
        # Past its deadline: nearly all closed, a stubborn few still open (overdue); still
        # within it: at every step of the way.
        if deadline < today:
            closed_share = 0.995 if (today - found_on).days > 90 else 0.93
            state = (
                HazardState.CLOSED
                if rng.random() < closed_share
                else rng.choice([HazardState.ASSIGNED, HazardState.RECTIFYING])
            )
        else:
            state = rng.choices(
                [
                    HazardState.REPORTED,
                    HazardState.ASSIGNED,
                    HazardState.RECTIFYING,
                    HazardState.SUBMITTED,
                    HazardState.CLOSED,
                ],
                [10, 15, 35, 15, 25],
            )[0]
        title = f"{rng.choice(PLACES)}{rng.choice(PHRASES[category])}"
        if unique_titles:
            title += f"（{n + 1}号）"
        people = staff.get(org_id) or [None]
        closed = state == HazardState.CLOSED
        yield Hazard(
            org_id=org_id,
            source=rng.choice(SOURCES),
            title=title,
            description=title,
            grade=Grade.MAJOR if major else Grade.GENERAL,
            category=category,
            theme=rng.choice(THEMES[category])
            if category in THEMES and rng.random() < 0.35
            else "",
            kind=rng.choice(KINDS[category]) if category in KINDS and rng.random() < 0.15 else "",
            place=rng.choice(PLACES),
            found_on=found_on,
            responsible_id=rng.choice(people) if state != HazardState.REPORTED else None,
            measures=rng.choice(MEASURES) if state != HazardState.REPORTED else "",
            fund_estimate=rng.choice([None, 0, 200, 1500, 8000]),
            deadline=deadline,
            state=state,
            closed_at=_at(min(deadline - timedelta(days=1), today)) if closed else None,
        )


def seed(count: int, *, rng: random.Random, today: date, agency: Org | None, **options) -> None:
    """Write `count` more hazards, BATCH at a time; the joint inspection's agency gets a grant
    on the ones it found (the grants table is not empty, as in the district)."""
    rows = hazards_of_the_district(total=count, rng=rng, today=today, **options)
    while batch := list(islice(rows, BATCH)):
        if agency is not None:
            for h in batch[::20]:
                h.source = Source.JOINT
        created = Hazard.objects.bulk_create(batch)
        if agency is not None:
            Grant.objects.bulk_create(
                [
                    Grant(record_type=HAZARD.code, record_id=h.pk, org=agency, reason="found")
                    for h in created
                    if h.source == Source.JOINT
                ]
            )


def main(count: int) -> None:
    """Into the database of DJANGO_SETTINGS_MODULE (the load scenario's demo): `count` more
    hazards up to today, the police agency granted the joint inspection's. Call it after
    django.setup()."""
    from django.db import transaction

    agency = Org.objects.filter(kind=OrgKind.AGENCY).order_by("pk").first()
    with transaction.atomic():
        seed(count, rng=random.Random(8), today=timezone.localdate(), agency=agency)
    print(f"{Hazard.objects.count()} hazards, {Grant.objects.count()} grants")
