"""A realistic, invented district for the demo and for benchmarks.

The facts follow the district of the seed (永川区, Chongqing): its 23 towns and streets, a school
mix where kindergartens are the largest group, vocational schools run by the bureau, one
special-education school. The schools, people and phone numbers are invented.

Two steps: `plan_district` draws everything from one `random.Random(seed)` without touching the
database (so the same seed gives the same district, and tests can compare plans cheaply), and
`load_district` writes the plan with bulk inserts: the per-row services audit every row, which
is far too slow for ten thousand staff, so the load writes one audit event for the whole batch.
"""

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from anwen import audit
from anwen.guards.rules import STAFFING as GUARD_STAFFING
from anwen.guards.rules import required_guards
from anwen.orgs.models import (
    Gender,
    Org,
    OrgKind,
    Ownership,
    Person,
    Position,
    RoleAssignment,
    SchoolProfile,
    SchoolType,
)
from anwen.orgs.roles import RoleName
from anwen.orgs.services import assign_path

# The administrative division code of 永川区; org codes are this plus a class digit and a
# sequence number ("50011810001" is the first school).
DISTRICT_CODE = "500118"
DEMO_PASSWORD = "anwen-demo"  # noqa: S105 - printed on screen by `anwen demo`, demo data only
DEMO_CENTRE_TOWN = "青峰镇"

# Bounding box of the district (DEMO.md); every coordinate stays inside it.
LON_RANGE = (105.6, 106.1)
LAT_RANGE = (28.9, 29.6)

# (name, is urban street, longitude, latitude, weight for extra schools). The streets form the
# urban core around 105.93 E 29.36 N and get more schools; 朱沱镇 and 松溉镇 lie on the Yangtze
# in the south.
TOWNS: list[tuple[str, bool, float, float, float]] = [
    ("中山路街道", True, 105.927, 29.357, 4.0),
    ("胜利路街道", True, 105.905, 29.349, 4.0),
    ("南大街街道", True, 105.933, 29.338, 3.0),
    ("茶山竹海街道", True, 105.975, 29.405, 2.0),
    ("大安街道", True, 106.010, 29.370, 2.0),
    ("陈食街道", True, 105.870, 29.440, 1.5),
    ("卫星湖街道", True, 105.880, 29.310, 2.0),
    ("青峰镇", False, 105.760, 29.480, 1.0),
    ("金龙镇", False, 105.900, 29.260, 1.0),
    ("临江镇", False, 105.720, 29.330, 1.0),
    ("何埂镇", False, 105.990, 29.210, 1.0),
    ("松溉镇", False, 105.880, 29.060, 1.0),
    ("仙龙镇", False, 105.820, 29.200, 1.0),
    ("吉安镇", False, 105.830, 29.120, 1.0),
    ("五间镇", False, 105.940, 29.130, 1.0),
    ("来苏镇", False, 106.040, 29.280, 1.0),
    ("宝峰镇", False, 105.850, 29.530, 1.0),
    ("双石镇", False, 105.990, 29.290, 1.0),
    ("红炉镇", False, 105.950, 29.540, 1.0),
    ("永荣镇", False, 106.030, 29.450, 1.0),
    ("三教镇", False, 105.790, 29.560, 1.0),
    ("板桥镇", False, 106.060, 29.360, 1.0),
    ("朱沱镇", False, 105.840, 28.990, 1.0),
]

# (name, short name); 安稳办 is the bureau's safety office, the main user of anwen.
DEPARTMENTS = [
    ("办公室", ""),
    ("安全稳定办公室", "安稳办"),
    ("基础教育科", ""),
    ("学前教育科", ""),
    ("职业教育与成人教育科", "职成科"),
    ("人事科", ""),
    ("计划财务科", "计财科"),
    ("信访办公室", "信访办"),
    ("体卫艺科", ""),
    ("督导室", ""),
]
OFFICE, SAFETY_OFFICE = "办公室", "安全稳定办公室"

# Outside the education system; children of the bureau so that the bureau sees them and
# schools do not.
AGENCIES = [
    "公安局",
    "消防救援支队",
    "应急管理局",
    "交通局",
    "气象局",
    "市场监督管理局",
    "城市管理局",
]
POLICE = "公安局"

# Share of each type among the schools run by the centres (vocational and special schools are
# counted apart); kindergartens are the largest group.
TYPE_SHARES: list[tuple[str, float]] = [
    (SchoolType.PRIMARY, 0.33),
    (SchoolType.KINDERGARTEN, 0.42),
    (SchoolType.MIDDLE, 0.10),
    (SchoolType.NINE_YEAR, 0.07),
    (SchoolType.HIGH, 0.04),
    (SchoolType.COMPLETE, 0.04),
]

SURNAMES = (
    "陈刘李王张杨黄周罗谭何唐邓曾彭吴蒋胡徐赵廖冉向谢邹余付袁冯郭杜熊钟孙马朱高林郑梁宋韩"
    "曹肖田董潘程魏任姚江秦汪雷龙夏蔡"
)
GIVEN_MALE = "伟强磊军勇杰涛斌明超刚平辉鹏华飞波浩宇俊峰建林文国庆东亮成志凯毅"
GIVEN_FEMALE = "芳娟敏静丽艳玲霞燕红梅琳婷雪颖慧莉萍倩洁琴兰英佳蓉晶欣悦瑶丹露"

VILLAGES = (
    "石龙 双河 高峰 黄桷 新华 团结 红星 金盆 大石 桥湾 柏林 松林 凉水 三合 五里 白云 太平 "
    "长春 民主 光明 和平 青杠 水口 龙井 马鞍 茶园 竹林 观音 宝石 花园 永胜 新民 先锋 天池 "
    "石梯 玉屏 大坡 双桥 黄金 兴隆"
).split()
KINDERGARTEN_NAMES = (
    "阳光 博雅 童心 小天使 金色摇篮 蓝天 育才 启航 七色花 贝贝 新星 爱弥儿 小太阳 快乐童年 "
    "彩虹 春苗 雏鹰 智慧树 向日葵 童乐 欣欣 明珠"
).split()
ROADS = (
    "人民路 兴龙大道 昌州大道 红河大道 凤凰路 学府路 正街 新街 和平路 育才路 建设路 文化路 "
    "光明路 滨河路 健康路 玉屏路 萱花路 汇龙大道"
).split()
VOCATIONAL_PLACES = "萱花 兴龙湖 凤凰湖 神女湖 渝西 昌州 黄瓜山 桂山 卫星湖 大安".split()
NUMERALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    return NUMERALS[n - 1] if n <= len(NUMERALS) else str(n)


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class PlannedPerson:
    name: str
    gender: str
    phone: str
    staff_no: str
    positions: tuple[str, ...]


@dataclass
class PlannedSchool:
    school_type: str
    ownership: str
    enrolment: int
    boarding: bool
    boarders: int
    gates: int
    area_m2: int
    address: str
    longitude: Decimal
    latitude: Decimal


@dataclass
class PlannedOrg:
    code: str
    kind: str
    name: str
    short_name: str = ""
    parent_code: str | None = None
    sort_order: int = 0
    school: PlannedSchool | None = None
    people: list[PlannedPerson] = field(default_factory=list)


@dataclass
class DistrictPlan:
    name: str
    seed: int
    orgs: list[PlannedOrg]  # parents before children
    # Codes of the orgs the demo accounts belong to.
    bureau_code: str
    office_code: str
    safety_office_code: str
    demo_centre_code: str
    demo_school_code: str
    police_code: str

    def by_kind(self, kind: str) -> list[PlannedOrg]:
        return [o for o in self.orgs if o.kind == kind]


class _Drawer:
    """The random draws of one plan, in one fixed order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.phone_seq = 0
        self.used_names: set[str] = set()

    def person(self, org: PlannedOrg, positions: tuple[str, ...], female_share: float) -> None:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        chars = GIVEN_FEMALE if gender == Gender.FEMALE else GIVEN_MALE
        given = "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.3 else 2))
        self.phone_seq += 1
        digits = f"{self.phone_seq:08d}"
        # 170-0xxx-xxxx: a virtual-operator range that reads as a placeholder.
        phone = f"170-{digits[:4]}-{digits[4:]}"
        org.people.append(
            PlannedPerson(
                name=rng.choice(SURNAMES) + given,
                gender=gender,
                phone=phone,
                staff_no=f"{len(org.people) + 1:04d}",
                positions=positions,
            )
        )

    def people(
        self, org: PlannedOrg, n: int, positions: tuple[str, ...], female_share: float
    ) -> None:
        for _ in range(n):
            self.person(org, positions, female_share)

    def unique(self, *candidates: str) -> str:
        for name in candidates:
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        base, n = candidates[-1], 2
        while f"{base}（{_ordinal(n)}）" in self.used_names:
            n += 1
        self.used_names.add(f"{base}（{_ordinal(n)}）")
        return f"{base}（{_ordinal(n)}）"

    def coordinates(self, lon: float, lat: float, urban: bool) -> tuple[Decimal, Decimal]:
        spread = 0.010 if urban else 0.022
        x = self.rng.gauss(lon, spread)
        y = self.rng.gauss(lat, spread)
        x = min(max(x, LON_RANGE[0] + 0.005), LON_RANGE[1] - 0.005)
        y = min(max(y, LAT_RANGE[0] + 0.005), LAT_RANGE[1] - 0.005)
        return Decimal(f"{x:.6f}"), Decimal(f"{y:.6f}")


def _type_counts(schools: int) -> dict[str, int]:
    """Schools per type: a few vocational schools, one special school, the rest by share
    (largest remainder)."""
    counts = {t: 0 for t in SchoolType.values}
    counts[SchoolType.SPECIAL] = 1 if schools >= 2 else 0
    counts[SchoolType.VOCATIONAL] = min(max(1, round(schools * 0.03)), max(0, schools - 2))
    rest = schools - counts[SchoolType.SPECIAL] - counts[SchoolType.VOCATIONAL]
    exact = [(t, rest * share) for t, share in TYPE_SHARES]
    for t, x in exact:
        counts[t] = math.floor(x)
    leftover = rest - sum(counts[t] for t, _ in TYPE_SHARES)
    by_remainder = sorted(exact, key=lambda item: item[1] - math.floor(item[1]), reverse=True)
    for t, _x in by_remainder[:leftover]:
        counts[t] += 1
    return counts


def plan_district(*, schools: int = 200, seed: int = 2021, name: str = "永川区") -> DistrictPlan:
    if schools < 1:
        raise ValueError("A district needs at least one school.")
    d = _Drawer(seed)
    rng = d.rng
    city = name[:-1] if name.endswith(("区", "县")) else name  # 永川区 → 永川
    orgs: list[PlannedOrg] = []

    bureau = PlannedOrg(
        code=f"{DISTRICT_CODE}00000",
        kind=OrgKind.BUREAU,
        name=f"重庆市{name}教育委员会",
        short_name=f"{name}教委",
    )
    orgs.append(bureau)
    d.people(bureau, 5, ("bureau_leader",), 0.3)

    dept_codes = {}
    for i, (dept_name, short) in enumerate(DEPARTMENTS, start=1):
        dept = PlannedOrg(
            code=f"{DISTRICT_CODE}0{i:04d}",
            kind=OrgKind.DEPARTMENT,
            name=dept_name,
            short_name=short,
            parent_code=bureau.code,
            sort_order=i,
        )
        orgs.append(dept)
        dept_codes[dept_name] = dept.code
        if dept_name == SAFETY_OFFICE:
            d.person(dept, ("department_head", "bureau_safety_officer"), 0.3)
            d.people(dept, 4, ("bureau_safety_officer",), 0.4)
        else:
            d.person(dept, ("department_head",), 0.4)
            d.people(dept, rng.randint(2, 4), ("department_staff",), 0.6)

    centres: dict[str, PlannedOrg] = {}
    for i, (town, _urban, _lon, _lat, _w) in enumerate(TOWNS, start=1):
        centre = PlannedOrg(
            code=f"{DISTRICT_CODE}2{i:04d}",
            kind=OrgKind.CENTRE,
            name=f"{town}教育管理中心",
            short_name=f"{town}教管中心",
            parent_code=bureau.code,
            sort_order=i,
        )
        orgs.append(centre)
        centres[town] = centre
        d.person(centre, ("centre_director",), 0.3)
        d.person(centre, ("centre_safety_officer",), 0.3)

    police_code = ""
    for i, agency_name in enumerate(AGENCIES, start=1):
        agency = PlannedOrg(
            code=f"{DISTRICT_CODE}3{i:04d}",
            kind=OrgKind.AGENCY,
            name=f"{name}{agency_name}",
            parent_code=bureau.code,
            sort_order=i,
        )
        orgs.append(agency)
        d.people(agency, rng.randint(2, 3), (), 0.3)
        if agency_name == POLICE:
            police_code = agency.code

    # Which town each school stands in. The first schools of a type go round the towns (every
    # town has its central primary school and kindergarten), the demo town first so that its
    # centre always has a school; the rest go mostly to the denser urban streets.
    counts = _type_counts(schools)
    towns = {t[0]: t for t in TOWNS}
    weights = [t[4] for t in TOWNS]
    placed: list[tuple[str, str, int]] = []  # (school type, town, index of the type in town)
    per_town: dict[tuple[str, str], int] = {}
    for school_type, _share in TYPE_SHARES:
        order = [t[0] for t in TOWNS]
        rng.shuffle(order)
        if school_type == SchoolType.PRIMARY:
            order.remove(DEMO_CENTRE_TOWN)
            order.insert(0, DEMO_CENTRE_TOWN)
        for k in range(counts[school_type]):
            if k < len(order):
                town = order[k]
            else:
                town = rng.choices([t[0] for t in TOWNS], weights=weights)[0]
            index = per_town.get((school_type, town), 0)
            per_town[(school_type, town)] = index + 1
            placed.append((school_type, town, index))
    for k in range(counts[SchoolType.VOCATIONAL]):
        town = rng.choice([t[0] for t in TOWNS if t[1]])
        placed.append((SchoolType.VOCATIONAL, town, k))
    for k in range(counts[SchoolType.SPECIAL]):
        placed.append((SchoolType.SPECIAL, "中山路街道", k))

    school_orgs: list[PlannedOrg] = []
    for seq, (school_type, town, index) in enumerate(placed, start=1):
        _town, urban, lon, lat, _w = towns[town]
        org = _plan_school(
            d,
            name=name,
            city=city,
            school_type=school_type,
            town=town,
            urban=urban,
            index=index,
            lon=lon,
            lat=lat,
        )
        org.code = f"{DISTRICT_CODE}1{seq:04d}"
        # Vocational and special-education schools are run by the bureau itself.
        directly_run = school_type in (SchoolType.VOCATIONAL, SchoolType.SPECIAL)
        org.parent_code = bureau.code if directly_run else centres[town].code
        org.sort_order = seq
        school_orgs.append(org)
        _staff_school(d, org)
    orgs.extend(school_orgs)

    demo_centre = centres[DEMO_CENTRE_TOWN]
    in_centre = [s for s in school_orgs if s.parent_code == demo_centre.code]
    demo_school = (in_centre or school_orgs)[0]
    return DistrictPlan(
        name=name,
        seed=seed,
        orgs=orgs,
        bureau_code=bureau.code,
        office_code=dept_codes[OFFICE],
        safety_office_code=dept_codes[SAFETY_OFFICE],
        demo_centre_code=demo_centre.code,
        demo_school_code=demo_school.code,
        police_code=police_code,
    )


def _plan_school(
    d: _Drawer,
    *,
    name: str,
    city: str,
    school_type: str,
    town: str,
    urban: bool,
    index: int,
    lon: float,
    lat: float,
) -> PlannedOrg:
    rng = d.rng
    short = town.removesuffix("街道").removesuffix("镇")
    place = f"{name}{short}" if urban else f"{name}{town}"  # 永川区中山路 / 永川区青峰镇
    village = rng.choice(VILLAGES)
    ownership = Ownership.PUBLIC
    boarding_chance = 0.0
    teaching_point = False

    if school_type == SchoolType.KINDERGARTEN:
        if index == 0:
            school_name = d.unique(f"{place}中心幼儿园")
            enrolment = rng.randint(180, 400)
        elif rng.random() < 0.7:
            ownership = Ownership.PRIVATE
            picks = rng.sample(KINDERGARTEN_NAMES, 4)
            school_name = d.unique(*(f"{place}{p}幼儿园" for p in picks))
            enrolment = rng.randint(60, 300)
        else:
            school_name = d.unique(f"{place}第{_ordinal(index + 1)}幼儿园")
            enrolment = rng.randint(120, 360)
    elif school_type == SchoolType.PRIMARY:
        if index == 0:
            school_name = d.unique(f"{place}中心小学" if not urban else f"{place}小学")
            enrolment = rng.randint(1200, 2500) if urban else rng.randint(500, 1600)
            boarding_chance = 0.0 if urban else 0.15
        elif urban:
            school_name = d.unique(f"{place}第{_ordinal(index + 1)}小学")
            enrolment = rng.randint(900, 2400)
        elif rng.random() < 0.3:
            teaching_point = True  # 村小教学点: a few dozen children
            school_name = d.unique(f"{place}{village}村教学点")
            enrolment = rng.randint(50, 150)
        else:
            school_name = d.unique(f"{place}{village}小学")
            enrolment = rng.randint(200, 900)
    elif school_type == SchoolType.MIDDLE:
        ordinal = "" if index == 0 else f"第{_ordinal(index + 1)}"
        school_name = d.unique(f"{place}{ordinal}中学")
        enrolment = rng.randint(1200, 4000) if urban else rng.randint(400, 1800)
        boarding_chance = 0.15 if urban else 0.5
    elif school_type == SchoolType.NINE_YEAR:
        school_name = d.unique(f"{place}{village}学校", f"{place}实验学校")
        enrolment = rng.randint(800, 2400) if urban else rng.randint(400, 1600)
        boarding_chance = 0.1 if urban else 0.6
    elif school_type == SchoolType.HIGH:
        ordinal = "" if index == 0 else f"第{_ordinal(index + 1)}"
        school_name = d.unique(f"{name}{short}{ordinal}高级中学")
        enrolment = rng.randint(1500, 4000)
        boarding_chance = 0.85
    elif school_type == SchoolType.COMPLETE:
        ordinal = "" if index == 0 else f"第{_ordinal(index + 1)}"
        school_name = d.unique(f"重庆市{name}{short}{ordinal}中学校")
        enrolment = rng.randint(1200, 3500)
        boarding_chance = 0.7
    elif school_type == SchoolType.VOCATIONAL:
        picks = rng.sample(VOCATIONAL_PLACES, 3)
        school_name = d.unique(
            f"重庆市{city}职业教育中心", *(f"重庆市{name}{p}职业技术学校" for p in picks)
        )
        enrolment = rng.randint(1000, 6000)
        boarding_chance = 1.0
    else:  # special education
        school_name = d.unique(f"重庆市{name}特殊教育学校")
        enrolment = rng.randint(120, 300)
        boarding_chance = 1.0

    boarding = rng.random() < boarding_chance
    boarders = 0
    if boarding:
        share = (
            rng.uniform(0.6, 0.9) if school_type == SchoolType.VOCATIONAL else rng.uniform(0.2, 0.8)
        )
        boarders = max(1, int(enrolment * share))
    if enrolment < 300:
        gates = 1
    elif enrolment < 1000:
        gates = rng.randint(1, 2)
    elif enrolment < 2500:
        gates = rng.randint(2, 3)
    else:
        gates = rng.randint(3, 4)
    per_student_of: dict[str, tuple[int, int]] = {
        SchoolType.KINDERGARTEN: (12, 18),
        SchoolType.PRIMARY: (15, 25),
        SchoolType.VOCATIONAL: (30, 45),
        SchoolType.SPECIAL: (60, 90),
    }
    per_student = per_student_of.get(school_type, (20, 35))
    area = 1500 + enrolment * rng.uniform(*per_student)
    if teaching_point:
        area = rng.uniform(800, 2000)
    if urban or rng.random() < 0.5:
        address = f"重庆市{name}{town}{rng.choice(ROADS)}{rng.randint(1, 399)}号"
    else:
        address = f"重庆市{name}{town}{village}村{rng.randint(1, 12)}组"
    longitude, latitude = d.coordinates(lon, lat, urban)
    return PlannedOrg(
        code="",
        kind=OrgKind.SCHOOL,
        name=school_name,
        short_name=school_name.removeprefix("重庆市").removeprefix(name)[:40],
        school=PlannedSchool(
            school_type=school_type,
            ownership=ownership,
            enrolment=enrolment,
            boarding=boarding,
            boarders=boarders,
            gates=gates,
            area_m2=int(round(area, -1)),
            address=address,
            longitude=longitude,
            latitude=latitude,
        ),
    )


def _staff_school(d: _Drawer, org: PlannedOrg) -> None:
    """Staff by size: one class teacher per class, subject teachers, guards by the plan's
    staffing norm (its default, `guards.rules`), dorm staff where boarding, bus crews where
    buses run."""
    assert org.school is not None
    rng, s = d.rng, org.school
    kindergarten = s.school_type == SchoolType.KINDERGARTEN
    d.person(org, ("principal",), 0.85 if kindergarten else 0.35)  # first: the legal rep.
    d.person(org, ("safety_officer",), 0.4)
    if s.enrolment >= 1000:
        d.person(org, ("vice_principal_safety",), 0.3)
    class_sizes: dict[str, int] = {SchoolType.KINDERGARTEN: 30, SchoolType.SPECIAL: 12}
    class_size = class_sizes.get(s.school_type, 45)
    classes = math.ceil(s.enrolment / class_size)
    if kindergarten:
        # 两教一保: per class, a second teacher and a childcare worker.
        d.people(org, classes, ("class_teacher", "kindergarten_teacher"), 0.97)
        d.people(org, classes, ("kindergarten_teacher",), 0.97)
        d.people(org, classes, ("childcare_worker",), 0.95)
    else:
        subject_ratios: dict[str, float] = {
            SchoolType.PRIMARY: 0.8,
            SchoolType.MIDDLE: 1.3,
            SchoolType.NINE_YEAR: 1.1,
            SchoolType.HIGH: 1.6,
            SchoolType.COMPLETE: 1.5,
            SchoolType.VOCATIONAL: 1.5,
            SchoolType.SPECIAL: 1.0,
        }
        subject_ratio = subject_ratios[s.school_type]
        female = 0.75 if s.school_type == SchoolType.PRIMARY else 0.6
        d.people(org, classes, ("class_teacher", "teacher"), female)
        d.people(org, round(classes * subject_ratio), ("teacher",), female)
    d.people(org, required_guards(s, GUARD_STAFFING.default), ("guard",), 0.05)
    if s.boarding:
        d.people(org, max(2, math.ceil(s.boarders / 200)), ("dorm_manager",), 0.5)
        d.person(org, ("canteen_manager",), 0.5)
        d.person(org, ("school_doctor",), 0.6)
    runs_buses = (
        s.school_type in (SchoolType.PRIMARY, SchoolType.NINE_YEAR)
        and s.enrolment >= 300
        and rng.random() < 0.3
    ) or (kindergarten and s.ownership == Ownership.PRIVATE and rng.random() < 0.2)
    if runs_buses:
        for _ in range(rng.randint(1, 3)):
            d.person(org, ("bus_driver",), 0.05)
            d.person(org, ("bus_attendant",), 0.8)


# --- the load ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    org_code: str  # the org the role is held in
    person_org_code: str  # where the account's person works
    position: str | None  # the position of the person to link ("" → the first person)


def _bus_crew(plan: DistrictPlan) -> tuple[str, str, str | None]:
    """Where the demo attendant works: the demo centre's first school that runs buses (any
    school's when it has none; the demo school when no school does)."""
    schools = [
        o
        for o in plan.orgs
        if o.school is not None and any("bus_attendant" in p.positions for p in o.people)
    ]
    in_centre = [o for o in schools if o.parent_code == plan.demo_centre_code]
    if not schools:
        return plan.demo_school_code, plan.demo_school_code, None
    code = (in_centre or schools)[0].code
    return code, code, "bus_attendant"


def demo_accounts(plan: DistrictPlan) -> list[DemoAccount]:
    return [
        DemoAccount(
            "admin", RoleName.BUREAU_ADMIN, plan.bureau_code, plan.office_code, "department_staff"
        ),
        DemoAccount(
            "bureau",
            RoleName.BUREAU_OFFICER,
            plan.bureau_code,
            plan.safety_office_code,
            "bureau_safety_officer",
        ),
        DemoAccount(
            "leader", RoleName.BUREAU_LEADER, plan.bureau_code, plan.bureau_code, "bureau_leader"
        ),
        DemoAccount(
            "centre",
            RoleName.CENTRE_OFFICER,
            plan.demo_centre_code,
            plan.demo_centre_code,
            "centre_safety_officer",
        ),
        DemoAccount(
            "principal",
            RoleName.PRINCIPAL,
            plan.demo_school_code,
            plan.demo_school_code,
            "principal",
        ),
        DemoAccount(
            "school",
            RoleName.SAFETY_OFFICER,
            plan.demo_school_code,
            plan.demo_school_code,
            "safety_officer",
        ),
        DemoAccount(
            "teacher", RoleName.TEACHER, plan.demo_school_code, plan.demo_school_code, "teacher"
        ),
        DemoAccount("guard", RoleName.GUARD, plan.demo_school_code, plan.demo_school_code, "guard"),
        DemoAccount("attendant", RoleName.BUS_ATTENDANT, *_bus_crew(plan)),
        DemoAccount("agency", RoleName.AGENCY_INSPECTOR, plan.police_code, plan.police_code, None),
        # The petitions office's clerk (first receiver of what comes in) and a department's
        # staff member petitions are handed to; the leader above supervises and approves.
        DemoAccount("clerk", RoleName.CASE_CLERK, plan.bureau_code, plan.office_code, None),
        DemoAccount(
            "handler",
            RoleName.DEPARTMENT_STAFF,
            plan.safety_office_code,
            plan.safety_office_code,
            None,
        ),
    ]


@dataclass
class District:
    plan: DistrictPlan
    bureau: Org
    counts: dict[str, int]
    accounts: dict[str, object] = field(default_factory=dict)  # username → User


@transaction.atomic
def load_district(plan: DistrictPlan, *, with_accounts: bool = True) -> District:
    positions = {p.code: p for p in Position.objects.all()}
    orgs: dict[str, Org] = {}
    # Level by level, so that every parent has its primary key and path before its children.
    pending = list(plan.orgs)
    while pending:
        level = [o for o in pending if o.parent_code is None or o.parent_code in orgs]
        pending = [o for o in pending if o.code not in {x.code for x in level}]
        rows = [
            Org(
                kind=o.kind,
                name=o.name,
                short_name=o.short_name,
                code=o.code,
                parent=orgs.get(o.parent_code) if o.parent_code else None,
                sort_order=o.sort_order,
            )
            for o in level
        ]
        Org.objects.bulk_create(rows, batch_size=500)
        for row in rows:
            assign_path(row)
            orgs[row.code] = row
        Org.objects.bulk_update(rows, ["path", "depth"], batch_size=500)

    people: list[Person] = []
    planned: list[PlannedPerson] = []
    for o in plan.orgs:
        for p in o.people:
            people.append(
                Person(
                    org=orgs[o.code],
                    name=p.name,
                    gender=p.gender,
                    phone=p.phone,
                    staff_no=p.staff_no,
                )
            )
            planned.append(p)
    Person.objects.bulk_create(people, batch_size=1000)
    Through = Person.positions.through
    links = [
        Through(person_id=person.pk, position_id=positions[code].pk)
        for person, p in zip(people, planned, strict=True)
        for code in p.positions
    ]
    Through.objects.bulk_create(links, batch_size=2000)
    # Bulk rows send no signals: the sign rates' kept counts of the people just loaded.
    from anwen.duties.counts import recount

    recount(org.pk for org in orgs.values())

    first_person: dict[int, Person] = {}
    for person in people:
        first_person.setdefault(person.org_id, person)
    profiles = [
        SchoolProfile(
            org=orgs[o.code],
            school_type=o.school.school_type,
            ownership=o.school.ownership,
            enrolment=o.school.enrolment,
            boarding=o.school.boarding,
            boarders=o.school.boarders,
            gates=o.school.gates,
            area_m2=o.school.area_m2,
            address=o.school.address,
            longitude=o.school.longitude,
            latitude=o.school.latitude,
            # The principal is planned first in each school and is its legal representative.
            legal_representative=first_person[orgs[o.code].pk],
        )
        for o in plan.orgs
        if o.school is not None
    ]
    SchoolProfile.objects.bulk_create(profiles, batch_size=500)

    district = District(
        plan=plan,
        bureau=orgs[plan.bureau_code],
        counts={
            "orgs": len(orgs),
            "schools": len(profiles),
            "centres": sum(1 for o in plan.orgs if o.kind == OrgKind.CENTRE),
            "people": len(people),
            "positions": len(links),
            "enrolment": sum(p.enrolment for p in profiles),
        },
    )
    if with_accounts:
        district.accounts = _create_accounts(plan, orgs, people, planned)
        district.counts["accounts"] = len(district.accounts)
    audit.record(
        actor=None,
        action="demo.district.loaded",
        org=district.bureau,
        data={"name": plan.name, "seed": plan.seed, **district.counts},
    )
    return district


def _create_accounts(
    plan: DistrictPlan, orgs: dict[str, Org], people: list[Person], planned: list[PlannedPerson]
) -> dict[str, object]:
    from anwen.accounts.models import User

    accounts: dict[str, object] = {}
    for account in demo_accounts(plan):
        org = orgs[account.person_org_code]
        person = next(
            person
            for person, p in zip(people, planned, strict=True)
            if person.org_id == org.pk
            and person.user_id is None  # one account per person
            and (account.position is None or account.position in p.positions)
        )
        user, _created = User.objects.get_or_create(username=account.username)
        user.display_name = person.name
        # Deliberately bypasses the password validators: "anwen-demo" is printed on screen
        # for a local demo and would fail the policy (no capital, no digit). Real accounts
        # are created through the accounts app, which applies the policy.
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.get_or_create(
            user=user, org=orgs[account.org_code], role=account.role
        )
        person.user = user
        person.save(update_fields=["user"])
        accounts[account.username] = user
    return accounts


def build_district(
    *, schools: int = 200, seed: int = 2021, name: str = "永川区", with_accounts: bool = True
) -> District:
    """Plan and load a district into the database (which should hold no orgs yet)."""
    return load_district(
        plan_district(schools=schools, seed=seed, name=name), with_accounts=with_accounts
    )


# The apps whose rows hang on orgs, most dependent first. Their models are deleted in the
# reverse of the order they are declared in, so rows that others protect go last.
ENGINE_APPS = [
    "inbox",
    "cases",
    "workflow",
    "duties",
    "fire",
    "patrol",
    "inspections",
    "obligations",
    "evidence",
]


@transaction.atomic
def delete_org_data() -> dict[str, int]:
    """Delete every org, person, school profile and role, and everything the engines keep about
    them (not the accounts, not the audit trail: the deletion itself is recorded)."""
    from django.apps import apps

    for label in ENGINE_APPS:
        for model in reversed(list(apps.get_app_config(label).get_models())):
            model._default_manager.all().delete()  # `objects`: no app declares another
    counts = {
        "roles": RoleAssignment.objects.all().delete()[0],
        "people": Person.objects.count(),
        "orgs": Org.objects.count(),
    }
    Person.positions.through.objects.all().delete()
    Person.objects.all().delete()
    SchoolProfile.objects.all().delete()
    # Parents are protected while they have children: delete the deepest level first.
    for depth in sorted(set(Org.objects.values_list("depth", flat=True)), reverse=True):
        Org.objects.filter(depth=depth).delete()
    audit.record(actor=None, action="demo.district.deleted", data=counts)
    return counts
