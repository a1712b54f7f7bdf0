"""Three months of night patrols for the demo district: checkpoints and a night round at every
school with guards, the scans of each night, and the rounds as judged each morning. Most schools
walk their round every night; a few are sloppy (late mornings, skipped points, the odd night
with no round at all), so the figures are not all 100%.

Bulk inserts only: no services, no per-row audit (one event for the whole load)."""

import random
from datetime import date, datetime, time, timedelta

from django.db import connection, models
from django.utils import timezone

from anwen import audit
from anwen.orgs.models import Org, OrgKind, Person, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q
from anwen.patrol.models import (
    FLAGGED,
    Checkpoint,
    PatrolSchedule,
    Round,
    RoundStatus,
    Scan,
    Window,
)
from anwen.patrol.services import RECORD_KIND, judge, record_time

HISTORY_DAYS = 91
ACKNOWLEDGED_AFTER_DAYS = 3  # older flagged rounds were looked at; the recent ones wait

# (name, where); the first few every school has, the rest by size and type.
COMMON = [("大门岗亭", "大门内侧墙面"), ("教学楼一楼", "楼梯口消防栓旁"), ("配电房", "配电房门外")]
EXTRA = [
    ("教学楼顶楼", "顶楼楼梯口"),
    ("食堂后厨", "后厨出入口"),
    ("操场围墙", "操场东北角"),
    ("实验楼", "实验楼一楼走廊"),
    ("图书室", "图书室门口"),
    ("锅炉房", "锅炉房门外"),
    ("侧门", "侧门岗亭旁"),
]
DORMS = [("男生宿舍", "宿舍楼一楼大厅"), ("女生宿舍", "宿舍楼一楼大厅")]
KINDERGARTEN = [
    ("大门岗亭", "大门内侧墙面"),
    ("午休室", "午休室门口"),
    ("厨房", "厨房门外"),
    ("围墙", "后院围墙"),
    ("配电房", "配电房门外"),
]

# Chance of each outcome per night: (complete, late, partial) and the rest missed.
DILIGENT = (0.955, 0.025, 0.015)
SLOPPY = (0.70, 0.12, 0.12)
SLOPPY_SHARE = 0.08


def _points(school, rng: random.Random) -> list[tuple[str, str]]:
    profile = school.school
    if profile.school_type == "kindergarten":
        return KINDERGARTEN[: rng.randint(3, 5)]
    points = list(COMMON)
    size = 1 + min(4, profile.enrolment // 500)
    points += rng.sample(EXTRA, min(len(EXTRA), size))
    if profile.boarding:
        points += DORMS
    return points[:8]


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _night_scans(
    outcome: str, window, points: list[Checkpoint], rng: random.Random
) -> list[tuple[Checkpoint, datetime]]:
    if outcome == "missed":
        return []
    visit = list(points)
    if outcome == "partial":
        skipped = rng.randint(1, max(1, len(points) - 1))
        visit = visit[:-skipped] if skipped < len(visit) else visit[:1]
    if outcome == "late":
        # Overslept: the round walked after the end of the grace, before the morning cut-off.
        moment = window.late_after + timedelta(minutes=rng.randint(3, 40))
    else:
        moment = window.start + timedelta(minutes=rng.randint(5, 90))
    scans = []
    for point in visit:
        scans.append((point, moment))
        moment += timedelta(minutes=rng.randint(2, 7), seconds=rng.randint(0, 59))
    return scans


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert many rows with one executemany per batch, each value prepared by its field for
    this database. Scans and rounds are most of the demo's rows (a hundred thousand scans for
    the demo district); bulk_create would spend seconds building model instances for them."""
    ops = connection.ops
    model_fields = [model._meta.get_field(name) for name in fields]
    adapters = [_adapter(f) for f in model_fields]
    columns = ", ".join(ops.quote_name(f.column) for f in model_fields)
    sql = (
        f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [
                    tuple(
                        value if adapt is None or value is None else adapt(value)
                        for adapt, value in zip(adapters, row, strict=True)
                    )
                    for row in rows[start : start + 5000]
                ],
            )


def _adapter(field):
    """The backend's own adapter for the few field types the demo writes raw; None: as is."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    return None


SCAN_FIELDS = ["checkpoint", "org", "user", "person", "scanned_at", "schedule", "night"]
ROUND_FIELDS = [
    "schedule",
    "org",
    "night",
    "status",
    "checkpoints_total",
    "scanned_count",
    "late_count",
    "missing_count",
    "missing_names",
    "late_names",
    "first_scan_at",
    "last_scan_at",
    "evaluated_at",
    "acknowledged_by",
    "acknowledged_at",
    "acknowledge_note",
]


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    from anwen.obligations.services import records_bulk_add

    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school")
        .order_by("path")
    )
    guards: dict[int, list[tuple[int, int | None]]] = {}
    for guard_id, org_id, guard_user_id in (
        Person.objects.filter(org__in=schools, is_active=True, positions__code="guard")
        .values_list("pk", "org_id", "user_id")
        .order_by("pk")
    ):
        guards.setdefault(org_id, []).append((guard_id, guard_user_id))
    officers = dict(
        RoleAssignment.objects.filter(
            org__in=schools, role__in=[RoleName.SAFETY_OFFICER, RoleName.PRINCIPAL]
        )
        .order_by("role")
        .values_list("org_id", "user_id")
    )  # the safety officer wins
    schools = [s for s in schools if s.pk in guards and getattr(s, "school", None)]
    first_night = today - timedelta(days=HISTORY_DAYS)
    now = timezone.now()

    checkpoints = []
    for school in schools:
        for index, (name, place) in enumerate(_points(school, rng)):
            checkpoints.append(
                Checkpoint(org=school, name=name, place=place, sort_order=(index + 1) * 10)
            )
    Checkpoint.objects.bulk_create(checkpoints, batch_size=1000)
    by_school: dict[int, list[Checkpoint]] = {}
    for point in checkpoints:
        by_school.setdefault(point.org_id, []).append(point)

    schedules = [
        PatrolSchedule(
            org=school,
            name="夜间巡更",
            start_time=time(22, 0),
            end_time=time(6, 0),
            grace_minutes=30,
            judged_at=time(8, 0),
            starts_on=first_night,
        )
        for school in schools
    ]
    PatrolSchedule.objects.bulk_create(schedules, batch_size=1000)
    Through = PatrolSchedule.checkpoints.through
    Through.objects.bulk_create(
        [
            Through(patrolschedule_id=schedule.pk, checkpoint_id=point.pk)
            for schedule in schedules
            for point in by_school[schedule.org_id]
        ],
        batch_size=2000,
    )

    scans: list[tuple] = []
    rounds: list[tuple] = []
    verdicts: list[dict] = []
    windows: dict[tuple, Window] = {}  # every demo school walks the same hours
    for schedule in schedules:
        points = by_school[schedule.org_id]
        weights = SLOPPY if rng.random() < SLOPPY_SHARE else DILIGENT
        staff = guards[schedule.org_id]
        night = first_night
        while night < today:
            key = (
                schedule.start_time,
                schedule.end_time,
                schedule.grace_minutes,
                schedule.judged_at,
                night,
            )
            window = windows.get(key) or windows.setdefault(key, schedule.window(night))
            if window.closes > now:
                break
            roll = rng.random()
            outcome = (
                "complete"
                if roll < weights[0]
                else "late"
                if roll < weights[0] + weights[1]
                else "partial"
                if roll < sum(weights)
                else "missed"
            )
            person_id, user_id = staff[rng.randrange(len(staff))]
            first: dict[int, datetime] = {}
            for point, moment in _night_scans(outcome, window, points, rng):
                scans.append(
                    (point.pk, schedule.org_id, user_id, person_id, moment, schedule.pk, night)
                )
                first.setdefault(point.pk, moment)
            verdict = judge(schedule, night, points, first, window)
            acknowledged = verdict["status"] in FLAGGED and night < today - timedelta(
                days=ACKNOWLEDGED_AFTER_DAYS
            )
            rounds.append(
                (
                    schedule.pk,
                    schedule.org_id,
                    night,
                    verdict["status"],
                    verdict["checkpoints_total"],
                    verdict["scanned_count"],
                    verdict["late_count"],
                    verdict["missing_count"],
                    verdict["missing_names"],
                    verdict["late_names"],
                    verdict["first_scan_at"],
                    verdict["last_scan_at"],
                    window.closes,
                    officers.get(schedule.org_id) if acknowledged else None,
                    window.closes + timedelta(hours=2) if acknowledged else None,
                    "已提醒当班保安，按时巡更" if acknowledged else "",
                )
            )
            verdicts.append(verdict)
            night += timedelta(days=1)
    _insert(Scan, SCAN_FIELDS, scans)
    _insert(Round, ROUND_FIELDS, rounds)
    ids = {
        (schedule_id, night): pk
        for pk, schedule_id, night in Round.objects.filter(schedule__in=schedules).values_list(
            "pk", "schedule_id", "night"
        )
    }
    records_bulk_add(
        {
            "kind": RECORD_KIND,
            "org_id": row[1],
            "subject_id": 0,
            "occurred_on": row[2],
            "submitted_at": record_time(row[2], verdict, org=bureau),
            "by_id": None,
            "source": Round(pk=ids[row[0], row[2]]),
        }
        for row, verdict in zip(rounds, verdicts, strict=True)
        if verdict["status"] in (RoundStatus.COMPLETE, RoundStatus.LATE)
    )
    audit.record(
        actor=None,
        action="patrol.demo.loaded",
        org=bureau,
        data={
            "schools": len(schools),
            "checkpoints": len(checkpoints),
            "scans": len(scans),
            "rounds": len(rounds),
        },
    )
