"""What the patrol puts in people's inboxes: a flagged round (missed, late, partial) waits on the
school's safety officers and principals until one of them acknowledges it; tonight's round
waits on the school's guards."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anwen import calendar
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import has_perm, roles_of, scoped
from anwen.patrol.models import FLAGGED, PatrolSchedule, Round, RoundStatus, Scan
from anwen.todo import Todo

# The safety officer looks at a flagged round by the next working day.
ACKNOWLEDGE_RULE = calendar.DeadlineRule(1, "working")


def _title(patrol_round: Round, today: date) -> str:
    last_night = patrol_round.night == today - timedelta(days=1)
    night = patrol_round.night.isoformat()
    if patrol_round.status == RoundStatus.LATE:
        n = patrol_round.late_count
        if last_night:
            return ngettext(
                "Last night's patrol was late at %(n)d checkpoint",
                "Last night's patrol was late at %(n)d checkpoints",
                n,
            ) % {"n": n}
        return ngettext(
            "Patrol of the night of %(night)s was late at %(n)d checkpoint",
            "Patrol of the night of %(night)s was late at %(n)d checkpoints",
            n,
        ) % {"n": n, "night": night}
    n = patrol_round.missing_count
    if last_night:
        return ngettext(
            "Last night's patrol missed %(n)d checkpoint",
            "Last night's patrol missed %(n)d checkpoints",
            n,
        ) % {"n": n}
    return ngettext(
        "Patrol of the night of %(night)s missed %(n)d checkpoint",
        "Patrol of the night of %(night)s missed %(n)d checkpoints",
        n,
    ) % {"n": n, "night": night}


def _flagged(user, today: date) -> list[Todo]:
    if not has_perm(user, "patrol.manage"):
        return []
    rounds = (
        scoped(
            Round.objects.filter(status__in=FLAGGED, acknowledged_at__isnull=True), user, full=True
        )
        .select_related("org", "schedule")
        .order_by("night", "pk")
    )
    items = []
    for patrol_round in rounds:
        if not has_perm(user, "patrol.manage", patrol_round.org):
            continue
        names = patrol_round.missing_names or patrol_round.late_names
        items.append(
            Todo(
                kind=f"patrol.round_{patrol_round.status}",
                title=_title(patrol_round, today),
                url=reverse("patrol:round", args=[patrol_round.pk]),
                org_name=patrol_round.org.name,
                due=calendar.due(patrol_round.night, ACKNOWLEDGE_RULE, org=patrol_round.org),
                detail=f"{patrol_round.schedule.name}：{'、'.join(names[:6])}",
            )
        )
    return items


def _tonight(user, today: date) -> list[Todo]:
    if RoleName.GUARD not in roles_of(user):
        return []
    schedules = [
        s
        for s in scoped(
            PatrolSchedule.objects.filter(is_active=True, starts_on__lte=today), user, full=True
        )
        .select_related("org")
        .prefetch_related("checkpoints")
        if has_perm(user, "patrol.scan", s.org)
    ]
    if not schedules:
        return []
    scanned: dict[int, set[int]] = {}
    for schedule_id, checkpoint_id in Scan.objects.filter(
        schedule__in=schedules, night=today
    ).values_list("schedule_id", "checkpoint_id"):
        scanned.setdefault(schedule_id, set()).add(checkpoint_id)
    items = []
    for schedule in schedules:
        points = {p.pk for p in schedule.checkpoints.all() if p.is_active}
        done = bool(points) and points <= scanned.get(schedule.pk, set())
        items.append(
            Todo(
                kind="patrol.tonight",
                title=_("Tonight's patrol: %(name)s %(start)s–%(end)s")
                % {
                    "name": schedule.name,
                    "start": schedule.start_time.strftime("%H:%M"),
                    "end": schedule.end_time.strftime("%H:%M"),
                },
                url=f"{reverse('patrol:index')}?org={schedule.org_id}",
                org_name=schedule.org.name,
                due=today,
                detail=ngettext(
                    "%(n)d checkpoint to scan", "%(n)d checkpoints to scan", len(points)
                )
                % {"n": len(points)},
                done=done,
            )
        )
    return items


def waiting_on(user, *, today: date) -> list[Todo]:
    return _flagged(user, today) + _tonight(user, today)
