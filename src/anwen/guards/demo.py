"""Guards for the demo district: each school's guards as its security company lists them, as
many as the plan's norm requires, with a few schools short (a guard gone, one part-time in the
place of a full-time one), some certificates lapsed or lapsing within the month, and most
guards trained this autumn, on the school's training day or a make-up day (each day a record of
the rhythm engine's autumn training obligation). The names and phones are those of the school's guards among its
staff (the district generator staffs schools by the same norm), so the two lists agree.

Bulk inserts only: no services, no per-row audit (one event for the whole load)."""

import random
from collections import defaultdict
from datetime import date, timedelta

from anwen import audit
from anwen.guards.models import Guard
from anwen.guards.rules import STAFFING, TRAINING_FROM, autumn_start, required_guards
from anwen.guards.trainings import record_trainings
from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, OrgKind, Person
from anwen.orgs.scope import within_q

COMPANIES = ("重庆市永川区保安服务有限公司", "重庆渝西保安服务有限公司", "重庆安诚保安服务有限公司")
SHORT = 0.03  # schools a guard short
PART_TIME = 0.02  # schools where one of the guards is part-time
EXPIRED = 0.015  # guards whose certificate lapsed in the last two months
SOON = 0.04  # guards whose certificate lapses within the month
TRAINED = 0.88  # guards trained this autumn (most of the rest last autumn)
SURNAMES = "陈刘李王张杨黄周罗谭何唐邓曾彭吴蒋胡徐赵"
GIVEN = "伟强磊军勇杰涛斌明超刚平辉鹏华飞波浩"


def _day_between(a: date, b: date, rng: random.Random) -> date:
    return a + timedelta(days=rng.randint(0, max(0, (b - a).days)))


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school")
        .order_by("path")
    )
    staff: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for org_id, name, phone in (
        Person.objects.filter(within_q(bureau, "org"), positions__code="guard", is_active=True)
        .order_by("org_id", "pk")
        .values_list("org_id", "name", "phone")
    ):
        staff[org_id].append((name, phone))
    rules = Rules(on=today)
    training_from = rules.get(TRAINING_FROM, org=bureau)
    since = autumn_start(today, training_from)
    season_end = min(today, since + timedelta(days=90))
    last_since = training_from.in_year(since.year - 1)
    guards: list[Guard] = []
    short = 0
    for school in schools:
        if not hasattr(school, "school"):
            continue
        need = required_guards(school.school, rules.get(STAFFING, org=school))
        is_short = rng.random() < SHORT
        part_time = not is_short and rng.random() < PART_TIME
        short += is_short or part_time
        count = need - 1 if is_short else need
        people = staff[school.pk]
        own = school.school.school_type == "kindergarten" and rng.random() < 0.3
        employer = school.name if own else rng.choice(COMPANIES)
        training_day = _day_between(since, season_end, rng)
        make_up = _day_between(training_day, season_end, rng)
        last_autumn = _day_between(last_since, last_since + timedelta(days=90), rng)
        for i in range(count):
            if i < len(people):
                name, phone = people[i]
            else:
                name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
                phone = f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"
            roll = rng.random()
            if roll < EXPIRED:
                expires = today - timedelta(days=rng.randint(1, 60))
            elif roll < EXPIRED + SOON:
                expires = today + timedelta(days=rng.randint(0, 30))
            else:
                expires = today + timedelta(days=rng.randint(60, 1500))
            if rng.random() < TRAINED:
                trained: date | None = training_day if rng.random() < 0.9 else make_up
            elif rng.random() < 0.8:
                trained = last_autumn
            else:
                trained = None
            guards.append(
                Guard(
                    org=school,
                    name=name,
                    phone=phone,
                    certificate_no=f"渝{expires.year - 3}{school.pk:05d}{i:02d}",
                    certificate_expires_on=expires,
                    employer=employer,
                    full_time=not (part_time and i == count - 1),
                    trained_on=trained,
                )
            )
    Guard.objects.bulk_create(guards, batch_size=1000)
    trainings = record_trainings(guards, None)  # this autumn's and last autumn's, per school
    audit.record(
        actor=None,
        action="guards.demo.loaded",
        org=bureau,
        data={"guards": len(guards), "schools_short": short, "trainings": trainings},
    )
