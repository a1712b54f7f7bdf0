"""The patrol's routes with a parameter, for the permission matrix (web/tests)."""

from datetime import date, time

from anwen.orgs.scope import visible_orgs
from anwen.patrol.models import Checkpoint, PatrolSchedule, Round, RoundStatus

OBJECT_ROUTES = {
    "patrol:round": ("patrol_round", "pk"),
    "patrol:round_acknowledge": ("patrol_round", "pk"),
    "patrol:checkpoint_edit": ("patrol_checkpoint", "pk"),
    "patrol:schedule_edit": ("patrol_schedule", "pk"),
    "patrol:scan": ("patrol_token", "token"),
}

_SCHOOLS = ("S1", "S2", "S3", "S9")


def _school(world, user, inside: bool):
    seen = set(visible_orgs(user).values_list("pk", flat=True))
    for key in _SCHOOLS:
        if (world.orgs[key].pk in seen) == inside:
            return world.orgs[key]
    return world.orgs["S1"]  # sees no school at all: any one is "inside" and answers 404


def _objects(school):
    checkpoint, _new = Checkpoint.objects.get_or_create(org=school, name="东门")
    schedule, created = PatrolSchedule.objects.get_or_create(
        org=school,
        name="夜间巡更",
        defaults={"start_time": time(22, 0), "end_time": time(6, 0), "starts_on": date(2026, 1, 1)},
    )
    if created:
        schedule.checkpoints.add(checkpoint)
    patrol_round, _new = Round.objects.get_or_create(
        schedule=schedule,
        night=date(2026, 3, 1),
        defaults={
            "org": school,
            "status": RoundStatus.MISSED,
            "checkpoints_total": 1,
            "missing_count": 1,
            "missing_names": [checkpoint.name],
            "evaluated_at": "2026-03-02T08:00:00+08:00",
        },
    )
    return checkpoint, schedule, patrol_round


def round_sampler(world, user, inside):
    return _objects(_school(world, user, inside))[2].pk


def checkpoint_sampler(world, user, inside):
    return _objects(_school(world, user, inside))[0].pk


def schedule_sampler(world, user, inside):
    return _objects(_school(world, user, inside))[1].pk


def token_sampler(world, user, inside):
    return _objects(_school(world, user, inside))[0].token


SAMPLERS = {
    "patrol_round": round_sampler,
    "patrol_checkpoint": checkpoint_sampler,
    "patrol_schedule": schedule_sampler,
    "patrol_token": token_sampler,
}
