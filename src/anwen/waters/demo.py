"""The demo's dangerous waters (SM9.1): clustered along the Yangtze, where 朱沱镇 and 松溉镇 lie
(DEMO.md) — the river itself, its backwaters, ponds and sand-pit pools near every school
there — and elsewhere a few hillside ponds and reservoirs near some schools, a construction
pool here and there. Most have warning signs and barriers; a few lack one, and those have
their hazard, open, as the register's save would have raised it. Bulk rows, no audit (history
loaded at once is no one's act)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from anwen.hazards.bulk import raise_in_bulk
from anwen.hazards.models import Source
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import within_q

from .models import Kind, Missing, Water, WaterHazard
from .services import ORIGIN
from .services import lacking as lacking_things

YANGTZE_TOWNS = ("朱沱镇", "松溉镇")
# Of the other schools, how many have a water near them.
OTHER_SHARE = 0.3
MISSING_SHARE = 0.08  # a water lacking its sign, its barrier or both
METRES_PER_DEGREE = 111_000

RIVER_PARTS = ("长江{town}段", "长江{town}码头下游", "长江{town}回水湾")
NAMES: dict[str, tuple[str, ...]] = {
    Kind.POND: ("{village}山坪塘", "{village}堰塘", "{village}鱼塘"),
    Kind.RESERVOIR: ("{village}水库",),
    Kind.CONSTRUCTION: ("{village}工地积水坑", "{village}取砂坑"),
    Kind.RIVER: ("{village}溪河",),
}
VILLAGES = ("黄桷", "石龙", "高坡", "大湾", "新桥", "河坝", "松林", "青杠", "白鹤", "桂花")
RESPONSIBLE: dict[str, str] = {
    Kind.RIVER: "{town}人民政府（河长办）",
    Kind.RESERVOIR: "{town}水利管理站",
    Kind.POND: "{village}村民委员会",
    Kind.CONSTRUCTION: "{village}项目施工单位",
    Kind.OTHER: "{town}人民政府",
}


def _town(school: Org) -> str:
    name = school.parent.name if school.parent else ""
    return name.removesuffix("教育管理中心")


def _near(school: Org, rng: random.Random, distance: int, south: bool) -> tuple[Decimal, Decimal]:
    """A point `distance` metres from the school; the Yangtze runs south of its towns."""
    lon = float(school.school.longitude or 0)  # the caller keeps placed schools only
    lat = float(school.school.latitude or 0)
    step = distance / METRES_PER_DEGREE
    if south:
        d_lat, d_lon = -step * rng.uniform(0.7, 1.0), step * rng.uniform(-0.7, 0.7)
    else:
        d_lat, d_lon = step * rng.uniform(-1, 1), step * rng.uniform(-1, 1)
    return (
        Decimal(f"{lon + d_lon:.6f}"),
        Decimal(f"{lat + d_lat:.6f}"),
    )


def _planned(school: Org, rng: random.Random, today: date) -> list[Water]:
    town = _town(school)
    on_river = town in YANGTZE_TOWNS
    kinds: list[Kind] = []
    if on_river:
        kinds = [Kind.RIVER] + rng.sample(
            [Kind.POND, Kind.POND, Kind.CONSTRUCTION, Kind.RESERVOIR, Kind.OTHER],
            rng.randint(1, 3),
        )
    elif rng.random() < OTHER_SHARE:
        kinds = rng.sample(
            [Kind.POND, Kind.POND, Kind.RESERVOIR, Kind.CONSTRUCTION], rng.randint(1, 2)
        )
    waters, names = [], set()
    for n, kind in enumerate(kinds):
        village = rng.choice(VILLAGES)
        if kind == Kind.RIVER:
            name = rng.choice(RIVER_PARTS).format(town=town)
        elif kind == Kind.OTHER:
            name = f"{village}江边沙坑"
        else:
            name = rng.choice(NAMES[kind]).format(village=village)
        if name in names:
            name = f"{name}{n + 1}号"
        names.add(name)
        distance = rng.randint(300, 1500) if kind == Kind.RIVER else rng.randint(80, 1200)
        lon, lat = _near(school, rng, distance, south=kind == Kind.RIVER)
        lacking = rng.random() < MISSING_SHARE
        which = rng.choice(("sign", "barrier", "both")) if lacking else ""
        waters.append(
            Water(
                org=school,
                kind=kind,
                name=name,
                longitude=lon,
                latitude=lat,
                distance_m=distance,
                warning_signs=which not in ("sign", "both"),
                barriers=which not in ("barrier", "both"),
                responsible=RESPONSIBLE[kind].format(town=town, village=village),
                responsible_contact=f"023-4980{rng.randint(0, 9999):04d}",
                last_checked_on=today - timedelta(days=rng.randint(3, 80)),
            )
        )
    return waters


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school", "parent")
        .order_by("path")
    )
    planned: list[Water] = []
    for school in schools:
        profile = getattr(school, "school", None)
        if profile is None or profile.longitude is None or profile.latitude is None:
            continue
        planned.extend(_planned(school, rng, today))
    Water.objects.bulk_create(planned, batch_size=500)
    # Read again (bulk_create gives back no pks on every database): the waters lacking a sign
    # or a barrier, each missing thing the origin of one open hazard.
    lacking = Water.objects.filter(org__in=schools).filter(
        Q(warning_signs=False) | Q(barriers=False)
    )
    WaterHazard.objects.bulk_create(
        [
            WaterHazard(water=water, missing=what)
            for water in lacking
            for what in lacking_things(water)
        ]
    )
    origins = list(
        WaterHazard.objects.filter(water__org__in=schools, hazard__isnull=True)
        .select_related("water")
        .order_by("pk")
    )
    if not origins:
        return
    titles: dict[str, str] = {
        Missing.SIGN: "{water} 未设置防溺水警示标志",
        Missing.BARRIER: "{water} 未设置防护栏",
    }
    at = timezone.make_aware(datetime.combine(today, time(9, 30)))
    raised = raise_in_bulk(
        [
            {
                "org_id": o.water.org_id,
                "source": Source.SELF,
                "title": titles[o.missing].format(water=o.water.name),
                "category_text": "溺水",
                "place": o.water.name,
                "found_on": o.water.last_checked_on or today,
                "origin_type": ORIGIN,
                "origin_id": o.pk,
                "at": timezone.make_aware(
                    datetime.combine(o.water.last_checked_on or today, time(10, 0))
                ),
            }
            for o in origins
        ],
        at=at,
    )
    for o in origins:
        o.hazard_id = raised[o.pk]
    WaterHazard.objects.bulk_update(origins, ["hazard"])
