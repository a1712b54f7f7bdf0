"""Demo history of the rhythm engine: this year's plan for the demo bureau, owed from about three months
ago, and three months of routine-activity logs (meetings, gate duty, patrols, gate log, dorm
checks, the nine ones …) for every school. Most schools keep up; some are often late; a few
miss a lot, so the board's figures are not all 100%.

Bulk only: periods by `ensure_periods`, records by `records_bulk_add`, one audit event (the
plan's loading). The other apps' records (inspections, patrol, fire, duties) come from their own
`load_demo`; the history loader recounts and generates once more at the end.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anwen import calendar
from anwen.obligations.demo_buses import load_bus_attendance
from anwen.obligations.models import Period
from anwen.obligations.registry import ROUTINE_PREFIX
from anwen.obligations.services import ensure_periods, plan_load, records_bulk_add
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import within_q

HISTORY_DAYS = 91

# (share of schools, chance a period is done, chance a done period was recorded late)
PROFILES = {
    "steady": (0.80, 0.98, 0.02),
    "late": (0.14, 0.90, 0.30),
    "lax": (0.06, 0.55, 0.35),
}


def _profiles(school_ids: list[int], rng: random.Random) -> dict[int, tuple[float, float]]:
    shuffled = list(school_ids)
    rng.shuffle(shuffled)
    out, index = {}, 0
    for name, (share, done, late) in PROFILES.items():
        n = round(share * len(shuffled)) if name != "steady" else 0
        for sid in shuffled[index : index + n]:
            out[sid] = (done, late)
        index += n
    steady = PROFILES["steady"]
    for sid in shuffled[index:]:
        out[sid] = (steady[1], steady[2])
    return out


def _moment(day: date, rng: random.Random, tz) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=tz)


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    starts_on = today - timedelta(days=HISTORY_DAYS)
    # This year's published plan, owed (in the demo) from three months back.
    plan = plan_load(owner=bureau, year=today.year, starts_on=starts_on)
    ensure_periods(through=today)
    yesterday = today - timedelta(days=1)
    tz = timezone.get_current_timezone()
    deadlines: dict[date, datetime] = {}
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    profiles = _profiles(schools, rng)
    periods = (
        Period.objects.filter(
            obligation__plan=plan,
            obligation__record_kind__startswith=ROUTINE_PREFIX,
            start__lte=today,
        )
        .order_by("org_id", "obligation_id", "start")
        .values_list(
            "org_id", "obligation__record_kind", "obligation__times", "start", "end", "due"
        )
    )
    rows = []
    for org_id, kind, times, start, end, due in periods.iterator(chunk_size=5000):
        # Nothing is logged for today yet, and nothing is stamped later than the start of
        # today: the history does not depend on the hour it is loaded.
        last = min(end, yesterday)
        if last < start:
            continue
        p_done, p_late = profiles.get(org_id, (0.98, 0.02))
        current = due >= today
        if current:
            # This week's or this month's work: some of it is done already.
            p_done *= 0.6
        wanted = times if rng.random() < p_done else (rng.randrange(times) if times > 1 else 0)
        late = due <= today - timedelta(days=6) and rng.random() < p_late
        if wanted and due not in deadlines:
            deadlines[due] = calendar.ends_at(due)
        for _i in range(wanted):
            day = start + timedelta(days=rng.randint(0, (last - start).days))
            if late:
                submitted = deadlines[due] + timedelta(hours=rng.randint(2, 120))
            else:
                submitted = min(_moment(day, rng, tz), deadlines[due] - timedelta(minutes=1))
            rows.append(
                {
                    "kind": kind,
                    "org_id": org_id,
                    "subject_id": 0,
                    "occurred_on": day,
                    "submitted_at": submitted,
                    "by_id": None,
                    "source": None,
                }
            )
    records_bulk_add(rows)
    # The bus crews' sessions among them get who attended (SM8.3).
    load_bus_attendance(bureau=bureau, rng=rng)
