"""The demo district's fire safety: the self-checks, the equipment and the high-risk schools'
assessments.

Fire self-checks: the last semester (most schools done on time, a few
late, a few missing) and the current one (most done, some forms awaited, some checks not done
yet). Each check is an inspection on the bureau's standard fire self-check list, with answers,
a few failed items and their findings.

Bulk inserts only: no services, no per-row audit (one event for the whole load). The signed
forms of the history are marked received without a scan attached.

Fire equipment (SM7.2): extinguishers by the building, indoor hydrants, the alarm system and
emergency lighting of the larger schools, sprinklers in the largest; serviced by four local
firms, most within the plan's year, some due within weeks, some overdue, a few extinguishers
past their scrap date. High-risk schools (SM7.3, by the plan's conditions: boarding schools,
large kindergartens): last year's assessment, and this year's for most of them; a few missing."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anwen import audit, calendar
from anwen.fire.models import FireSelfCheck
from anwen.fire.selectors import Rules
from anwen.fire.services import PURPOSE, RECORD_KIND
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q

TEMPLATE_CODE = "fire-self-check"

# Share of schools per outcome: (on time, late, awaiting form, in progress); the rest have no
# check (missing once the semester is over, "not started" while it runs).
PAST = (0.88, 0.07, 0.0, 0.01)
CURRENT = (0.58, 0.07, 0.08, 0.05)

PROBLEMS = [
    ("教学楼二楼走廊", "灭火器压力表指针处于红区，需重新充装"),
    ("学生宿舍", "宿舍内发现学生私接电源线、使用大功率电器"),
    ("食堂后厨", "燃气报警器未通电，油烟管道未按期清洗"),
    ("实验室", "危化品柜未双人双锁，台账未及时登记"),
    ("教学楼一楼", "安全出口指示标志不亮"),
    ("图书室", "应急照明灯蓄电池失效"),
    ("配电房", "配电箱周围堆放杂物"),
    ("车棚", "电动车在楼道内停放充电"),
    ("消防通道", "消防车通道被车辆占用"),
    ("办公楼", "室内消火栓箱内水带缺失"),
]


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _template_version(bureau: Org):
    from anwen.inspections.models import ChecklistTemplate, ChecklistVersion

    template = ChecklistTemplate.objects.filter(owner=bureau, code=TEMPLATE_CODE).first()
    if template is None:
        from anwen.inspections.services import standard_templates_load

        standard_templates_load(owner=bureau)
        template = ChecklistTemplate.objects.get(owner=bureau, code=TEMPLATE_CODE)
    return (
        ChecklistVersion.objects.filter(template=template, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    _load_self_checks(bureau=bureau, today=today, rng=rng)
    _load_equipment(bureau=bureau, today=today, rng=rng)


def _load_self_checks(*, bureau: Org, today: date, rng: random.Random) -> None:
    from anwen.accounts.models import User
    from anwen.inspections.models import Answer, Finding, Inspection
    from anwen.obligations.services import records_bulk_add

    semesters = list(calendar.semesters_between(today - timedelta(days=300), today, org=bureau))
    semesters = [s for s in semesters if s.start <= today][-2:]
    if not semesters:
        return
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school__legal_representative")
        .order_by("path")
    )
    officers = dict(
        RoleAssignment.objects.filter(
            org__in=schools, role__in=[RoleName.SAFETY_OFFICER, RoleName.PRINCIPAL]
        )
        .order_by("role")
        .values_list("org_id", "user_id")
    )
    fallback = (
        User.objects.filter(within_q(bureau, "role_assignments__org"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if fallback is None or not schools:
        return  # a district without any account: nobody could have recorded a check
    version = _template_version(bureau)
    items = list(version.items.order_by("sort_order", "pk"))
    rule = Rules(on=today).of(bureau)

    planned = []  # (school, semester, outcome, checked_on, received_at)
    for semester in semesters:
        running = semester.end >= today
        shares = CURRENT if running else PAST
        last = min(semester.end, today - timedelta(days=1))
        for school in schools:
            roll = rng.random()
            outcome = (
                "on_time"
                if roll < shares[0]
                else "late"
                if roll < sum(shares[:2])
                else "awaiting"
                if roll < sum(shares[:3])
                else "in_progress"
                if roll < sum(shares)
                else None
            )
            if outcome is None:
                continue
            span = (last - semester.start).days
            if span < 1:
                continue
            checked_on = semester.start + timedelta(days=rng.randint(3, max(3, span)))
            checked_on = min(checked_on, last)
            due = calendar.due(checked_on, rule.deadline, org=bureau)
            received = None
            if outcome == "on_time":
                day = checked_on + timedelta(days=rng.randint(0, max(0, (due - checked_on).days)))
                received = _moment(day, rng) if day < today else None
            elif outcome == "late":
                day = due + timedelta(days=rng.randint(1, 12))
                received = _moment(day, rng) if day < today else None
            if outcome in ("on_time", "late") and received is None:
                outcome = "awaiting"
            planned.append((school, semester, outcome, checked_on, due, received))

    inspections = []
    for school, _semester, outcome, checked_on, _due, _received in planned:
        by = officers.get(school.pk, fallback)
        submitted = outcome != "in_progress"
        inspections.append(
            Inspection(
                org=school,
                level="self",
                lead_org=school,
                purpose=PURPOSE,
                version=version,
                inspected_on=checked_on,
                status="submitted" if submitted else "draft",
                created_by_id=by,
                submitted_by_id=by if submitted else None,
                submitted_at=_moment(checked_on, rng) if submitted else None,
            )
        )
    Inspection.objects.bulk_create(inspections, batch_size=1000)

    answers, fails = [], []
    for inspection in inspections:
        failing = set(
            rng.sample(range(len(items)), k=min(len(items), rng.choice([0, 0, 1, 1, 1, 2, 2, 3])))
        )
        answered = (
            items if inspection.status == "submitted" else items[: rng.randint(0, len(items))]
        )
        for index, item in enumerate(answered):
            answer = Answer(
                inspection=inspection, item=item, result="fail" if index in failing else "pass"
            )
            answers.append(answer)
            if index in failing:
                fails.append((inspection, answer, rng.choice(PROBLEMS)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    Finding.objects.bulk_create(
        [
            Finding(
                inspection=inspection,
                answer=answer,
                org_id=inspection.org_id,
                level="self",
                category=answer.item.category,
                description=problem,
                location=place,
            )
            for inspection, answer, (place, problem) in fails
            if inspection.status == "submitted"
        ],
        batch_size=2000,
    )

    checks = []
    for (school, semester, _outcome, checked_on, due, received), inspection in zip(
        planned, inspections, strict=True
    ):
        representative = school.school.legal_representative if hasattr(school, "school") else None
        checks.append(
            FireSelfCheck(
                org=school,
                semester=semester,
                inspection=inspection,
                checked_on=checked_on,
                form_due=due,
                form_received_at=received,
                received_by_id=inspection.created_by_id if received else None,
                legal_representative=representative.name if representative else "",
                created_by_id=inspection.created_by_id,  # type: ignore[misc]  # the demo's are set
            )
        )
    FireSelfCheck.objects.bulk_create(checks, batch_size=1000)
    records_bulk_add(
        {
            "kind": RECORD_KIND,
            "org_id": i.org_id,
            "subject_id": 0,
            "occurred_on": i.inspected_on,
            "submitted_at": i.submitted_at,
            "by_id": i.submitted_by_id,
            "source": i,
        }
        for i in inspections
        if i.status == "submitted"
    )
    audit.record(
        actor=None,
        action="fire.demo.loaded",
        org=bureau,
        data={
            "semesters": [s.title for s in semesters],
            "checks": len(checks),
            "received": sum(1 for c in checks if c.form_received_at),
        },
    )


# --- fire equipment and the high-risk schools' assessments ---------------------------------------

# Local fire-service firms (invented) and their qualification numbers.
FIRMS = [
    ("重庆永安消防设施维保有限公司", "渝消技服〔2022〕第0117号"),
    ("永川区天平消防工程有限公司", "渝消技服〔2021〕第0093号"),
    ("重庆渝西消防技术服务有限公司", "渝消技服〔2023〕第0208号"),
    ("重庆茶竹消防安全技术服务有限公司", "渝消技服〔2020〕第0051号"),
]
ASSESSORS = [
    ("重庆安评消防技术服务有限公司", "渝消评〔2023〕第0042号"),
    ("重庆渝西消防技术服务有限公司", "渝消评〔2022〕第0019号"),
]
BUILDINGS = ["教学楼", "综合楼", "食堂", "宿舍楼", "办公楼", "实验楼", "图书馆"]
EXTINGUISHERS = ["MFZ/ABC4 干粉 4kg", "MFZ/ABC5 干粉 5kg", "MT3 二氧化碳 3kg"]
GRADES = ["low"] * 6 + ["medium"] * 3 + ["high"]


def _serviced(today: date, rng: random.Random) -> date:
    """A last service: mostly within the year, about one in ten more than a year ago
    (overdue), some eleven months ago (due within weeks)."""
    roll = rng.random()
    back = (
        rng.randint(366, 420)
        if roll < 0.08
        else rng.randint(336, 365)
        if roll < 0.18
        else rng.randint(20, 330)
    )
    return today - timedelta(days=back)


def _equipment_of(school: Org, today: date, rng: random.Random) -> list[dict]:
    profile = getattr(school, "school", None)
    enrolment = profile.enrolment if profile else 200
    buildings = BUILDINGS[: max(1, min(len(BUILDINGS), enrolment // 400 + 1))]
    if profile and profile.boarding and "宿舍楼" not in buildings:
        buildings = [*buildings, "宿舍楼"]
    firm = rng.choice(FIRMS)
    rows = []
    for number, building in enumerate(buildings, start=1):
        made = today.year - rng.randint(0, 9)
        expires = date(made + 10, rng.randint(1, 12), 28)
        if rng.random() < 0.04:
            expires = today - timedelta(days=rng.randint(5, 200))  # past the scrap date
        rows.append(
            {
                "kind": "extinguisher",
                "code": f"MHQ-{number:02d}",
                "place": f"{building}各楼层走廊",
                "count": rng.randint(6, 24),
                "model_type": rng.choice(EXTINGUISHERS),
                "expires_on": expires,
            }
        )
        if enrolment >= 300:
            rows.append(
                {
                    "kind": "hydrant",
                    "code": f"XHS-{number:02d}",
                    "place": f"{building}楼梯间",
                    "count": rng.randint(2, 8),
                    "model_type": "SN65 室内消火栓",
                }
            )
    if enrolment >= 500 or (profile and profile.boarding):
        rows.append(
            {
                "kind": "alarm",
                "code": "HZBJ-01",
                "place": "消防控制室",
                "count": 1,
                "model_type": "JB-QB 火灾报警控制器",
            }
        )
    rows.append(
        {
            "kind": "lighting",
            "code": "YJZM-01",
            "place": "全校疏散通道",
            "count": rng.randint(10, 60),
            "model_type": "集中电源型应急照明",
        }
    )
    if enrolment >= 2000:
        rows.append(
            {
                "kind": "sprinkler",
                "code": "PL-01",
                "place": "宿舍楼及食堂",
                "count": 1,
                "model_type": "湿式自动喷水灭火系统",
            }
        )
    for row in rows:
        row.update(
            maintained_by=firm[0],
            firm_qualification=firm[1],
            last_serviced_on=_serviced(today, rng),
        )
    return rows


def _load_equipment(*, bureau: Org, today: date, rng: random.Random) -> None:
    from anwen.fire.equipment import add_months, is_high_risk, service_months
    from anwen.fire.models import FireEquipment, FireRiskAssessment
    from anwen.fire.rules import ASSESSMENT_MONTHS
    from anwen.obligations.plans import Rules as PlanRules

    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school")
        .order_by("path")
    )
    plan = PlanRules(on=today)
    items = []
    for school in schools:
        for row in _equipment_of(school, today, rng):
            months = service_months(row["kind"], org=school, today=today, plan=plan)
            items.append(
                FireEquipment(
                    org=school,
                    service_due=add_months(row["last_serviced_on"], months),
                    **row,
                )
            )
    FireEquipment.objects.bulk_create(items, batch_size=1000)

    assessments = []
    high_risk = [s for s in schools if is_high_risk(s, plan=plan)]
    for school in high_risk:
        months = int(plan.get(ASSESSMENT_MONTHS, org=school))
        firm = rng.choice(ASSESSORS)
        last_year = date(today.year - 1, rng.randint(3, 11), rng.randint(1, 28))
        years = [last_year]
        if rng.random() < 0.85:  # this year's done; the rest are missing
            this_year = date(today.year, rng.randint(3, 11), rng.randint(1, 28))
            if this_year < today:
                years.append(this_year)
        for day in years:
            assessments.append(
                FireRiskAssessment(
                    org=school,
                    year=day.year,
                    assessed_on=day,
                    firm=firm[0],
                    firm_qualification=firm[1],
                    grade=rng.choice(GRADES),
                    report_no=f"XFPG-{day.year}-{school.pk:04d}",
                    next_due=add_months(day, months),
                )
            )
    FireRiskAssessment.objects.bulk_create(assessments, batch_size=1000)
    audit.record(
        actor=None,
        action="fire.demo.equipment_loaded",
        org=bureau,
        data={
            "equipment": len(items),
            "high_risk": len(high_risk),
            "assessed_this_year": sum(1 for a in assessments if a.year == today.year),
        },
    )
