"""Demo history of the duties app for every school under a bureau: the duty library, this
year's responsibility letters (most staff signed, a few schools lagging), the five-in-place
self-assessments of last year and this year, and a public commitment and a self-check record
per school in the last three months.

Bulk inserts only: no services, no per-row audit (one event for the whole load). Evidence is
one small stored PDF that the demo's evidence rows share: a school's compiled five-in-place
evidence, a school's scanned paper letters.
"""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from anwen import audit
from anwen.duties import library as standard
from anwen.duties.counts import recount
from anwen.duties.models import (
    Commitment,
    CommitmentKind,
    FiveInPlace,
    FiveInPlacePart,
    FiveStatus,
    Part,
    PositionDuty,
    Rating,
    ResponsibilityLetter,
    SignMethod,
)
from anwen.duties.selectors import due_dates
from anwen.duties.services import KIND_FIVE, KIND_LETTER, duty_library_load, record_kind
from anwen.evidence.models import EvidenceFile, FileKind
from anwen.orgs.models import Org, OrgKind, Person, Position, RoleAssignment, SchoolProfile
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q

HISTORY_DAYS = 91
# Share of schools by how well their staff sign: (share, lowest rate, highest rate).
SIGNING = [(0.82, 0.96, 1.0), (0.13, 0.90, 0.96), (0.05, 0.55, 0.85)]
PAPER_SHARE = 0.25  # at schools whose safety officer has an account, letters signed on paper

STATEMENTS = {
    Part.RESPONSIBILITY: [
        "成立以校长为组长的安全工作领导小组，逐级签订安全责任书，岗位安全职责清单覆盖全体教职工。",
        "落实“党政同责、一岗双责”，安全工作纳入教职工年度考核，责任分解到部门、岗位和个人。",
    ],
    Part.INVESTMENT: [
        "年度安全经费单列预算，完成视频监控和一键报警升级改造，消防器材按期更换。",
        "优先保障安防设施建设和隐患整改资金，本年度完成电气线路改造和消防设施维保。",
    ],
    Part.TRAINING: [
        "每学期开展全员消防安全培训和应急疏散演练，安全干部参加区级业务培训。",
        "邀请消防救援机构专业人员到校培训，组织保安开展防暴器械使用训练。",
    ],
    Part.MANAGEMENT: [
        "落实网格化管理和“日周月”隐患排查，隐患台账清晰，整改闭环。",
        "严格门卫登记、护学岗和宿舍巡查制度，“九个一”制度执行到位。",
    ],
    Part.RESCUE: [
        "修订突发事件应急预案，配齐应急物资，与属地派出所、卫生院建立联动机制。",
        "设立应急救援队伍，定期检查应急物资，演练后及时总结改进。",
    ],
}
WEAK = "部分工作仍需加强，已制定整改计划，明确责任人和完成时限。"

PUBLIC_TITLES = ["消防安全公示承诺", "校园安全公示承诺书", "学校消防安全责任公示承诺"]
PUBLIC_CONTENT = (
    "本校郑重承诺：严格落实消防安全主体责任，法定代表人为消防安全第一责任人；"
    "疏散通道、安全出口保持畅通；消防设施、器材完好有效；定期开展防火检查巡查，"
    "及时消除火灾隐患；每学期组织全员消防培训和疏散演练。欢迎师生和社会各界监督。"
)
PLACES = ["校门口公示栏", "教学楼一楼大厅公示栏", "学校门户网站及校门公示栏", "行政楼公示栏"]
SELF_CHECK_TITLES = ["火灾风险自知自查自改", "季度消防安全风险自查", "校园安全风险自查自改"]


def _pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), built by hand: small and valid."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


class _SharedFile:
    """One stored PDF that many demo evidence rows point at."""

    def __init__(self, slug: str, text: str):
        import hashlib

        self.data = _pdf(text)
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.name = default_storage.save(f"evidence/demo/{slug}.pdf", ContentFile(self.data))

    def row(self, *, org_id: int, name: str, by_id: int) -> EvidenceFile:
        row = EvidenceFile(
            org_id=org_id,
            kind=FileKind.PDF,
            name=name,
            size=len(self.data),
            sha256=self.sha256,
            uploaded_by_id=by_id,
        )
        row.file.name = self.name
        return row


def _at(day: date, rng: random.Random, first: int = 8, last: int = 21) -> datetime:
    moment = time(rng.randint(first, last), rng.randint(0, 59), rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, moment))


def _day_between(rng: random.Random, start: date, end: date, *, early: bool = False) -> date:
    span = max(0, (end - start).days)
    share = rng.betavariate(1.2, 3.5) if early else rng.random()
    return start + timedelta(days=min(span, int(share * (span + 1))))


def _signing_rate(rng: random.Random) -> float:
    roll, cumulative = rng.random(), 0.0
    for share, low, high in SIGNING:
        cumulative += share
        if roll < cumulative:
            return rng.uniform(low, high)
    return rng.uniform(*SIGNING[-1][1:])


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    from anwen.obligations.services import records_bulk_add

    year = today.year
    duty_library_load(owner=bureau)
    letter_due, five_due = due_dates(bureau.pk, year)
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True).order_by("path")
    )
    school_ids = [s.pk for s in schools]

    # Who holds which school role, for the uploads and the "recorded by" of the demo.
    roles: dict[tuple[int, str], int] = {}
    for org_id, role, user_id in (
        RoleAssignment.objects.filter(org_id__in=school_ids)
        .values_list("org_id", "role", "user_id")
        .order_by("pk")
    ):
        roles.setdefault((org_id, role), user_id)
    fallback_user = (
        RoleAssignment.objects.filter(within_q(bureau, "org"))
        .order_by("org__depth", "pk")
        .values_list("user_id", flat=True)
        .first()
    )
    # The demo's own teacher and guard accounts are left to sign by hand.
    by_hand = set(
        RoleAssignment.objects.filter(
            org_id__in=school_ids, role__in=[RoleName.TEACHER, RoleName.GUARD]
        ).values_list("user_id", flat=True)
    )

    rows: list[dict] = []
    letters = _letters(
        schools,
        year=year,
        today=today,
        due=letter_due,
        rng=rng,
        roles=roles,
        by_hand=by_hand,
        bureau=bureau,
    )
    rows += [
        {
            "kind": KIND_LETTER,
            "org_id": x.org_id,
            "subject_id": x.person_id,
            "occurred_on": x.signed_on,
            "submitted_at": x.signed_at,
            "by_id": x.signed_by_id,
            "source": x,
        }
        for x in letters
    ]
    assessments = _five(
        schools, today=today, due=five_due, rng=rng, roles=roles, fallback_user=fallback_user
    )
    rows += [
        {
            "kind": KIND_FIVE,
            "org_id": a.org_id,
            "subject_id": 0,
            "occurred_on": timezone.localtime(a.submitted_at).date(),
            "submitted_at": a.submitted_at,
            "by_id": a.submitted_by_id,
            "source": a,
        }
        for a in assessments
        if a.status == FiveStatus.SUBMITTED
    ]
    commitments = _commitments(schools, today=today, rng=rng, roles=roles)
    rows += [
        {
            "kind": record_kind(c.kind),
            "org_id": c.org_id,
            "subject_id": 0,
            "occurred_on": c.date,
            "submitted_at": c.recorded_at,
            "by_id": c.recorded_by_id,
            "source": c,
        }
        for c in commitments
    ]
    records_bulk_add(rows)
    audit.record(
        actor=None,
        action="duties.demo.loaded",
        org=bureau,
        data={
            "schools": len(schools),
            "letters": len(letters),
            "five_in_place": len(assessments),
            "commitments": len(commitments),
        },
    )


def _letters(schools, *, year, today, due, rng, roles, by_hand, bureau):
    school_ids = [s.pk for s in schools]
    names = dict(Position.objects.values_list("pk", "name"))
    order = dict(Position.objects.values_list("pk", "sort_order"))
    duties: dict[int, list[str]] = {}
    for position_id, text in (
        PositionDuty.objects.filter(owner=bureau)
        .order_by("sort_order", "pk")
        .values_list("position_id", "text")
    ):
        duties.setdefault(position_id, []).append(text)
    held: dict[int, list[int]] = {}
    for person_id, position_id in Person.positions.through.objects.filter(
        person__org_id__in=school_ids, person__is_active=True
    ).values_list("person_id", "position_id"):
        held.setdefault(person_id, []).append(position_id)
    staff: dict[int, list[tuple[int, str, int | None]]] = {}
    for pk, org_id, name, user_id in (
        Person.objects.filter(pk__in=list(held))
        .order_by("org_id", "pk")
        .values_list("pk", "org_id", "name", "user_id")
    ):
        staff.setdefault(org_id, []).append((pk, name, user_id))

    snapshots: dict[tuple[int, ...], tuple[str, dict]] = {}

    def snapshot(position_ids: list[int]) -> tuple[str, dict]:
        key = tuple(sorted(position_ids, key=lambda pk: (order[pk], pk)))
        if key not in snapshots:
            snapshots[key] = (
                "、".join(names[pk] for pk in key),
                {
                    "preamble": standard.LETTER_PREAMBLE,
                    "duties": [{"position": names[pk], "items": duties.get(pk, [])} for pk in key],
                    "promise": standard.LETTER_PROMISE,
                },
            )
        return snapshots[key]

    opens = date(year, 1, 2) if today >= date(year, 1, 2) else today
    last_on_time = min(today, due)
    scans = None
    letters: list[ResponsibilityLetter] = []
    scan_rows: dict[int, EvidenceFile] = {}
    for school in schools:
        people = staff.get(school.pk, [])
        if not people:
            continue
        rate = _signing_rate(rng)
        officer = roles.get((school.pk, RoleName.SAFETY_OFFICER))
        for pk, name, user_id in people:
            if user_id in by_hand or rng.random() >= rate:
                continue
            if today > due and rng.random() < 0.04:
                signed_on = _day_between(rng, due + timedelta(days=1), today)
            else:
                signed_on = _day_between(rng, opens, last_on_time, early=True)
            positions, content = snapshot(held[pk])
            paper = officer is not None and user_id is None and rng.random() < PAPER_SHARE
            if paper and school.pk not in scan_rows:
                scans = scans or _SharedFile("letters", "anwen demo: signed letters, scanned")
                scan_rows[school.pk] = scans.row(
                    org_id=school.pk, by_id=officer, name=f"{year}年纸质安全责任书扫描件.pdf"
                )
            letters.append(
                ResponsibilityLetter(
                    org_id=school.pk,
                    person_id=pk,
                    year=year,
                    person_name=name,
                    positions=positions,
                    content=content,
                    method=SignMethod.PAPER if paper else SignMethod.ONLINE,
                    signed_on=signed_on,
                    signed_at=_at(signed_on, rng),
                    signed_by_id=officer if paper else user_id,
                    signature="" if paper else name,
                    scan=scan_rows[school.pk] if paper else None,
                )
            )
    EvidenceFile.objects.bulk_create(scan_rows.values(), batch_size=500)
    ResponsibilityLetter.objects.bulk_create(letters, batch_size=1000)
    recount(s.pk for s in schools)  # bulk rows send no signals: the kept sign counts
    return letters


def _five(schools, *, today, due, rng, roles, fallback_user):
    year = today.year
    evidence = None
    assessments: list[FiveInPlace] = []
    uploads: list[tuple[FiveInPlace, EvidenceFile | None]] = []
    # This year: the schools submit towards the deadline; most are done once it has passed.
    progress = min(
        1.0, max(0.0, (today - date(year, 1, 1)).days / max(1, (due - date(year, 1, 1)).days))
    )
    for school in schools:
        principal = roles.get((school.pk, RoleName.PRINCIPAL))
        uploader = principal or roles.get((school.pk, RoleName.SAFETY_OFFICER)) or fallback_user
        for y in (year - 1, year):
            roll = rng.random()
            if y < year:
                status = FiveStatus.SUBMITTED if roll < 0.96 else None
                submitted_on = _day_between(rng, date(y, 11, 1), date(y, 12, 28))
            else:
                submitted = 0.92 * progress**2
                status = (
                    FiveStatus.SUBMITTED
                    if roll < submitted
                    else FiveStatus.DRAFT
                    if roll < submitted + 0.03 + 0.05 * progress
                    else None
                )
                submitted_on = _day_between(
                    rng, max(date(y, 1, 2), today - timedelta(days=HISTORY_DAYS)), today
                )
            if status is None:
                continue
            done = status == FiveStatus.SUBMITTED
            at = _at(submitted_on, rng, 9, 18) if done else None
            assessment = FiveInPlace(
                org_id=school.pk,
                year=y,
                status=status,
                submitted_by_id=principal if done else None,
                submitted_name="法定代表人" if done else "",
                submitted_at=at,
            )
            file = None
            if uploader is not None:
                evidence = evidence or _SharedFile("five", "anwen demo: five-in-place evidence")
                file = evidence.row(
                    org_id=school.pk, by_id=uploader, name=f"{y}年安全工作五到位佐证材料汇编.pdf"
                )
            assessments.append(assessment)
            uploads.append((assessment, file))
    _name_the_legal_representatives(assessments)
    FiveInPlace.objects.bulk_create(assessments, batch_size=1000)
    EvidenceFile.objects.bulk_create([f for _a, f in uploads if f], batch_size=1000)

    parts: list[FiveInPlacePart] = []
    links: list[tuple[FiveInPlacePart, EvidenceFile]] = []
    for assessment, file in uploads:
        draft = assessment.status == FiveStatus.DRAFT
        for index, code in enumerate(Part.values):
            if draft and index >= rng.randint(1, 4):
                parts.append(FiveInPlacePart(assessment=assessment, part=code))
                continue
            roll = rng.random()
            rating = (
                Rating.IN_PLACE
                if roll < 0.78
                else Rating.MOSTLY
                if roll < 0.97
                else Rating.NOT_IN_PLACE
            )
            if file is None and rating == Rating.IN_PLACE:
                rating = Rating.MOSTLY  # no one to have uploaded evidence: the rule holds
            statement = rng.choice(STATEMENTS[code])
            if rating != Rating.IN_PLACE:
                statement += WEAK
            part = FiveInPlacePart(
                assessment=assessment, part=code, rating=rating, statement=statement
            )
            parts.append(part)
            if file is not None and rating == Rating.IN_PLACE:
                links.append((part, file))
    FiveInPlacePart.objects.bulk_create(parts, batch_size=2000)
    Through = FiveInPlacePart.evidence.through
    Through.objects.bulk_create(
        [Through(fiveinplacepart_id=part.pk, evidencefile_id=file.pk) for part, file in links],
        batch_size=2000,
    )
    return assessments


def _name_the_legal_representatives(assessments: list[FiveInPlace]) -> None:
    names = dict(
        SchoolProfile.objects.filter(
            org_id__in={a.org_id for a in assessments}, legal_representative__isnull=False
        ).values_list("org_id", "legal_representative__name")
    )
    for a in assessments:
        if a.submitted_name:
            a.submitted_name = names.get(a.org_id, a.submitted_name)


def _commitments(schools, *, today, rng, roles):
    from anwen import calendar

    window_start = today - timedelta(days=HISTORY_DAYS)
    semester = calendar.semester_of(today, org=schools[0] if schools else None)
    opens = max(window_start, semester.start) if semester else window_start
    heads = dict(
        Person.objects.filter(org__in=schools, positions__code="principal", is_active=True)
        .order_by("org_id", "-pk")
        .values_list("org_id", "name")
    )
    rows: list[Commitment] = []
    for school in schools:
        by = roles.get((school.pk, RoleName.SAFETY_OFFICER)) or roles.get(
            (school.pk, RoleName.PRINCIPAL)
        )
        signer = heads.get(school.pk, "校长")
        if rng.random() < 0.93:  # a few schools have not published this term's commitment
            day = _day_between(rng, opens, min(today, opens + timedelta(days=20)))
            rows.append(
                Commitment(
                    org_id=school.pk,
                    kind=CommitmentKind.PUBLIC,
                    date=day,
                    title=rng.choice(PUBLIC_TITLES),
                    content=PUBLIC_CONTENT,
                    location=rng.choice(PLACES),
                    signer=signer,
                    recorded_by_id=by,
                    recorded_at=_at(day, rng),
                )
            )
        if rng.random() < 0.85:
            day = _day_between(rng, window_start, today)
            found = rng.randint(0, 9)
            fixed = found - (rng.randint(0, min(2, found)) if rng.random() < 0.3 else 0)
            rows.append(
                Commitment(
                    org_id=school.pk,
                    kind=CommitmentKind.SELF_CHECK,
                    date=day,
                    title=rng.choice(SELF_CHECK_TITLES),
                    content=(
                        f"自知：对照《火灾风险自查指南》梳理本校风险点；自查：发现隐患 {found} 处；"
                        f"自改：已整改 {fixed} 处，其余落实防范措施并限期整改。"
                    ),
                    location="",
                    signer=signer,
                    risks_found=found,
                    risks_fixed=fixed,
                    recorded_by_id=by,
                    recorded_at=_at(day, rng),
                )
            )
    Commitment.objects.bulk_create(rows, batch_size=1000)
    return rows
