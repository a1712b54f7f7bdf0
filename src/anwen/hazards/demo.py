"""The demo's hazards: the findings of the invented months (raised by the inspections demo)
given a life — most rectified and closed on time, some overdue and escalated, a few major
ones with their six-part plan, spread over the campaign themes and the plan's kinds. Written
in bulk (events included), as history, not through the services one by one."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anwen.orgs.models import Org, OrgKind, Person, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q
from anwen.workflow.models import Event

from .lifecycle import HAZARD
from .models import Category, Grade, Hazard, HazardState, Kind, Theme

THEMES: dict[str, list[str]] = {
    Category.TRAFFIC: [Theme.SCHOOL_BUS],
    Category.ELECTRICAL: [Theme.ELECTRICAL_FIRE],
    Category.FIRE: [Theme.ELECTRICAL_FIRE, Theme.HIGH_RISE],
    Category.BUILDING: [Theme.CONSTRUCTION, Theme.HIGH_RISE],
    Category.SURROUNDINGS: [Theme.CONSTRUCTION],
}
KINDS: dict[str, list[str]] = {
    Category.ELECTRICAL: [Kind.AGEING, Kind.EBIKE],
    Category.BUILDING: [Kind.HOUSING],
    Category.WATER: [Kind.AGEING],
}
MEASURES = ["立即整改", "更换损坏设施", "加装防护装置", "报总务处维修", "清理占用物品"]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    hazards = list(
        Hazard.objects.filter(
            within_q(bureau, "org"), state=HazardState.REPORTED, origin_id__isnull=False
        ).order_by("pk")
    )
    if not hazards:
        return
    schools = {h.org_id for h in hazards}
    staff: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for pk, org_id, user_id in Person.objects.filter(
        org_id__in=schools, is_active=True
    ).values_list("pk", "org_id", "user_id"):
        staff[org_id].append((pk, user_id))
    officers = dict(
        RoleAssignment.objects.filter(
            org_id__in=schools, role__in=[RoleName.SAFETY_OFFICER, RoleName.PRINCIPAL]
        )
        .order_by("-role")
        .values_list("org_id", "user_id")
    )
    centres = {
        o.pk: o for o in Org.objects.filter(within_q(bureau), kind=OrgKind.CENTRE, is_active=True)
    }
    centre_users = dict(
        RoleAssignment.objects.filter(org_id__in=centres, role=RoleName.CENTRE_OFFICER).values_list(
            "org_id", "user_id"
        )
    )
    bureau_user = (
        RoleAssignment.objects.filter(org=bureau, role=RoleName.BUREAU_OFFICER)
        .values_list("user_id", flat=True)
        .first()
    )
    centre_of = {
        pk: next((int(p) for p in path.split("/") if p and int(p) in centres), None)
        for pk, path in Org.objects.filter(pk__in=schools).values_list("pk", "path")
    }

    events: list[Event] = []
    fields = [
        "grade", "theme", "kind", "responsible", "measures", "fund_estimate", "state",
        "fixed_by", "fix_note", "closed_at", "escalation", "plan_goal", "plan_measures",
        "plan_funds", "plan_people", "plan_time_limit", "plan_interim",
        "centre_rechecked_at", "bureau_rechecked_at",
    ]  # fmt: skip

    def event(h, name, frm, to, actor, day, hour=10, note="", data=None):
        events.append(
            Event(
                record_type=HAZARD.code, record_id=h.pk, name=name, from_state=frm, to_state=to,
                actor_id=actor, at=_at(min(day, today), hour), note=note, data=data or {},
            )
        )  # fmt: skip

    for h in hazards:
        people = staff.get(h.org_id)
        if not people:
            continue
        person, person_user = rng.choice(people)
        officer = officers.get(h.org_id)
        if rng.random() < 0.35 and h.category in THEMES:
            h.theme = rng.choice(THEMES[h.category])
        if rng.random() < 0.15 and h.category in KINDS:
            h.kind = rng.choice(KINDS[h.category])
        major = rng.random() < 0.03
        deadline = h.deadline or h.found_on + timedelta(days=30)
        h.responsible_id = person
        h.measures = rng.choice(MEASURES)
        h.fund_estimate = rng.choice([None, 0, 200, 1500, 8000])
        assign_day = h.found_on + timedelta(days=rng.randint(1, 2))
        if assign_day > today:
            continue
        state = HazardState.ASSIGNED
        event(h, "assign", HazardState.REPORTED, state, officer, assign_day, 9)
        if major:
            h.grade = Grade.MAJOR
            h.plan_goal = "消除重大隐患，恢复安全使用"
            h.plan_measures = "委托专业单位检测后加固维修"
            h.plan_funds = "区财政专项资金，约 5 万元"
            h.plan_people = "校长负总责，总务主任具体实施"
            h.plan_time_limit = deadline
            h.plan_interim = "设置警戒围挡，暂停使用相关场所"
            event(h, "plan", state, state, officer, assign_day, 11)
        start_day = assign_day + timedelta(days=1)
        if start_day > today:
            h.state = state
            continue
        event(h, "start", state, HazardState.RECTIFYING, person_user, start_day, 9)
        state = HazardState.RECTIFYING
        # Most are fixed before the deadline; one in eight runs late and climbs the ladder.
        late = rng.random() < 0.12
        span = max(1, (deadline - start_day).days)
        fix_day = start_day + timedelta(days=rng.randint(0, span))
        if late or fix_day >= today - timedelta(days=1):
            overdue = (today - deadline).days
            if overdue > 0:
                steps = min(4, 1 + (overdue - 1) // 3)
                for step in range(1, steps + 1):
                    day = deadline + timedelta(days=1 + 3 * (step - 1))
                    event(h, "escalated", state, state, None, day, 7, data={"step": step})
                h.escalation = steps
            h.state = state
            continue
        h.fixed_by_id = person_user or officer
        h.fix_note = "已按要求整改完毕"
        event(h, "submit", state, HazardState.SUBMITTED, h.fixed_by_id, fix_day, 16)
        state = HazardState.SUBMITTED
        verify_day = fix_day + timedelta(days=1)
        if verify_day >= today:
            h.state = state
            continue
        if major:
            h.centre_rechecked_at = _at(verify_day, 10)
            h.bureau_rechecked_at = _at(verify_day, 15)
            event(
                h,
                "recheck_centre",
                state,
                state,
                centre_users.get(centre_of[h.org_id] or 0),
                verify_day,
                10,
            )
            event(h, "recheck_bureau", state, state, bureau_user, verify_day, 15)
        verifier = officer if officer != h.fixed_by_id else None
        h.closed_at = _at(verify_day, 17)
        event(h, "verify", state, HazardState.CLOSED, verifier, verify_day, 17)
        h.state = HazardState.CLOSED
    Hazard.objects.bulk_update(hazards, fields, batch_size=500)
    Event.objects.bulk_create(events, batch_size=1000)
