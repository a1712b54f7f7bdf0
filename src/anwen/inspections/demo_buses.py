"""Demo history of each centre's monthly school-bus inspection (SM8.4): in most of the last
three months every centre with schools that run buses (the condition the plan's bus duties
name, `buses.runs_buses`) inspected the buses of one of them with the police and the
transport authority on the standard 校车安全检查表; some items failed, each a finding and a
hazard of the "school buses" campaign; each inspection fulfils the centre's month. Written
as the inspections demo writes its history: rows and records in bulk, hazards through the
hazards engine's bulk raise."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anwen.inspections import services
from anwen.inspections.models import (
    Answer,
    ChecklistTemplate,
    Finding,
    Inspection,
    Level,
    Purpose,
    Result,
    Status,
)
from anwen.obligations.registry import conditions
from anwen.obligations.services import records_bulk_add
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q

MONTHS = 3
DONE = 0.85  # chance a centre held a month's inspection
FAULTS = [
    "安全锤缺失1把",
    "灭火器压力不足",
    "急救箱部分药品过期",
    "卫星定位装置信号中断",
    "校车标牌即将到期，未申请换发",
    "随车照管人员清点记录不全",
    "行驶记录显示有超速记录",
]
RUNS_BUSES = "buses.runs_buses"


def _month_starts(today: date) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for _ in range(MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return sorted(starts)


def load_bus_inspections(*, bureau: Org, today: date, rng: random.Random) -> int:
    condition = conditions().get(RUNS_BUSES)
    template = ChecklistTemplate.objects.filter(owner=bureau, code="bus-monthly").first()
    version = services.current_version(template) if template else None
    if condition is None or version is None:
        return 0
    items = list(version.items.order_by("sort_order", "pk"))
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("parent")
        .order_by("path")
    )
    running = set(condition.orgs([s.pk for s in schools]))
    by_centre: dict[int, list[Org]] = defaultdict(list)
    for school in schools:
        parent = school.parent
        if school.pk in running and parent is not None and parent.kind == OrgKind.CENTRE:
            by_centre[parent.pk].append(school)
    agencies = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.AGENCY, is_active=True)
        .filter(name__regex=r"公安|交通")
        .order_by("path")
    )
    officers = dict(
        RoleAssignment.objects.filter(
            org_id__in=list(by_centre), role=RoleName.CENTRE_OFFICER, user__is_active=True
        )
        .order_by("-pk")
        .values_list("org_id", "user_id")
    )
    tz = timezone.get_current_timezone()
    made: list[Inspection] = []
    fails: list[tuple[Inspection, Answer]] = []
    for centre_id, members in sorted(by_centre.items()):
        for first in _month_starts(today):
            if rng.random() > DONE:
                continue
            day = first + timedelta(days=rng.randint(3, 24))
            while day.weekday() > 4:
                day -= timedelta(days=1)
            at = datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=tz)
            by = officers.get(centre_id)
            inspection = Inspection.objects.create(
                org=rng.choice(members),
                level=Level.JOINT,
                lead_org_id=centre_id,
                purpose=Purpose.BUS_MONTHLY,
                version=version,
                inspected_on=day,
                status=Status.SUBMITTED,
                summary="会同公安交警、交通部门开展校车安全月检",
                created_by_id=by,
                submitted_by_id=by,
                submitted_at=at,
            )
            inspection.invited.set(agencies)
            failed = set(rng.sample(items, k=rng.choices([0, 1, 2], weights=[55, 35, 10])[0]))
            answers = Answer.objects.bulk_create(
                [
                    Answer(
                        inspection=inspection,
                        item=item,
                        result=Result.FAIL if item in failed else Result.PASS,
                        note=rng.choice(FAULTS) if item in failed else "",
                    )
                    for item in items
                ]
            )
            fails += [(inspection, a) for a in answers if a.result == Result.FAIL]
            made.append(inspection)
    findings = Finding.objects.bulk_create(
        [
            Finding(
                inspection=inspection,
                answer=answer,
                org_id=inspection.org_id,
                level=Level.JOINT,
                category=answer.item.category,
                description=services.finding_text(answer.item.text, answer.note),
            )
            for inspection, answer in fails
        ]
    )
    _raise_bus_hazards(findings, [a.pk for a in agencies])
    records_bulk_add(
        {
            "kind": services.LEAD_RECORD_KINDS[Purpose.BUS_MONTHLY],
            "org_id": i.lead_org_id,
            "occurred_on": i.inspected_on,
            "submitted_at": i.submitted_at,
            "by_id": i.submitted_by_id,
            "source": i,
        }
        for i in made
    )
    return len(made)


def _raise_bus_hazards(findings: list[Finding], agency_ids: list[int]) -> None:
    from anwen.hazards.bulk import raise_in_bulk
    from anwen.hazards.models import Hazard

    if not findings:
        return
    origins = raise_in_bulk(
        (
            {
                "org_id": f.org_id,
                "source": services.hazard_source(f, from_checklist=True),
                "title": f.description,
                "category_text": f.category,
                "place": "",
                "area_id": None,
                "found_on": f.inspection.inspected_on,
                "origin_type": "inspections.finding",
                "origin_id": f.pk,
                "reported_by_id": f.inspection.submitted_by_id,
                "at": f.inspection.submitted_at,
                "grant_org_ids": agency_ids,
            }
            for f in findings
        ),
        at=timezone.now(),
    )
    # The campaign of SM4.3: the bulk raise leaves the theme to its caller.
    Hazard.objects.filter(pk__in=list(origins.values())).update(theme="school_bus")
    for f in findings:
        f.hazard_id = origins.get(f.pk)
    Finding.objects.bulk_update(findings, ["hazard_id"], batch_size=500)
