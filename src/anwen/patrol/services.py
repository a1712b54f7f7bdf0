"""Writes of the guard patrol: checkpoints and schedules, scans, and the judging of each night's
round the next morning."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit, calendar
from anwen.errors import AppError
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import person_of
from anwen.patrol.models import (
    Checkpoint,
    PatrolSchedule,
    Round,
    RoundStatus,
    Scan,
    Window,
    new_token,
)

# Two taps on the button, or a code read twice by the camera, within this many seconds are one
# scan (a debounce, not a rule of the patrol).
DUPLICATE_SECONDS = 60

RECORD_KIND = "patrol.round"


class PatrolError(AppError):
    """A rule of the patrol was broken; the message is for the user."""


def _school(org: Org) -> None:
    if org.kind != OrgKind.SCHOOL:
        raise PatrolError(_("Patrol checkpoints belong to a school."))


# --- checkpoints ---------------------------------------------------------------------------------


def _checkpoint_name_taken(org_id: int, name: str, exclude: int | None = None) -> bool:
    taken = Checkpoint.objects.filter(org_id=org_id, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


@transaction.atomic
def checkpoint_create(
    *, org: Org, by, name: str, place: str = "", sort_order: int = 0, request=None
) -> Checkpoint:
    _school(org)
    if _checkpoint_name_taken(org.pk, name):
        raise PatrolError(_("This school already has a checkpoint with this name."))
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(
                org=org, name=name, place=place, sort_order=sort_order
            )
    except IntegrityError:
        # The same form sent twice: the first one made it between our check and our insert.
        raise PatrolError(_("This school already has a checkpoint with this name.")) from None
    audit.record(
        actor=by,
        action="patrol.checkpoint.created",
        obj=checkpoint,
        org=org,
        data={"name": name, "place": place},
        request=request,
    )
    return checkpoint


@transaction.atomic
def checkpoint_update(
    *,
    checkpoint: Checkpoint,
    by,
    name: str,
    place: str = "",
    sort_order: int = 0,
    is_active: bool = True,
    new_code: bool = False,
    request=None,
) -> Checkpoint:
    if _checkpoint_name_taken(checkpoint.org_id, name, exclude=checkpoint.pk):
        raise PatrolError(_("This school already has a checkpoint with this name."))
    checkpoint.name, checkpoint.place = name, place
    checkpoint.sort_order, checkpoint.is_active = sort_order, is_active
    if new_code:
        # A lost or copied sheet: the old code stops working at once.
        checkpoint.token = new_token()
    checkpoint.save()
    audit.record(
        actor=by,
        action="patrol.checkpoint.updated",
        obj=checkpoint,
        org=checkpoint.org,
        request=request,
        data={"name": name, "place": place, "active": is_active, "new_code": new_code},
    )
    return checkpoint


# --- schedules -----------------------------------------------------------------------------------


def _check_schedule(
    *,
    org: Org,
    name: str,
    start_time: time,
    end_time: time,
    checkpoints: Iterable[Checkpoint],
    exclude: int | None = None,
) -> list:
    _school(org)
    if start_time == end_time:
        raise PatrolError(_("The round must not start and end at the same time."))
    points = list(checkpoints)
    if not points:
        raise PatrolError(_("Choose at least one checkpoint for the round."))
    if any(p.org_id != org.pk for p in points):
        raise PatrolError(_("A round can only visit checkpoints of its own school."))
    if _schedule_name_taken(org.pk, name, exclude=exclude):
        raise PatrolError(_("This school already has a patrol schedule with this name."))
    return points


def _schedule_name_taken(org_id: int, name: str, exclude: int | None = None) -> bool:
    clash = PatrolSchedule.objects.filter(org_id=org_id, name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    return clash.exists()


@transaction.atomic
def schedule_create(
    *,
    org: Org,
    by,
    name: str,
    start_time: time,
    end_time: time,
    checkpoints: Iterable[Checkpoint],
    grace_minutes: int = 30,
    judged_at: time = time(8, 0),
    starts_on: date | None = None,
    request=None,
) -> PatrolSchedule:
    points = _check_schedule(
        org=org, name=name, start_time=start_time, end_time=end_time, checkpoints=checkpoints
    )
    try:
        with transaction.atomic():
            schedule = PatrolSchedule.objects.create(
                org=org,
                name=name,
                start_time=start_time,
                end_time=end_time,
                grace_minutes=grace_minutes,
                judged_at=judged_at,
                starts_on=starts_on or timezone.localdate(),
            )
    except IntegrityError:
        # The same form sent twice: the first one made it between our check and our insert.
        raise PatrolError(_("This school already has a patrol schedule with this name.")) from None
    schedule.checkpoints.set(points)
    audit.record(
        actor=by,
        action="patrol.schedule.created",
        obj=schedule,
        org=org,
        request=request,
        data=_schedule_data(schedule, points),
    )
    return schedule


@transaction.atomic
def schedule_update(
    *,
    schedule: PatrolSchedule,
    by,
    name: str,
    start_time: time,
    end_time: time,
    checkpoints: Iterable[Checkpoint],
    grace_minutes: int,
    judged_at: time,
    starts_on: date,
    is_active: bool = True,
    request=None,
) -> PatrolSchedule:
    points = _check_schedule(
        org=schedule.org,
        name=name,
        start_time=start_time,
        end_time=end_time,
        checkpoints=checkpoints,
        exclude=schedule.pk,
    )
    schedule.name, schedule.start_time, schedule.end_time = name, start_time, end_time
    schedule.grace_minutes, schedule.judged_at = grace_minutes, judged_at
    if is_active and not schedule.is_active:
        # Back in use after a pause: the nights of the pause were owed by no schedule, so the
        # morning run must not judge them missed.
        starts_on = max(starts_on, timezone.localdate())
    schedule.starts_on, schedule.is_active = starts_on, is_active
    schedule.save()
    schedule.checkpoints.set(points)
    audit.record(
        actor=by,
        action="patrol.schedule.updated",
        obj=schedule,
        org=schedule.org,
        request=request,
        data={**_schedule_data(schedule, points), "active": is_active},
    )
    return schedule


def _schedule_data(schedule: PatrolSchedule, points: list[Checkpoint]) -> dict:
    return {
        "name": schedule.name,
        "start": schedule.start_time.strftime("%H:%M"),
        "end": schedule.end_time.strftime("%H:%M"),
        "grace": schedule.grace_minutes,
        "checkpoints": [p.name for p in points],
    }


# --- scans ---------------------------------------------------------------------------------------


def night_of(checkpoint: Checkpoint, at: datetime) -> tuple[PatrolSchedule | None, date | None]:
    """The round a scan at `at` counts for: the first schedule (by start time) visiting the
    checkpoint whose window of that night or the night before holds `at`."""
    day = timezone.localtime(at).date()
    schedules = checkpoint.schedules.filter(is_active=True).order_by("start_time", "pk")
    for schedule in schedules:
        for night in (day - timedelta(days=1), day):
            if night >= schedule.starts_on and at in schedule.window(night):
                return schedule, night
    return None, None


@transaction.atomic
def scan_record(
    *, checkpoint: Checkpoint, by, at: datetime | None = None, request=None
) -> tuple[Scan, bool]:
    """Record that `by` stood at the checkpoint now (server time). Returns the scan and whether
    it is new: the same person scanning the same point again within a minute gets the first
    scan back."""
    if not checkpoint.is_active:
        raise PatrolError(_("This checkpoint is no longer in use."))
    # Scans of one checkpoint wait for each other (a lock on its row), so a tap sent twice at
    # once finds the first scan instead of making a second: locking the recent scans alone
    # locks nothing when there is none yet.
    Checkpoint.objects.select_for_update().filter(pk=checkpoint.pk).first()
    # The time is read once the lock is held: read before, a tap that waited would be older
    # than the scan it waited for, and would not find it among the "recent" ones.
    at = at or timezone.now()
    recent = (
        Scan.objects.filter(
            checkpoint=checkpoint,
            user=by,
            scanned_at__gt=at - timedelta(seconds=DUPLICATE_SECONDS),
            scanned_at__lte=at,
        )
        .order_by("-scanned_at")
        .first()
    )
    if recent is not None:
        return recent, False
    schedule, night = night_of(checkpoint, at)
    scan = Scan.objects.create(
        checkpoint=checkpoint,
        org_id=checkpoint.org_id,
        user=by,
        person=person_of(by),
        scanned_at=at,
        schedule=schedule,
        night=night,
    )
    audit.record(
        actor=by,
        action="patrol.scan.recorded",
        obj=scan,
        org=checkpoint.org,
        request=request,
        data={"checkpoint": checkpoint.name, "night": night.isoformat() if night else None},
    )
    return scan, True


# --- judging the rounds --------------------------------------------------------------------------


def judge(
    schedule: PatrolSchedule,
    night: date,
    points: list[Checkpoint],
    first_scans: dict[int, datetime],
    window: Window | None = None,
) -> dict:
    """The verdict on one night of one schedule, from the first time each checkpoint was scanned
    inside the window (`first_scans`: checkpoint id -> time)."""
    window = window or schedule.window(night)
    scanned = [p for p in points if p.pk in first_scans]
    missing = [p for p in points if p.pk not in first_scans]
    late = [p for p in scanned if first_scans[p.pk] > window.late_after]
    if not scanned:
        status = RoundStatus.MISSED
    elif missing:
        status = RoundStatus.PARTIAL
    elif late:
        status = RoundStatus.LATE
    else:
        status = RoundStatus.COMPLETE
    times = sorted(first_scans[p.pk] for p in scanned)
    return {
        "status": status,
        "checkpoints_total": len(points),
        "scanned_count": len(scanned),
        "late_count": len(late),
        "missing_count": len(missing),
        "missing_names": [p.name for p in missing],
        "late_names": [p.name for p in late],
        "first_scan_at": times[0] if times else None,
        "last_scan_at": times[-1] if times else None,
    }


# A late round must look late to the rhythm engine whether the bureau gives the nightly-patrol
# obligation the night's own date or the morning after as its due day (on a rest day the
# calendar moves either to the next working day).
LATE_RECORD_AFTER = calendar.DeadlineRule(1, "calendar")


def record_time(night: date, verdict: dict, *, org=None) -> datetime:
    """The submission time the rhythm engine sees for a complete or late round. The engine
    judges timeliness by whole days, while a round's own clock (end plus grace) runs into the
    next morning: a complete round is reported within its night's date, a late one after the
    latest day the obligation can be due."""
    last = verdict["last_scan_at"]
    if verdict["status"] == RoundStatus.COMPLETE:
        return min(last, calendar.ends_at(night) - timedelta(seconds=1))
    return max(last, calendar.ends_at(calendar.due(night, LATE_RECORD_AFTER, org=org)))


def _first_scans(schedule: PatrolSchedule, night: date, points: list[Checkpoint]) -> dict:
    window = schedule.window(night)
    first: dict[int, datetime] = {}
    rows = (
        Scan.objects.filter(
            checkpoint__in=[p.pk for p in points],
            scanned_at__gte=window.start,
            scanned_at__lt=window.closes,
        )
        .order_by("scanned_at")
        .values_list("checkpoint_id", "scanned_at")
    )
    for checkpoint_id, at in rows:
        first.setdefault(checkpoint_id, at)
    return first


def rounds_evaluate(*, night: date, now: datetime | None = None) -> list[Round]:
    """Judge the round of `night` of every schedule in use whose window has closed by `now`.
    Idempotent: a night already judged is left alone (one Round per schedule and night), so
    running it twice, or on two machines at once, changes nothing the second time. Complete and
    late rounds count towards the nightly-patrol obligation."""
    now = now or timezone.now()
    judged = set(Round.objects.filter(night=night).values_list("schedule_id", flat=True))
    schedules = (
        PatrolSchedule.objects.filter(is_active=True, starts_on__lte=night, org__is_active=True)
        .exclude(pk__in=judged)
        .select_related("org")
        .prefetch_related("checkpoints")
    )
    made = []
    for schedule in schedules:
        if now < schedule.window(night).closes:
            continue
        points = [p for p in schedule.checkpoints.all() if p.is_active]
        if not points:
            continue
        made_round = _judge_one(schedule, night, points, now)
        if made_round is not None:
            made.append(made_round)
    return made


def _judge_one(
    schedule: PatrolSchedule, night: date, points: list[Checkpoint], now: datetime
) -> Round | None:
    from anwen.obligations.services import record_add

    verdict = judge(schedule, night, points, _first_scans(schedule, night, points))
    try:
        with transaction.atomic():
            patrol_round = Round.objects.create(
                schedule=schedule, org=schedule.org, night=night, evaluated_at=now, **verdict
            )
            if patrol_round.status in (RoundStatus.COMPLETE, RoundStatus.LATE):
                record_add(
                    kind=RECORD_KIND,
                    org=schedule.org,
                    occurred_on=night,
                    by=None,
                    source=patrol_round,
                    submitted_at=record_time(night, verdict, org=schedule.org),
                )
            audit.record(
                actor=None,
                action="patrol.round.evaluated",
                obj=patrol_round,
                org=schedule.org,
                data={
                    "night": night.isoformat(),
                    "status": patrol_round.status,
                    "scanned": patrol_round.scanned_count,
                    "missing": patrol_round.missing_names,
                    "late": patrol_round.late_names,
                },
            )
    except IntegrityError:
        # Another worker judged this night between our check and our insert.
        return None
    return patrol_round


# How far back a morning run looks for nights nobody judged (the worker was down, the queue
# stalled). Older nights are left alone.
CATCH_UP_DAYS = 14


def nights_to_judge(today: date) -> list[date]:
    """The nights a morning run looks at, oldest first: every night since the earliest schedule
    in use began, at most CATCH_UP_DAYS back, up to last night. Nights already judged are
    skipped by `rounds_evaluate` (one Round per schedule and night), so looking again costs a
    query per night and changes nothing."""
    earliest = today - timedelta(days=CATCH_UP_DAYS)
    first_start = (
        PatrolSchedule.objects.filter(is_active=True, org__is_active=True)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    if first_start is None:
        return []
    first = max(first_start, earliest)
    return [first + timedelta(days=i) for i in range((today - first).days)]


@transaction.atomic
def round_acknowledge(*, patrol_round: Round, by, note: str = "", request=None) -> Round:
    """The school's safety officer has seen a flagged round (and says what was done about it)."""
    if not patrol_round.is_flagged:
        raise PatrolError(_("Only a missed, late or partial round needs acknowledging."))
    updated = Round.objects.filter(pk=patrol_round.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=by, acknowledged_at=timezone.now(), acknowledge_note=note
    )
    if not updated:
        raise PatrolError(_("This round has already been acknowledged."))
    patrol_round.refresh_from_db()
    audit.record(
        actor=by,
        action="patrol.round.acknowledged",
        obj=patrol_round,
        org=patrol_round.org,
        request=request,
        data={"night": patrol_round.night.isoformat(), "status": patrol_round.status, "note": note},
    )
    return patrol_round
