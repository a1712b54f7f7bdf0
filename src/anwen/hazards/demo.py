"""The demo's hazards: a year of them back from the demo day. The findings of the invented
months (raised by the inspections demo) and, over the whole year, the schools' own reports and
the centres' and the bureau's checks, each given a life — most rectified and closed on time,
some late (escalated, then closed; the recent ones still open and overdue), a few major ones
with their six-part plan and the centre's and the bureau's re-check, spread over the campaign
themes and the plan's kinds. Written in bulk, each step an event row named after the
workflow's transition (the chronology the hazard page shows), as history, not through the
services one by one; the same seed gives the same year."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anwen import calendar
from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, OrgKind, Person, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q
from anwen.workflow.models import Event

from .lifecycle import HAZARD
from .models import Category, Grade, Hazard, HazardState, Kind, Source, Theme
from .rules import DEADLINE_GENERAL, DEADLINE_MAJOR

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

# The year's reports beside the inspections: what a school, a centre or the bureau writes down,
# by category; a campaign theme picks its categories (SM4.3).
PHRASES: dict[str, list[str]] = {
    Category.FIRE: ["灭火器过期未更换", "消防通道堆放杂物", "应急照明灯不亮", "疏散指示标志损坏"],
    Category.ELECTRICAL: ["插线板串接使用", "配电箱未上锁", "电线老化裸露", "电动车楼道内充电"],
    Category.BUILDING: ["墙面开裂", "栏杆松动", "屋顶渗漏", "楼梯扶手缺失"],
    Category.TRAFFIC: ["校门口无减速带", "校车安全锤缺失", "接送区无隔离护栏"],
    Category.WATER: ["水池无防护栏", "防溺水警示标志缺失", "排水沟盖板破损"],
    Category.FOOD: ["留样记录不全", "食材过期未清理", "从业人员健康证过期"],
    Category.EQUIPMENT: ["体育器材螺丝松动", "实验室药品未双人双锁", "监控摄像头离线"],
    Category.SURROUNDINGS: ["周边流动摊贩聚集", "校外施工围挡破损", "周边网吧违规接纳学生"],
    Category.OTHER: ["安全台账未及时更新", "值班记录缺失"],
}
CATEGORY_WEIGHTS = {
    Category.FIRE: 20,
    Category.ELECTRICAL: 16,
    Category.BUILDING: 14,
    Category.TRAFFIC: 8,
    Category.WATER: 8,
    Category.FOOD: 8,
    Category.EQUIPMENT: 14,
    Category.SURROUNDINGS: 6,
    Category.OTHER: 6,
}
THEME_CATEGORIES: dict[str, list[str]] = {
    Theme.SCHOOL_BUS: [Category.TRAFFIC],
    Theme.CONSTRUCTION: [Category.BUILDING, Category.SURROUNDINGS],
    Theme.HIGH_RISE: [Category.BUILDING, Category.FIRE],
    Theme.ELECTRICAL_FIRE: [Category.ELECTRICAL, Category.FIRE],
}
PLACES = ["教学楼", "食堂", "宿舍", "操场", "实验室", "图书馆", "校门口", "配电房", "体育馆"]
# Per school and year: how many hazards beside the inspections' findings.
REPORTS_PER_SCHOOL = (14, 30)
YEAR = 365


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _reports_of_the_year(
    *,
    schools: list[int],
    staff: dict[int, list[tuple[int, int | None]]],
    officers: dict[int, int],
    centre_user: dict[int, int | None],
    bureau_user: int | None,
    today: date,
    rng: random.Random,
) -> list[Hazard]:
    """The hazards of the year before `today` that no inspection of the invented months found:
    the schools' self-checks and direct reports, the centres' screenings and the bureau's spot
    checks, each with its "created" event. Their deadline is the plan's, by grade, counted on
    the calendar, as `services.hazard_raise` sets it."""
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    themes = list(THEME_CATEGORIES)
    orgs = Org.objects.in_bulk(schools)
    rules: dict[int, Rules] = {}
    planned = []  # (hazard, actor, at)
    for org_id in schools:
        for _n in range(rng.randint(*REPORTS_PER_SCHOOL)):
            found_on = today - timedelta(days=rng.randint(1, YEAR))
            theme = rng.choice(themes) if rng.random() < 0.45 else ""
            category = (
                rng.choice(THEME_CATEGORIES[theme])
                if theme
                else rng.choices(categories, weights)[0]
            )
            major = rng.random() < 0.02
            source = rng.choices(
                [Source.SELF, Source.REPORT, Source.CENTRE, Source.BUREAU], [45, 25, 20, 10]
            )[0]
            users = [user for _person, user in staff.get(org_id, ()) if user is not None]
            actor = {
                Source.SELF: officers.get(org_id),
                Source.REPORT: rng.choice(users) if users else officers.get(org_id),
                Source.CENTRE: centre_user.get(org_id),
                Source.BUREAU: bureau_user,
            }[source]
            year_rules = rules.setdefault(found_on.year, Rules(on=found_on))
            rule = year_rules.get(DEADLINE_MAJOR if major else DEADLINE_GENERAL, org=orgs[org_id])
            place = rng.choice(PLACES)
            title = f"{place}{rng.choice(PHRASES[category])}"
            hazard = Hazard(
                org_id=org_id,
                source=source,
                title=title,
                description=title,
                category=category,
                theme=theme,
                grade=Grade.MAJOR if major else Grade.GENERAL,
                place=place,
                found_on=found_on,
                reported_by_id=actor,
                deadline=calendar.due(found_on, rule, org=orgs[org_id]),
                state=HazardState.REPORTED,
            )
            planned.append((hazard, actor, _at(found_on, rng.randint(8, 16))))
    hazards = Hazard.objects.bulk_create([h for h, _a, _t in planned], batch_size=1000)
    Event.objects.bulk_create(
        [
            Event(
                record_type=HAZARD.code, record_id=h.pk, name="created", from_state="",
                to_state=HazardState.REPORTED, actor_id=actor, at=at,
                data={"source": h.source, "origin": ""},
            )
            for h, (_h, actor, at) in zip(hazards, planned, strict=True)
        ],
        batch_size=1000,
    )  # fmt: skip
    return hazards


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    found_rows = Hazard.objects.filter(
        within_q(bureau, "org"), state=HazardState.REPORTED, origin_id__isnull=False
    ).order_by("pk")
    found = list(found_rows)
    # The day each was reported (an inspection submitted days after its visit): its life
    # starts then, so that the chronology never shows a step before the report.
    reported = {
        pk: timezone.localdate(at)
        for pk, at in Event.objects.filter(
            record_type=HAZARD.code, name="created", record_id__in=found_rows.values("pk")
        ).values_list("record_id", "at")
    }
    school_ids = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    schools = set(school_ids) | {h.org_id for h in found}
    if not schools:
        return
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
    hazards = found + _reports_of_the_year(
        schools=school_ids,
        staff=staff,
        officers=officers,
        centre_user={pk: centre_users.get(centre_of[pk] or 0) for pk in school_ids},
        bureau_user=bureau_user,
        today=today,
        rng=rng,
    )

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

    def escalated(h, state, deadline, until):
        """The escalation steps an overdue hazard took up to `until` (a step every 3 days:
        the principal, the centre, the bureau), each once."""
        overdue = (until - deadline).days
        if overdue <= 0:
            return
        steps = min(4, 1 + (overdue - 1) // 3)
        for step in range(1, steps + 1):
            day = deadline + timedelta(days=1 + 3 * (step - 1))
            event(h, "escalated", state, state, None, day, 7, data={"step": step})
        h.escalation = steps

    for h in hazards:
        people = staff.get(h.org_id)
        if not people:
            continue
        person, person_user = rng.choice(people)
        officer = officers.get(h.org_id)
        if not h.theme and rng.random() < 0.35 and h.category in THEMES:
            h.theme = rng.choice(THEMES[h.category])
        if rng.random() < 0.15 and h.category in KINDS:
            h.kind = rng.choice(KINDS[h.category])
        major = h.grade == Grade.MAJOR or rng.random() < 0.03
        deadline = h.deadline or h.found_on + timedelta(days=30)
        h.responsible_id = person
        h.measures = rng.choice(MEASURES)
        h.fund_estimate = rng.choice([None, 0, 200, 1500, 8000])
        assign_day = max(h.found_on, reported.get(h.pk, h.found_on)) + timedelta(
            days=rng.randint(1, 2)
        )
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
        # Most are fixed before the deadline; one in twelve runs late and climbs the ladder:
        # fixed at last some days or weeks after it, or, when that day has not come yet,
        # still open and overdue.
        late = rng.random() < 0.08
        span = max(1, (deadline - start_day).days)
        fix_day = start_day + timedelta(days=rng.randint(0, span))
        if late:
            fix_day = deadline + timedelta(days=rng.randint(4, 60))
        if fix_day >= today - timedelta(days=1):
            escalated(h, state, deadline, today)
            h.state = state
            continue
        escalated(h, state, deadline, fix_day)
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
