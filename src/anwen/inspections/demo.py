"""Demo history of the inspections engine: the bureau's standard checklists, a campus grid for
every school (4–10 areas with owners among its staff), three months of daily area checks on
working days, the safety office's weekly and the leadership's monthly checks, a handful of
centre screenings and bureau spot checks, and two joint inspections with the police.

Most schools keep up; some are often late; a few skip many days, so the board's figures are not
all 100%. Failed items become findings. Bulk only: rows go in with one statement per chunk,
obligation records through `records_bulk_add`, no per-row services or audit.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from anwen import audit, calendar
from anwen.inspections import services, standard
from anwen.inspections.demo_buses import load_bus_inspections
from anwen.inspections.models import (
    Accountability,
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Finding,
    GridArea,
    Inspection,
    Level,
    Purpose,
    Result,
    Status,
)
from anwen.obligations.bulk import insert_rows
from anwen.obligations.services import records_bulk_add
from anwen.orgs.models import Org, OrgKind, Person, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q

HISTORY_DAYS = 91

# (share of schools, chance a day's check is done, chance a done check was entered late)
PROFILES = {
    "steady": (0.82, 0.985, 0.02),
    "late": (0.12, 0.92, 0.35),
    "lax": (0.06, 0.60, 0.30),
}
FAIL_RATE = 0.012  # per answered item of a daily check: about one check in ten finds something
NOTES = [
    "现场检查发现问题，已拍照留存",
    "已通知总务处维修",
    "已要求责任人当日整改",
    "部分不符合要求，需整改",
    "已设置临时警示，待维修",
    "已上报学校安全办",
]
FREE_FINDINGS = [
    ("消防安全", "教学楼二楼东侧疏散通道堆放课桌椅", "教学楼"),
    ("消防安全", "食堂操作间灭火器压力不足", "食堂"),
    ("校舍安全", "围墙西北角出现裂缝，长约2米", "围墙"),
    ("人防技防", "校门口防冲撞升降柱无法升起", "校门"),
    ("交通安全", "校门口上下学时段车辆乱停乱放", "校门口"),
    ("食品安全", "食品留样记录不全，缺少两餐记录", "食堂"),
    ("用电安全", "学生宿舍发现违规使用电热毯", "学生宿舍"),
    ("周边环境", "校园周边有无证摊点售卖三无食品", "校园周边"),
]
ACCOUNTABILITY = [
    ("interview", "日查长期缺漏、隐患整改不及时，约谈学校校长，限期整改。"),
    ("warning", "联合检查发现消防通道堵塞问题屡查屡犯，予以警示。"),
    ("notice", "专项抽查发现食品留样制度未落实，予以通报批评。"),
    ("commendation", "网格化管理扎实，日周月排查全部按时完成，予以通报表扬。"),
]

# Areas of a campus: (name, kind, owner positions in order of preference), by what the school has.
BASE_AREAS = [
    ("校门", "gate", ("guard", "gatekeeper")),
    ("操场", "playground", ("pe_teacher", "teacher", "class_teacher")),
    ("校园周边", "surroundings", ("safety_officer", "vice_principal_safety")),
]
FLOORS = ["教学楼一楼", "教学楼二楼", "教学楼三楼", "教学楼四楼"]
EXTRA_AREAS = [
    ("办公楼", "building", ("office_director", "teacher")),
    ("综合楼", "building", ("logistics_director", "teacher")),
]


def _moment(day: date, rng: random.Random, tz, *, late: bool = False) -> datetime:
    if late:
        day = day + timedelta(days=rng.randint(1, 3))
    return datetime.combine(day, time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=tz)


def _profiles(school_ids: list[int], rng: random.Random) -> dict[int, tuple[float, float]]:
    shuffled = list(school_ids)
    rng.shuffle(shuffled)
    out, index = {}, 0
    for name in ("late", "lax"):
        share, done, late = PROFILES[name]
        n = max(1, round(share * len(shuffled)))
        for sid in shuffled[index : index + n]:
            out[sid] = (done, late)
        index += n
    for sid in shuffled[index:]:
        out[sid] = PROFILES["steady"][1:]
    return out


def _current(templates: dict[str, ChecklistTemplate]) -> dict[str, ChecklistVersion]:
    out = {}
    for code, template in templates.items():
        version = services.current_version(template)
        if version is not None:
            out[code] = version
    return out


def _plan_areas(
    school: Org, staff: dict[str, list[int]], has_user: set[int], rng: random.Random
) -> list[tuple[str, str, int]]:
    """(name, kind, owner person id) for one school: floors, gate, playground, surroundings,
    plus canteen and dormitory at boarding schools and a lab where there is a lab keeper."""
    everyone = sorted({p for people in staff.values() for p in people})
    if not everyone:
        return []
    profile = getattr(school, "school", None)
    big = profile is not None and profile.enrolment >= 600
    planned: list[tuple[str, str, tuple[str, ...]]] = []
    floors = FLOORS[: rng.randint(2, 4) if big else rng.randint(1, 2)]
    planned += [
        (name, "floor", ("class_teacher", "teacher", "kindergarten_teacher")) for name in floors
    ]
    planned += BASE_AREAS
    if profile is not None and profile.boarding:
        planned += [
            ("食堂", "canteen", ("canteen_manager", "logistics_director")),
            ("学生宿舍", "dorm", ("dorm_manager", "class_teacher")),
        ]
    elif rng.random() < 0.5:
        planned.append(("食堂", "canteen", ("canteen_manager", "logistics_director", "teacher")))
    if staff.get("lab_keeper") or (big and rng.random() < 0.5):
        planned.append(("实验室", "lab", ("lab_keeper", "teacher")))
    while len(planned) < 4:
        planned.append(EXTRA_AREAS[len(planned) % 2])
    planned = planned[:10]

    used: set[int] = set()
    out = []
    for name, kind, positions in planned:
        candidates = [p for code in positions for p in staff.get(code, [])] or everyone
        # Accounts first, so that a demo login owns something; then anyone not yet an owner.
        fresh = [p for p in candidates if p not in used]
        pool = fresh or candidates
        with_account = [p for p in pool if p in has_user]
        owner = with_account[0] if with_account else rng.choice(pool)
        used.add(owner)
        out.append((name, kind, owner))
    return out


def _answer_everything(*, after: int) -> int:
    """Answer every item of every submitted inspection made after primary key `after` as
    passed, in one INSERT … SELECT: the database pairs inspections with their items itself,
    which is several times faster than sending 600,000 rows from Python. Returns the count."""
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    answer, inspection, item = Answer._meta, Inspection._meta, ChecklistItem._meta
    # Only the models' own table and column names go into the text; values are parameters.
    sql = (
        f"INSERT INTO {quote(answer.db_table)} ({column(Answer, 'inspection')}, "  # noqa: S608
        f"{column(Answer, 'item')}, {column(Answer, 'result')}, {column(Answer, 'note')}) "
        f"SELECT i.{column(Inspection, 'id')}, it.{column(ChecklistItem, 'id')}, %s, %s "
        f"FROM {quote(inspection.db_table)} i JOIN {quote(item.db_table)} it "
        f"ON it.{column(ChecklistItem, 'version')} = i.{column(Inspection, 'version')} "
        f"WHERE i.{column(Inspection, 'id')} > %s AND i.{column(Inspection, 'status')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Result.PASS, "", after, Status.SUBMITTED])
        return cursor.rowcount


def _fail(rows: list[tuple[str, int, int]]) -> None:
    """Turn the answers (note, inspection id, item id) into failures."""
    quote = connection.ops.quote_name
    table = quote(Answer._meta.db_table)
    sql = (
        f"UPDATE {table} SET {quote('result')} = %s, {quote('note')} = %s "  # noqa: S608
        f"WHERE {quote('inspection_id')} = %s AND {quote('item_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(Result.FAIL, note, pk, item) for note, pk, item in rows])


def _stub(pk: int) -> Inspection:
    """An Inspection that only knows its primary key: all a record's source needs, without
    the cost of a model's __init__ for every one of ~80,000 rows."""
    stub = Inspection.__new__(Inspection)
    stub.id = pk
    return stub


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    tz = timezone.get_current_timezone()
    start = today - timedelta(days=HISTORY_DAYS)
    templates = {t.code: t for t in services.standard_templates_load(owner=bureau)}
    versions = _current(templates)
    items_of = defaultdict(list)
    for current in versions.values():
        items_of[current.pk] = list(current.items.order_by("sort_order", "pk"))

    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school", "parent")
        .order_by("path")
    )
    if not schools:
        return
    by_pk = {s.pk: s for s in schools}
    staff: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for person_id, org_id, code in (
        Person.positions.through.objects.filter(person__org__in=schools, person__is_active=True)
        .order_by("person_id")
        .values_list("person_id", "person__org_id", "position__code")
    ):
        staff[org_id][code].append(person_id)
    has_user = set(
        Person.objects.filter(org__in=schools, user__isnull=False).values_list("pk", flat=True)
    )
    users_of_person = dict(
        Person.objects.filter(org__in=schools, user__isnull=False).values_list("pk", "user_id")
    )
    role_users: dict[tuple[int, str], int] = {}
    for org_id, role, user_id in (
        RoleAssignment.objects.filter(within_q(bureau, "org"))
        .order_by("pk")
        .values_list("org_id", "role", "user_id")
    ):
        role_users.setdefault((org_id, role), user_id)

    # --- the grid ---
    areas = []
    for school in schools:
        for index, (name, kind, owner) in enumerate(
            _plan_areas(school, staff[school.pk], has_user, rng)
        ):
            code = standard.AREA_LISTS.get(kind, "area-daily")
            template = templates.get(code) or templates.get("area-daily")
            if template is None:
                template = next(t for t in templates.values() if t.purpose == Purpose.AREA_DAILY)
            areas.append(
                GridArea(
                    org=school,
                    name=name,
                    kind=kind,
                    owner_id=owner,
                    checklist=template,
                    since=start - timedelta(days=30),
                    sort_order=index,
                )
            )
    GridArea.objects.bulk_create(areas, batch_size=2000)
    areas = list(
        GridArea.objects.filter(org__in=schools)
        .select_related("checklist")
        .order_by("org__path", "sort_order")
    )

    profiles = _profiles([s.pk for s in schools], rng)
    working = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    working = [d for d in working if calendar.is_working_day(d, org=bureau)]
    now = timezone.now()

    # --- daily area checks ---
    daily_rows: list[tuple] = []
    for area in areas:
        done_share, late_share = profiles[area.org_id]
        version = versions.get(area.checklist.code)
        if version is None:
            continue
        owner_user = users_of_person.get(area.owner_id)
        for day in working:
            if day == today:
                # Today: about half the owners have been round already.
                if rng.random() < 0.5:
                    continue
            elif rng.random() > done_share:
                continue
            late = day < today and rng.random() < late_share
            submitted = _moment(day, rng, tz, late=late)
            if submitted > now:
                submitted = now
            daily_rows.append(
                (
                    area.org_id,
                    Level.SELF,
                    area.org_id,
                    Purpose.AREA_DAILY,
                    version.pk,
                    area.pk,
                    day,
                    Status.SUBMITTED,
                    "",
                    owner_user,
                    submitted,
                    owner_user,
                    submitted,
                )
            )
    fields = (
        "org_id",
        "level",
        "lead_org_id",
        "purpose",
        "version_id",
        "area_id",
        "inspected_on",
        "status",
        "summary",
        "created_by_id",
        "created_at",
        "submitted_by_id",
        "submitted_at",
    )
    before = Inspection.objects.aggregate(n=Max("pk"))["n"] or 0
    insert_rows(Inspection, fields, daily_rows)

    # --- weekly and monthly checks of each school ---
    other_rows: list[tuple] = []
    weeks = sorted({d - timedelta(days=d.weekday()) for d in working if d < today})
    months = sorted({d.replace(day=1) for d in working if d < today})
    for school in schools:
        done_share, late_share = profiles[school.pk]
        officer = role_users.get((school.pk, RoleName.SAFETY_OFFICER))
        principal = role_users.get((school.pk, RoleName.PRINCIPAL)) or officer
        for purpose, periods, who, code in (
            (Purpose.OFFICE_WEEKLY, weeks, officer, "office-weekly"),
            (Purpose.LEADERSHIP_MONTHLY, months, principal, "leadership-monthly"),
        ):
            version = versions.get(code)
            if version is None:
                continue
            for first in periods:
                if rng.random() > done_share:
                    continue
                days = [
                    d
                    for d in working
                    if first <= d < today
                    and (
                        d < first + timedelta(days=7)
                        if purpose == Purpose.OFFICE_WEEKLY
                        else d.month == first.month
                    )
                ]
                if not days:
                    continue
                day = rng.choice(days[:3])
                submitted = min(_moment(day, rng, tz, late=rng.random() < late_share), now)
                other_rows.append(
                    (
                        school.pk,
                        Level.SELF,
                        school.pk,
                        purpose,
                        version.pk,
                        None,
                        day,
                        Status.SUBMITTED,
                        "",
                        who,
                        submitted,
                        who,
                        submitted,
                    )
                )

    # --- from above: centre screenings, bureau spot checks, joint inspections ---
    centres = defaultdict(list)
    for school in schools:
        if school.parent and school.parent.kind == OrgKind.CENTRE:
            centres[school.parent.pk].append(school)
    past = [d for d in working if d < today - timedelta(days=3)]
    supervised: list[
        tuple[Org, str, int, Purpose, date]
    ] = []  # (school, level, lead, purpose, day)
    for centre_id, members in sorted(centres.items()):
        for school in rng.sample(members, k=min(len(members), 2)):
            supervised.append(
                (school, Level.CENTRE, centre_id, Purpose.SCREENING, rng.choice(past))
            )
    for school in rng.sample(schools, k=min(len(schools), 12)):
        supervised.append((school, Level.BUREAU, bureau.pk, Purpose.SPOT, rng.choice(past)))
    police = (
        Org.objects.filter(within_q(bureau), kind=OrgKind.AGENCY, name__contains="公安")
        .order_by("path")
        .first()
        or Org.objects.filter(within_q(bureau), kind=OrgKind.AGENCY).order_by("path").first()
    )
    joint_schools = rng.sample(schools, k=min(len(schools), 2)) if police else []
    for index, school in enumerate(joint_schools):
        supervised.append(
            (
                school,
                Level.JOINT,
                bureau.pk,
                Purpose.JOINT,
                rng.choice(past[-20:]) if index == 0 else today,
            )
        )
    code_of = {Purpose.SCREENING: "centre-screening", Purpose.SPOT: "spot", Purpose.JOINT: "joint"}
    bureau_user = role_users.get((bureau.pk, RoleName.BUREAU_OFFICER)) or role_users.get(
        (bureau.pk, RoleName.BUREAU_ADMIN)
    )
    for school, level, lead, purpose, day in supervised:
        version = (
            versions.get(code_of[purpose])
            or versions.get(purpose)
            or next((v for v in versions.values() if v.template.purpose == purpose), None)
        )
        if version is None:
            continue
        who = (
            role_users.get((lead, RoleName.CENTRE_OFFICER))
            if level == Level.CENTRE
            else bureau_user
        )
        draft = day == today
        finished = None if draft else min(_moment(day, rng, tz), now)
        other_rows.append(
            (
                school.pk,
                level,
                lead,
                purpose,
                version.pk,
                None,
                day,
                Status.DRAFT if draft else Status.SUBMITTED,
                "" if draft else "检查组按清单逐项检查，发现问题已当场反馈学校并要求限期整改。",
                who,
                finished or now,
                None if draft else who,
                finished,
            )
        )
    insert_rows(Inspection, fields, other_rows)

    # --- answers and findings ---
    inspections = list(
        Inspection.objects.filter(pk__gt=before)
        .order_by("pk")
        .values_list(
            "pk",
            "org_id",
            "version_id",
            "area_id",
            "level",
            "purpose",
            "status",
            "inspected_on",
            "submitted_at",
            "submitted_by_id",
        )
    )
    answers = _answer_everything(after=before)
    fails, partial = [], []
    for pk, _org, version_id, _area, level, _purpose, status, _day, _at, _by in inspections:
        items = items_of.get(version_id, [])
        if status != Status.SUBMITTED:
            # Still open: half the list answered so far.
            partial += [
                Answer(inspection_id=pk, item_id=i.pk, result=Result.PASS)
                for i in items[: len(items) // 2]
            ]
            continue
        fail_rate = FAIL_RATE if level == Level.SELF else 0.08
        fails += [(rng.choice(NOTES), pk, item.pk) for item in items if rng.random() < fail_rate]
    Answer.objects.bulk_create(partial)
    _fail(fails)
    answers += len(partial)

    meta = {
        pk: (org, level, area, status)
        for pk, org, _v, area, level, _p, status, *_rest in inspections
    }
    item_by_pk = {i.pk: i for items in items_of.values() for i in items}
    area_names = {a.pk: a.name for a in areas}
    findings: list[tuple] = []
    for answer_pk, inspection_pk, item_pk, note in (
        Answer.objects.filter(inspection_id__gt=before, result=Result.FAIL)
        .order_by("pk")
        .values_list("pk", "inspection_id", "item_id", "note")
    ):
        if inspection_pk not in meta:
            continue
        org, level, area_id, status = meta[inspection_pk]
        if status != Status.SUBMITTED:
            continue
        item = item_by_pk[item_pk]
        findings.append(
            (
                inspection_pk,
                answer_pk,
                org,
                level,
                item.category,
                services.finding_text(item.text, note),
                area_names.get(area_id, ""),
                now,
            )
        )
    for pk, org, _v, _area, level, _p, _status, _day, _at, _by in inspections:
        if level != Level.SELF:
            for category, text, place in rng.sample(FREE_FINDINGS, k=rng.randint(1, 3)):
                findings.append((pk, None, org, level, category, text, place, now))
    insert_rows(
        Finding,
        (
            "inspection_id",
            "answer_id",
            "org_id",
            "level",
            "category",
            "description",
            "location",
            "created_at",
        ),
        findings,
    )

    # Joint inspections invite the police; supervision has its inspectors.
    joint_pks = [pk for pk, _o, _v, _a, level, *_rest in inspections if level == Level.JOINT]
    if police is not None and joint_pks:
        Inspection.invited.through.objects.bulk_create(
            [Inspection.invited.through(inspection_id=pk, org_id=police.pk) for pk in joint_pks]
        )
    _findings_become_hazards(before, police, now)
    team = {
        school.pk: [
            p
            for code in ("safety_officer", "principal")
            for p in staff[school.pk].get(code, [])[:1]
        ]
        for school in schools
    }
    participants = [
        (pk, person)
        for pk, org, _v, area, level, purpose, *_rest in inspections
        if area is None and level == Level.SELF
        for person in team.get(org, [])
    ]
    insert_rows(Inspection.participants.through, ("inspection_id", "person_id"), participants)

    # A few decisions after the checks from above (OG2, SM2.5).
    decided = [row for row in inspections if row[4] != Level.SELF and row[6] == Status.SUBMITTED][
        : len(ACCOUNTABILITY)
    ]
    # The ids are set: a centre's school has its parent, and the condition drops no issuer.
    Accountability.objects.bulk_create(
        [
            Accountability(
                org_id=org,
                kind=kind,
                issued_on=day + timedelta(days=2),
                text=text,
                inspection_id=pk,
                issuer_id=bureau.pk if level != Level.CENTRE else by_pk[org].parent_id,
                issued_by_id=by or bureau_user,
            )  # type: ignore[misc]
            for (pk, org, _v, _a, level, _p, _s, day, _at, by), (kind, text) in zip(
                decided, ACCOUNTABILITY, strict=False
            )
            if (by or bureau_user) is not None and day + timedelta(days=2) <= today
        ]
    )

    # --- the records that fulfil the obligations ---
    records_bulk_add(
        {
            "kind": services.RECORD_KINDS[purpose],
            "org_id": org,
            "subject_id": area or 0,
            "occurred_on": day,
            "submitted_at": at,
            "by_id": by,
            "source": _stub(pk),
        }
        for pk, org, _v, area, _level, purpose, status, day, at, by in inspections
        if status == Status.SUBMITTED and purpose in services.RECORD_KINDS
    )
    audit.record(
        actor=None,
        action="inspections.demo.loaded",
        org=bureau,
        data={
            "areas": len(areas),
            "inspections": len(inspections),
            "answers": answers,
            "findings": len(findings),
        },
    )
    # Each centre's monthly school-bus inspection with police and transport (SM8.4).
    load_bus_inspections(bureau=bureau, today=today, rng=rng)


def _findings_become_hazards(before: int, police: Org | None, now) -> None:
    """Each finding of the history raises its hazard, as a submitted inspection does; the
    hazards app gives them their life (hazards.demo)."""
    from anwen.hazards.bulk import raise_in_bulk

    findings = list(
        Finding.objects.filter(inspection_id__gt=before, hazard_id__isnull=True)
        .select_related("inspection")
        .order_by("pk")
    )
    origins = raise_in_bulk(
        (
            {
                "org_id": f.org_id,
                "source": services.hazard_source(f, from_checklist=f.answer_id is not None),
                "title": f.description,
                "category_text": f.category,
                "place": f.location,
                "area_id": f.inspection.area_id,
                "found_on": f.inspection.inspected_on,
                "origin_type": "inspections.finding",
                "origin_id": f.pk,
                "reported_by_id": f.inspection.submitted_by_id or f.inspection.created_by_id,
                "at": f.inspection.submitted_at,
                "grant_org_ids": [police.pk]
                if police is not None and f.level == Level.JOINT
                else [],
            }
            for f in findings
        ),
        at=now,
    )
    for f in findings:
        f.hazard_id = origins.get(f.pk)
    Finding.objects.bulk_update(findings, ["hazard_id"], batch_size=500)
