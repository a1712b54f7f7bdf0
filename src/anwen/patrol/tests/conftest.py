from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from anwen.patrol import services
from anwen.patrol.models import Checkpoint, PatrolSchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = date(2026, 11, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in the school's time zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Campus:
    points: list[Checkpoint]
    schedule: PatrolSchedule


@pytest.fixture
def campus(world):
    """S1 with three checkpoints and a night round 22:00–06:00 (30 minutes' grace, judged at
    08:00), in use since 2026-11-01."""
    by = world.users["school"]
    points = [
        services.checkpoint_create(org=world.S1, by=by, name=name, place=place, sort_order=i)
        for i, (name, place) in enumerate(
            [
                ("东门岗亭", "东门内侧墙面"),
                ("学生宿舍一楼", "宿舍楼大厅"),
                ("锅炉房", "食堂后侧"),
            ]
        )
    ]
    schedule = services.schedule_create(
        org=world.S1,
        by=by,
        name="夜间巡更",
        start_time=time(22, 0),
        end_time=time(6, 0),
        checkpoints=points,
        grace_minutes=30,
        judged_at=time(8, 0),
        starts_on=date(2026, 11, 1),
    )
    return Campus(points=points, schedule=schedule)


def day_round(world, *, starts_on: date, school="S3", officer="school3") -> PatrolSchedule:
    """A round 10:00–11:00 judged at noon the same day, in use from `starts_on`: the round of
    any night before today has closed whatever the hour a test runs."""
    by = world.users[officer]
    point = services.checkpoint_create(org=world.orgs[school], by=by, name="白天岗")
    return services.schedule_create(
        org=world.orgs[school],
        by=by,
        name="白天巡查",
        start_time=time(10, 0),
        end_time=time(11, 0),
        checkpoints=[point],
        grace_minutes=30,
        judged_at=time(12, 0),
        starts_on=starts_on,
    )
