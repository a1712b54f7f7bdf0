"""Reads of the guard patrol. Lists start from the user's scope."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anwen.orgs.models import Org
from anwen.orgs.scope import with_perm
from anwen.patrol.models import (
    FLAGGED,
    Checkpoint,
    PatrolSchedule,
    Round,
    RoundStatus,
    Scan,
    Window,
)


def checkpoints_of(org: Org) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(org=org).annotate(
        schedule_count=Count("schedules", filter=Q(schedules__is_active=True))
    )


def schedules_of(org: Org) -> QuerySet[PatrolSchedule]:
    return PatrolSchedule.objects.filter(org=org).prefetch_related("checkpoints")


def rounds_of(org: Org, *, limit: int = 14) -> list[Round]:
    return list(
        Round.objects.filter(org=org)
        .select_related("schedule", "acknowledged_by")
        .order_by("-night", "schedule__start_time")[:limit]
    )


def flagged_open(org: Org) -> int:
    return Round.objects.filter(org=org, status__in=FLAGGED, acknowledged_at__isnull=True).count()


# Who may read the rounds of a school: its watchers (safety office, centre, bureau) and the
# staff who manage its patrol.
ROUND_PERMS = ("inspections.view", "patrol.manage")


def rounds_list(
    user,
    *,
    status: str | None = None,
    start: date | None = None,
    end: date | None = None,
    org: Org | None = None,
) -> QuerySet[Round]:
    """The rounds of the schools in the user's view where one of the user's roles may read
    them (a guard at one school who is safety officer at another sees the second's only)."""
    rounds = with_perm(Round.objects.all(), user, *ROUND_PERMS).select_related(
        "org", "org__parent", "schedule", "acknowledged_by"
    )
    if org is not None:
        rounds = rounds.filter(org=org)
    if status:
        rounds = rounds.filter(status=status)
    if start:
        rounds = rounds.filter(night__gte=start)
    if end:
        rounds = rounds.filter(night__lte=end)
    return rounds.order_by("-night", "org__path", "schedule__start_time")


def status_counts(rounds: QuerySet[Round]) -> dict[str, int]:
    """Rounds by status, counted in the database (the list's filters applied, not its page)."""
    row = rounds.order_by().aggregate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value in RoundStatus.values},
    )
    return row


@dataclass
class PointState:
    checkpoint: Checkpoint
    first_scan: Scan | None = None
    late: bool = False


@dataclass
class NightView:
    """How far the round of one night has come: each checkpoint with its first scan."""

    schedule: PatrolSchedule
    night: date
    window: Window
    points: list[PointState] = field(default_factory=list)

    @property
    def scanned(self) -> int:
        return sum(1 for p in self.points if p.first_scan is not None)


def night_view(schedule: PatrolSchedule, night: date) -> NightView:
    window = schedule.window(night)
    points = [p for p in schedule.checkpoints.all() if p.is_active]
    scans = (
        Scan.objects.filter(
            checkpoint__in=[p.pk for p in points],
            scanned_at__gte=window.start,
            scanned_at__lt=window.closes,
        )
        .select_related("person", "user")
        .order_by("scanned_at")
    )
    first: dict[int, Scan] = {}
    for found in scans:
        first.setdefault(found.checkpoint_id, found)
    view = NightView(schedule=schedule, night=night, window=window)
    for point in points:
        scan = first.get(point.pk)
        view.points.append(
            PointState(point, scan, late=scan is not None and scan.scanned_at > window.late_after)
        )
    return view


def tonight(org: Org, *, now: datetime) -> list[NightView]:
    """The rounds of the school that are running or due tonight: for each schedule in use, the
    night whose window has not closed yet (after midnight that is still last night's round)."""
    today = timezone.localtime(now).date()
    views = []
    for schedule in schedules_of(org).filter(is_active=True, starts_on__lte=today):
        yesterday = today - timedelta(days=1)
        night = today
        if yesterday >= schedule.starts_on and now in schedule.window(yesterday):
            night = yesterday
        views.append(night_view(schedule, night))
    return views


def recent_scans_at(checkpoint: Checkpoint, *, limit: int = 5) -> list[Scan]:
    return list(checkpoint.scans.select_related("person", "user").order_by("-scanned_at")[:limit])
