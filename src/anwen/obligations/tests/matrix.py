"""Routes of the obligations app that take an object, for the permission matrix
(web/tests/test_permission_matrix.py)."""

from datetime import date

from anwen.obligations.models import Obligation, Plan, Record
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import visible_orgs

OBJECT_ROUTES = {
    "obligations:school": ("obligation_school", "pk"),
    "obligations:obligation_edit": ("obligation", "pk"),
    "obligations:log_delete": ("obligation_record", "pk"),
    "obligations:plan_rules": ("obligation_plan", "pk"),
    "obligations:plan_clone": ("obligation_plan", "pk"),
    "obligations:plan_publish": ("obligation_plan", "pk"),
}


def _district_root(world, user):
    """The bureau of the user's own district (B1, or B2 for the second district)."""
    seen = visible_orgs(user)
    if any(o.path.startswith(world.B2.path) for o in seen):
        return world.B2
    return world.B1


def _org(world, user, inside: bool) -> Org:
    seen = list(visible_orgs(user).order_by("path"))
    if inside:
        schools = [o for o in seen if o.kind == OrgKind.SCHOOL]
        return (schools or seen)[0]
    mine = _district_root(world, user)
    return world.S9 if mine == world.B1 else world.S1


def school_sampler(world, user, inside: bool) -> int:
    return _org(world, user, inside).pk


def obligation_sampler(world, user, inside: bool) -> int:
    mine = _district_root(world, user)
    owner = mine if inside else (world.B2 if mine == world.B1 else world.B1)
    plan, _ = Plan.objects.get_or_create(owner=owner, code="matrix", defaults={"name": "计划"})
    obligation, _ = Obligation.objects.get_or_create(
        plan=plan,
        code="gate-log",
        defaults={
            "name": "校门进出登记",
            "record_kind": "routine.gate_log",
            "frequency": "daily",
            "starts_on": date(2026, 1, 1),
            "role": "safety_officer",
        },
    )
    return obligation.pk


def plan_sampler(world, user, inside: bool) -> int:
    return Obligation.objects.get(pk=obligation_sampler(world, user, inside)).plan_id


def record_sampler(world, user, inside: bool) -> int:
    org = _org(world, user, inside)
    record = Record.objects.create(
        kind="routine.gate_log",
        org=org,
        occurred_on=date(2026, 3, 2),
        submitted_at="2026-03-02T10:00:00+08:00",
    )
    return record.pk


SAMPLERS = {
    "obligation_school": school_sampler,
    "obligation": obligation_sampler,
    "obligation_record": record_sampler,
    "obligation_plan": plan_sampler,
}
