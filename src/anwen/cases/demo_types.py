"""The demo's year of the other case types at the demo school, its centre and the bureau:
disputes found in the screening, public-opinion items, threats, safety incidents, bullying
reports, care records, key persons, anti-gang clues and fraud cases. Like the petitions
(`demo.py`), every case is registered with `case_register` and walked through its type's own
steps with `case_step`, each as of the moment it happened (`workflow.moment.as_of`), so its
clocks, grants, notices and events are the engine's own. Most are finished in time; a few ran
out and were urged; the latest are still open.

The open face of every type (subjects of the open types, `details`, step notes) names no
minor: students are "一名学生" there; their names are only in a confidential type's
confidential face (a care record's subject, a bullying report's `private`)."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anwen.orgs.models import Org, RoleAssignment
from anwen.orgs.scope import within_q
from anwen.workflow.models import Timer
from anwen.workflow.moment import as_of

from . import bullying, care, clues, disputes, fraud, incidents, keypersons, opinion, threats
from .models import Case
from .services import case_register, case_step
from .types import CaseType
from .who import forget

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
ADULT = ["建国", "秀英", "志强", "丽娟", "海涛", "春梅", "文军", "晓燕", "国平", "红霞"]
CHILD = ["子涵", "浩然", "欣怡", "梓轩", "雨桐", "宇航", "诗琪", "俊杰", "佳怡", "思远"]
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三"]
MINUTES = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 10**8 - 1):08d}"


def _adult(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(ADULT)


def _child(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(CHILD)


def _class(rng: random.Random) -> str:
    return f"{rng.choice(GRADES)}（{rng.randint(1, 6)}）班"


@dataclass(frozen=True)
class Cast:
    """The demo accounts who register and handle the cases, and where they sit."""

    bureau_org: Org
    school_org: Org
    centre_org: Org | None
    school: Any  # the demo school's safety officer: registers what happens there
    principal: Any  # approves a bullying finding, acknowledges a threat
    teacher: Any  # a carer on the care roster
    centre: Any  # the centre's officer
    bureau: Any  # the bureau's safety officer: registers, urges (督办)
    leader: Any  # takes charge (包案)
    handler: Any  # the safety office's staff: the county's bullying reviewer
    agency: Any  # the police officer key persons and clues are shared with
    now: datetime
    rng: random.Random


NAMES = ["school", "principal", "teacher", "centre", "bureau", "leader", "handler", "agency"]


def _cast(bureau: Org, rng: random.Random) -> Cast | None:
    """The demo accounts holding a role in `bureau`'s district, or None when it was loaded
    without them."""
    rows = (
        RoleAssignment.objects.filter(
            within_q(bureau, "org"), user__username__in=NAMES, user__is_active=True
        )
        .select_related("user", "org")
        .order_by("pk")
    )
    users: dict[str, Any] = {}
    orgs: dict[str, Org] = {}
    for ra in rows:
        users.setdefault(ra.user.username, ra.user)
        orgs.setdefault(ra.user.username, ra.org)
    if not all(name in users for name in ("school", "principal", "bureau", "leader")):
        return None
    return Cast(
        bureau_org=bureau,
        school_org=orgs["school"],
        centre_org=orgs.get("centre"),
        school=users["school"],
        principal=users["principal"],
        teacher=users.get("teacher"),
        centre=users.get("centre"),
        bureau=users["bureau"],
        leader=users["leader"],
        handler=users.get("handler"),
        agency=users.get("agency"),
        now=timezone.now(),
        rng=rng,
    )


class Life:
    """One case's story: its steps, each as of its own moment, in order, stopping for good at
    the present (a step that would fall after now is not taken, nor any after it)."""

    def __init__(self, case: Case, start: datetime, cast: Cast):
        self.case = case
        self.moment = start
        self.cast = cast
        self.stopped = False

    def step(
        self,
        name: str,
        by,
        *,
        days: int | None = None,
        hours: float | None = None,
        note: str = "",
        **cleaned,
    ) -> bool:
        """Take step `name` as `by`: `days` later in office hours, or `hours` later exactly
        (a clock in hours is kept to the minute). Whether it was taken."""
        rng = self.cast.rng
        if self.stopped:
            return False
        if days is not None:
            day = timezone.localtime(self.moment).date() + timedelta(days=days)
            later = _at(day, rng.randint(9, 16), rng.choice(MINUTES))
        else:
            later = self.moment + timedelta(hours=hours or 0)
        moment = max(later, self.moment + timedelta(minutes=5))
        if moment >= self.cast.now:
            self.stopped = True
            return False
        self.moment = moment
        forget(by)  # someone else's step may have granted `by` the case since last asked
        with as_of(moment):
            case_step(case=self.case, name=name, by=by, note=note, cleaned=cleaned)
        return True

    def resume(self, moment: datetime) -> bool:
        """Nothing happened until `moment`: the next steps are counted from it. Whether it
        still lies in the past."""
        if self.stopped or moment >= self.cast.now:
            return False
        self.moment = max(self.moment, moment)
        return True


def _register(case_type: CaseType, cast: Cast, *, org: Org, by, at: datetime, **fields) -> Life:
    with as_of(at):
        case = case_register(case_type=case_type, org=org, by=by, received_at=at, **fields)
    return Life(case, at, cast)


def _year(cast: Cast, today: date, n: int, *, hours=(8, 17), school_days=False) -> list[datetime]:
    """`n` moments spread over the year before `today`, oldest first; on school days for what
    happens at school (not at weekends, not in the summer holidays)."""
    rng = cast.rng
    moments = []
    for i in range(n):
        day = today - timedelta(days=int(365 * (n - i - rng.random()) / n))
        if school_days:
            day = _school_day(day, today, rng)
        at = _at(day, rng.randint(*hours), rng.choice(MINUTES))
        moments.append(min(at, cast.now - timedelta(minutes=rng.randint(30, 240))))
    return sorted(moments)


def _school_day(day: date, today: date, rng: random.Random) -> date:
    """`day`, or a school day near it within the year before `today`: the summer holidays
    move to early July (or to September a year ago), a weekend to the Friday before it (or
    the Monday after)."""
    first = today - timedelta(days=365)
    if day.month == 8 or (day.month == 7 and day.day > 10):
        july = day.replace(month=7, day=rng.randint(1, 9))
        day = july if july >= first else day.replace(month=9, day=rng.randint(1, 9))
    if day.weekday() > 4:
        friday = day - timedelta(days=day.weekday() - 4)
        day = friday if friday >= first else day + timedelta(days=7 - day.weekday())
    return day


def _recent(cast: Cast, low: int, high: int) -> datetime:
    """A moment in office hours between `low` and `high` days ago."""
    rng = cast.rng
    day = timezone.localtime(cast.now).date() - timedelta(days=rng.randint(low, high))
    return _at(day, rng.randint(9, 16), rng.choice(MINUTES))


def _dated(year: list[datetime], late: list[datetime]) -> list[tuple[datetime, bool]]:
    """The year's moments, then those of the cases whose story is to be left overdue."""
    return [(at, False) for at in year] + [(at, True) for at in late]


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    cast = _cast(bureau, rng)
    if cast is None:
        return  # a district loaded without the demo accounts has no one to handle cases
    _disputes(cast, today)
    _opinions(cast, today)
    _threats(cast, today)
    _incidents(cast, today)
    _bullying(cast, today)
    _care(cast, today)
    _keypersons(cast, today)
    _clues(cast, today)
    _fraud(cast, today)
    _transport(cast, today)


# --- disputes (矛盾纠纷) -----------------------------------------------------------------------

DISPUTES = [
    (
        "家长与学校就意外伤害赔偿存在分歧",
        "一名学生课间摔伤，家长对学校垫付医疗费后的后续赔偿数额有异议，多次到校交涉。",
        "学生家长",
    ),
    (
        "教师因职称评聘与学校产生矛盾",
        "一名教师认为本年度职称推荐程序不公，情绪激动，称要到上级部门反映。",
        "教师",
    ),
    (
        "校外培训机构退费纠纷",
        "多名家长反映某校外培训机构停业后拒不退还预收学费，涉及本校学生家长二十余人。",
        "学生家长代表",
    ),
    (
        "食堂承包合同到期纠纷",
        "食堂承包方与学校就合同到期后设备归属发生争议，承包方拒绝撤场。",
        "食堂承包方负责人",
    ),
    (
        "学生矛盾引发双方家长冲突",
        "两名学生在校发生口角，双方家长在校门口争执，险些发生肢体冲突。",
        "学生家长",
    ),
    (
        "周边居民反映学校广播噪音",
        "学校周边居民反映早操广播音量过大、时间过早，与学校多次沟通未果。",
        "周边居民",
    ),
    (
        "原代课教师社保补缴诉求",
        "原聘代课教师要求补缴社会保险，情绪不稳定，存在集体上访苗头。",
        "原代课教师",
    ),
    (
        "校舍维修工程款结算纠纷",
        "校舍维修工程施工方反映工程款未按期结算，工人欲到校讨薪。",
        "施工方负责人",
    ),
    (
        "转学手续办理引发矛盾",
        "家长要求为学生办理转学，因学籍转接流程未完成与学校产生矛盾。",
        "学生家长",
    ),
    (
        "宿舍调整方案引发家长不满",
        "部分住校生家长对宿舍调整方案不满，在家长群中发表过激言论。",
        "学生家长",
    ),
    (
        "校车收费标准争议",
        "部分家长认为本学期校车费用上涨不合理，联名要求学校说明。",
        "学生家长代表",
    ),
]
DISPUTE_MEASURES = [
    ("mediation",),
    ("mediation", "counselling"),
    ("counselling",),
    ("legal", "mediation"),
    ("local", "mediation"),
    ("monitor",),
]
RESOLVED = [
    "经调解，双方达成一致意见并签订调解协议，矛盾已化解。",
    "学校已向当事人说明政策依据，当事人表示理解，不再反映。",
    "在镇街司法所参与下依法调处完毕，各方签字确认。",
    "相关款项已结清，当事人书面确认无其他诉求。",
]


def _disputes(cast: Cast, today: date) -> None:
    rng = cast.rng
    # Most are found at the school's weekly screening; some by the centre, a few at the bureau.
    where = [(cast.school_org, cast.school)] * 4 + [(cast.bureau_org, cast.bureau)]
    if cast.centre is not None and cast.centre_org is not None:
        where += [(cast.centre_org, cast.centre)] * 2
    moments = _year(cast, today, 18, school_days=True)
    late = sorted(_recent(cast, 12, 40) for _ in range(2))
    for at, overdue in _dated(moments, late):
        org, by = rng.choice(where)
        subject, content, party = rng.choice(DISPUTES)
        risk = rng.choices(["low", "medium", "high"], weights=[50, 35, 15])[0]
        life = _register(
            disputes.DISPUTE,
            cast,
            org=org,
            by=by,
            at=at,
            subject=subject,
            content=content,
            channel=rng.choices(
                ["grassroots", "phone", "letter", "online"], weights=[45, 25, 10, 20]
            )[0],
            people={"name": f"{rng.choice(SURNAMES)}某（{party}）", "phone": _phone(rng)},
            details={"risk": risk},
        )
        if overdue:
            # Found in the screening, and no measures taken within the plan's days: urged.
            life.step(
                "urge",
                cast.bureau,
                days=rng.randint(5, 9),
                note="排查发现的矛盾纠纷未按期落实化解措施，请立即处理并报告。",
            )
            continue
        measures = list(rng.choice(DISPUTE_MEASURES))
        if risk == "high":
            measures.append("leader")
        if not life.step("take_measures", by, days=rng.randint(0, 2), measures=measures):
            continue
        if rng.random() < 0.2:
            life.step(
                "reassess",
                by,
                days=rng.randint(3, 10),
                risk="low" if risk != "low" else "medium",
                note="经走访研判调整风险等级",
            )
        if risk == "high" and rng.random() < 0.6:
            life.step(
                "escalate", by, days=rng.randint(2, 8), note="涉及多方利益，需上级部门协调化解"
            )
        life.step("resolve", by, days=rng.randint(5, 40), note=rng.choice(RESOLVED))


# --- public opinion (舆情) ---------------------------------------------------------------------

OPINIONS = [
    (
        "网传学校食堂饭菜变质",
        "家长微信群流传照片称学校食堂饭菜发霉变质，引发家长关注和转发。",
        "wechat",
        "家长微信群截图",
    ),
    (
        "短视频反映校门口接送秩序混乱",
        "短视频账号发布放学时段校门口车辆拥堵视频，评论区负面留言较多。",
        "douyin",
        "抖音短视频",
    ),
    (
        "网帖称学校违规收取资料费",
        "本地论坛帖子称学校向学生收取教辅资料费，要求教育部门查处。",
        "forum",
        "本地生活论坛帖子",
    ),
    ("网传校车超载", "微博用户发帖称某校车上下学时段超员载客，配有模糊照片。", "weibo", "微博帖子"),
    (
        "新闻报道学校周边道路施工影响上学",
        "本地新闻网报道学校周边道路施工围挡占道，学生上学需绕行。",
        "news",
        "本地新闻网报道",
    ),
    (
        "网传教师课堂训斥学生视频",
        "短视频平台出现一段疑似教师在课堂上训斥学生的视频，播放量较高。",
        "douyin",
        "短视频平台",
    ),
    (
        "家长群热议午休收费",
        "家长群内对学校午休托管收费标准议论较多，部分言论情绪化。",
        "wechat",
        "家长微信群",
    ),
    (
        "网帖反映学校厕所卫生差",
        "论坛帖子反映学校教学楼厕所异味重、保洁不及时。",
        "forum",
        "论坛帖子",
    ),
]
RESPONSES = [
    "经核查，网传情况与事实不符，已通过学校公众号发布澄清说明。",
    "教育局已责成学校核查整改，并通过官方渠道回应社会关切。",
    "学校已核实情况并在家长群发布情况说明，相关言论已平息。",
    "已与发帖人沟通说明情况并落实整改，发帖人自行删除帖子。",
]


def _opinions(cast: Cast, today: date) -> None:
    rng = cast.rng
    moments = _year(cast, today, 11, hours=(7, 21))
    late = [_recent(cast, 2, 5)]
    for n, (at, overdue) in enumerate(_dated(moments, late)):
        subject, content, platform, where = rng.choice(OPINIONS)
        at_school = n % 3 == 1
        org, by = (cast.school_org, cast.school) if at_school else (cast.bureau_org, cast.bureau)
        life = _register(
            opinion.OPINION,
            cast,
            org=org,
            by=by,
            at=at,
            subject=subject,
            content=content,
            channel=platform,
            details={"link": where},
        )
        level = rng.choices(["general", "significant", "major"], weights=[60, 30, 10])[0]
        # Assessed within the plan's two hours, once in a while too late.
        slow = n == 3
        assess = rng.uniform(2.5, 5) if slow else rng.uniform(0.3, 1.6)
        if not life.step("assess", by, hours=assess, level=level):
            continue
        if overdue:
            # Assessed, but the response is still awaited after the plan's hours: urged.
            life.step(
                "urge",
                cast.leader,
                hours=rng.uniform(26, 30),
                note="舆情回应已超时，请立即回应并报告处置情况。",
            )
            continue
        if not life.step("answer", by, hours=rng.uniform(2, 20), response=rng.choice(RESPONSES)):
            continue
        life.step("close", by, days=rng.randint(1, 5))


# --- threats against teachers or students (扬言侵害师生) ---------------------------------------

THREATS = [
    (
        "家长扬言到校报复班主任",
        "一名学生家长因孩子在校受到批评，在电话中扬言要到学校“找老师算账”。",
        "phone",
        "teacher",
        "学生家长，男，约40岁",
    ),
    (
        "校外人员扬言伤害学生",
        "放学时校门口一名校外男子向学生扬言要“教训”一名学生，随后离开。",
        "reported",
        "student",
        "校外男子，身份待查",
    ),
    (
        "离职员工扬言到校闹事",
        "一名原食堂员工因工资结算问题在微信中扬言要到学校闹事、伤人。",
        "online",
        "both",
        "原食堂员工",
    ),
    (
        "学生在社交平台扬言伤害同学",
        "一名学生在社交平台发布扬言伤害同学的言论，被家长发现后报告学校。",
        "online",
        "student",
        "本校学生（未成年人）",
    ),
    (
        "精神状态异常人员在校门口扬言伤人",
        "一名精神状态异常的男子在校门口徘徊并大声扬言伤人，门卫已劝离。",
        "in_person",
        "both",
        "附近居民，男，约50岁",
    ),
]
# How each of the threats above ended, in the same order.
THREATS_RESOLVED = [
    "经派出所训诫教育，当事人已写下书面保证，学校与家长当面沟通化解误会。",
    "派出所已查明其身份并训诫教育，学校加强上下学时段护学岗。",
    "工资结算问题已协调解决，当事人表示不再到校，风险消除。",
    "家校共同对学生进行教育疏导，心理教师持续跟进，未发生侵害。",
    "当事人已由监护人送医治疗，社区和派出所落实稳控措施。",
]


def _threats(cast: Cast, today: date) -> None:
    rng = cast.rng
    moments = _year(cast, today, 5, hours=(7, 18), school_days=True)
    acknowledger = cast.principal
    for n, (at, still_open) in enumerate(_dated(moments, [_recent(cast, 1, 3)])):
        subject, content, channel, target, threatener = THREATS[n % len(THREATS)]
        threatened = (
            {"name": f"{_adult(rng)}（{_class(rng)}班主任）", "phone": _phone(rng)}
            if target == "teacher"
            else {"name": f"{_child(rng)}（{_class(rng)}）"}
            if target == "student"
            else {"name": "学校师生"}
        )
        life = _register(
            threats.THREAT,
            cast,
            org=cast.school_org,
            by=cast.school,
            at=at,
            subject=subject,
            content=content,
            channel=channel,
            people=threatened,
            details={"target": target},
            private={"threatener": threatener},
        )
        if n == 2:
            # Nobody acknowledged it within the plan's hour: the engine's own escalation to
            # the centre, as the periodic job would have made it, then the principal.
            due = Timer.objects.get(
                record_type=threats.WORKFLOW.code, record_id=life.case.pk, name="acknowledge"
            ).due_at
            if life.resume(due + timedelta(minutes=2)):
                with as_of(life.moment):
                    threats.escalate_step(life.case, 1)
            ack = rng.uniform(0.2, 0.5)
        else:
            ack = rng.uniform(0.15, 0.7)
        if not life.step("acknowledge", acknowledger, hours=ack):
            continue
        if rng.random() < 0.7:
            life.step(
                "report_police",
                cast.school,
                hours=rng.uniform(0.2, 1),
                police_reference=f"辖区派出所 受案回执 {rng.randint(1000, 9999)}号",
            )
        if n % 2 == 0:
            life.step("take_charge", cast.leader, hours=rng.uniform(1, 6))
        if still_open:
            continue  # the police and the school are still at it
        life.step(
            "resolve",
            acknowledger,
            days=rng.randint(2, 12),
            note=THREATS_RESOLVED[n % len(THREATS)],
        )


# --- safety incidents (安全事故) ----------------------------------------------------------------

INCIDENTS = [
    (
        "体育课学生摔伤骨折",
        "体育课跳远练习时一名学生落地不稳致右手腕骨折，已送医治疗并通知家长。",
        "injury",
        1,
    ),
    (
        "课间追逐跌倒头部受伤",
        "课间两名学生在走廊追逐，其中一名学生跌倒头部碰伤，送医缝合三针。",
        "injury",
        1,
    ),
    (
        "放学途中交通事故",
        "一名学生放学途中在校外路口被电动车撞倒，腿部擦伤，交警已到场处理。",
        "traffic",
        1,
    ),
    (
        "午餐后多名学生腹痛",
        "午餐后五名学生出现腹痛、呕吐症状，已送医观察，食品留样已封存送检。",
        "food",
        5,
    ),
    ("实验室小型火情", "化学实验课酒精灯使用不当引燃桌面纸张，教师当即扑灭，无人受伤。", "fire", 0),
    (
        "学生校内肢体冲突受伤",
        "两名学生因琐事发生肢体冲突，一名学生鼻部受伤，已送医检查。",
        "violence",
        1,
    ),
    (
        "篮球架倾倒砸伤学生",
        "课外活动时一名学生悬挂篮球框导致篮球架倾倒，学生腿部受伤。",
        "injury",
        1,
    ),
]
PROGRESS = [
    "已安排班主任和分管副校长到医院看望，与家长保持沟通。",
    "已召开安全工作专题会，排查同类隐患并落实整改。",
    "已向保险公司报案，协助家长准备理赔材料。",
]
# What was done after an incident of these kinds in particular.
PROGRESS_OF = {
    "food": "市场监管部门已取样检测，学校暂停相关菜品供应，学生均已康复返校。",
    "fire": "已检查实验室消防器材和操作规程，组织师生开展消防安全教育。",
    "traffic": "已配合交警部门处理，并在家长会上开展交通安全教育。",
}
SETTLEMENTS = [
    (True, Decimal("3600.00"), "经协商，医疗费由校方责任险赔付，家长签字确认，无其他诉求。"),
    (
        True,
        Decimal("12800.00"),
        "经司法所调解，由责任方与校方责任险共同承担医疗及护理费用，签订调解协议。",
    ),
    (False, None, "医疗费用由学生意外伤害保险报销，家长对学校处置无异议。"),
]


def _incidents(cast: Cast, today: date) -> None:
    rng = cast.rng
    moments = _year(cast, today, 9, hours=(8, 17), school_days=True)
    late = [_recent(cast, 3, 10)]
    for n, (at, overdue) in enumerate(_dated(moments, late)):
        subject, content, category, injured = rng.choice(INCIDENTS)
        happened = at - timedelta(minutes=rng.randint(20, 150))
        life = _register(
            incidents.INCIDENT,
            cast,
            org=cast.school_org,
            by=cast.school,
            at=at,
            subject=subject,
            content=content,
            details={
                "happened_at": str(timezone.localtime(happened)),
                "category": category,
                "injured": injured,
            },
        )
        if overdue:
            # Told by phone, the written report not yet sent after the plan's hours: urged.
            life.step(
                "urge",
                cast.bureau,
                hours=rng.uniform(30, 40),
                note="事故书面报告已超时，请立即报送。",
            )
            continue
        slow = n == 4
        report = rng.uniform(26, 34) if slow else rng.uniform(2, 18)
        if not life.step("report", cast.school, hours=report, note="书面报告已报区教育局安全科"):
            continue
        life.step(
            "progress",
            cast.school,
            days=rng.randint(1, 4),
            note=PROGRESS_OF.get(category) or rng.choice(PROGRESS),
        )
        if category in ("injury", "violence") and rng.random() < 0.3:
            life.step(
                "disturbance",
                cast.school,
                days=rng.randint(1, 5),
                measures="分管副校长专人对接家属，门卫加强值守，已告知辖区派出所，避免到校聚集。",
            )
        if injured and rng.random() < 0.75:
            compensation, amount, settlement = rng.choice(SETTLEMENTS)
            if not life.step(
                "settle",
                cast.school,
                days=rng.randint(10, 40),
                compensation=compensation,
                amount=amount,
                settlement=settlement,
            ):
                continue
        life.step("close", cast.school, days=rng.randint(2, 10))


# --- bullying reports (学生欺凌) ----------------------------------------------------------------

BULLYING = [
    (
        "学生反映多次被同学推搡踢打",
        "学生反映近一个月在课间和放学路上多次被同班两名同学推搡、踢打。",
        "physical",
        "bullying",
    ),
    (
        "学生被同学起侮辱性绰号",
        "家长反映孩子长期被同学起侮辱性绰号、当众嘲笑，孩子不愿上学。",
        "verbal",
        "bullying",
    ),
    (
        "班级群内孤立辱骂同学",
        "班主任发现班级群内有学生发布辱骂、孤立一名同学的言论和图片。",
        "online",
        "bullying",
    ),
    (
        "零花钱被高年级学生索要",
        "学生反映多次被高年级学生在厕所拦住索要零花钱。",
        "property",
        "bullying",
    ),
    (
        "住校生被强迫代洗衣物",
        "住校生反映被同宿舍同学强迫代洗衣物、打水，不从则被推搡。",
        "physical",
        "bullying",
    ),
    (
        "课间打闹受伤家长认为是欺凌",
        "家长认为孩子与同学课间打闹受伤属于欺凌，要求学校认定处理。",
        "physical",
        "not_bullying",
    ),
    (
        "同学间口角家长要求认定欺凌",
        "两名学生因座位问题发生口角，一方家长认为孩子受到欺凌。",
        "verbal",
        "not_bullying",
    ),
]
FACTS = {
    "bullying": "经调查，涉事学生多次故意实施上述行为，造成受害学生身心伤害，符合学生欺凌情形。",
    "not_bullying": "经调查，系同学间偶发打闹，双方均无主观恶意，不构成学生欺凌，已对双方进行教育。",
}


def _bullying(cast: Cast, today: date) -> None:
    rng = cast.rng
    moments = _year(cast, today, 7, school_days=True)
    late = [_recent(cast, 15, 30)]
    for n, (at, overdue) in enumerate(_dated(moments, late)):
        subject, content, means, finding = BULLYING[n % len(BULLYING)]
        reporter = rng.choice(
            [
                {"name": f"{_adult(rng)}（学生家长）", "phone": _phone(rng)},
                {"name": f"{_adult(rng)}（班主任）", "phone": _phone(rng)},
            ]
        )
        life = _register(
            bullying.BULLYING,
            cast,
            org=cast.school_org,
            by=cast.school,
            at=at,
            subject=subject,
            content=content,
            channel=rng.choice(["student", "parent", "staff", "hotline"]),
            people=reporter,
            details={"means": means},
            private={
                "victim": f"{_child(rng)}，{_class(rng)}",
                "bullies": f"{_child(rng)}、{_child(rng)}，同年级",
            },
        )
        # The principal sits on the governance body and approves its finding.
        if not life.step(
            "add_member", cast.school, hours=rng.uniform(0.5, 3), member=str(cast.principal.pk)
        ):
            continue
        life.step("investigate", cast.school, days=rng.randint(0, 1))
        if overdue:
            # The investigation has run past the plan's days: the bureau urges.
            life.step(
                "urge",
                cast.bureau,
                days=rng.randint(12, 14),
                note="欺凌事件调查已超期，请尽快完成认定。",
            )
            continue
        severity = "serious" if finding == "bullying" and n % 3 == 0 else "ordinary"
        facts = FACTS[finding]
        if not life.step(
            "findings",
            cast.school,
            days=rng.randint(3, 7),
            finding=finding,
            severity=severity,
            facts=facts,
        ):
            continue
        if n == 1:
            life.step("send_back", cast.principal, days=1, note="需补充听取双方家长意见")
            life.step(
                "findings",
                cast.school,
                days=rng.randint(2, 3),
                finding=finding,
                severity=severity,
                facts=facts,
            )
        approve = "approve_bullying" if finding == "bullying" else "approve_not_bullying"
        if not life.step(approve, cast.principal, days=rng.randint(1, 2)):
            continue
        if cast.handler is not None and n in (2, 5):
            # The parents appeal to the county-level body; its reviewer answers.
            field = bullying.APPEAL_STEP.fields(life.case, cast.school)["reviewer"]
            choices = [(str(v), label) for v, label in field.choices]
            reviewer = next((v for v, _l in choices if v.startswith(f"{cast.handler.pk}:")), None)
            if reviewer is not None:
                life.step(
                    "appeal",
                    cast.school,
                    days=rng.randint(5, 12),
                    reviewer=reviewer,
                    note="家长对认定结论不服，申请复查",
                )
                life.step(
                    "review_answer",
                    cast.handler,
                    days=rng.randint(10, 25),
                    finding=finding,
                    note="经复查，维持学校认定结论",
                )
        if finding == "not_bullying":
            life.step("close", cast.school, days=rng.randint(3, 10))
            continue
        measures = ["education", "counselling"] + (
            ["discipline", "police"] if severity == "serious" else []
        )
        life.step("measures", cast.school, days=rng.randint(1, 3), measures=measures)
        if severity == "serious":
            life.step(
                "report_serious", cast.school, hours=2, note="情节严重，已报告区教育局和辖区派出所"
            )
        life.step("follow_up", cast.school, days=rng.randint(3, 7))
        life.step("close", cast.school, days=rng.randint(25, 29))


# --- care records (关爱名单) --------------------------------------------------------------------

CARE = [
    (
        "left_behind",
        "routine",
        "父母均在外地务工，由祖父母照顾，学习习惯有待养成，性格内向。",
        "祖母",
    ),
    (
        "left_behind",
        "routine",
        "父亲在外务工，母亲离家，由外祖父母照顾，放学后无人辅导作业。",
        "外祖父",
    ),
    ("migrant", "routine", "随父母从外省迁入，学籍转入不久，尚未适应新环境。", "父亲"),
    ("single_parent", "routine", "父母离异，随母亲生活，近期情绪低落，成绩下滑。", "母亲"),
    ("hardship", "routine", "家庭经济困难，父亲患病，已纳入家庭经济困难学生资助。", "母亲"),
    ("disability", "routine", "下肢残疾，行动不便，教室已调整至一楼，需安排同学结对帮扶。", "父亲"),
    ("psych_student", "close", "心理测评提示焦虑倾向，曾在作文中流露厌学情绪。", "母亲"),
    (
        "psych_student",
        "close",
        "近期与家长冲突频繁，有夜不归宿情况，班主任发现其情绪异常。",
        "父亲",
    ),
    ("psych_staff", "routine", "一名教师近期家庭变故，情绪波动较大，需关心关注。", "配偶"),
]
CARE_ACTIONS = [
    ("talk", "与学生谈心谈话，了解近期学习和生活情况。"),
    ("home_visit", "到家中走访，与监护人沟通学生在校表现。"),
    ("study", "安排任课教师课后辅导，作业完成情况好转。"),
    ("counselling", "心理教师进行个体辅导，情绪较上次稳定。"),
    ("aid", "为学生申请学习用品和生活补助。"),
]
OFF_ROSTER = [
    "学生已毕业离校",
    "随父母转学至外地，已与转入学校交接",
    "家庭情况好转，经研判移出名单",
]


def _care(cast: Cast, today: date) -> None:
    rng = cast.rng
    carer = cast.teacher or cast.school
    moments = _year(cast, today, len(CARE), school_days=True)
    for n, (at, (group, level, content, guardian)) in enumerate(zip(moments, CARE, strict=True)):
        staff = group == "psych_staff"
        by = cast.principal if staff else cast.school
        life = _register(
            care.CARE,
            cast,
            org=cast.school_org,
            by=by,
            at=at,
            subject=_adult(rng) if staff else _child(rng),
            content=content,
            people={"name": f"{_adult(rng)}（{guardian}）", "phone": _phone(rng)},
            details={"group": group, "level": level},
            private={"class": "语文教师" if staff else _class(rng)},
        )
        if carer is not by and not life.step(
            "add_carer", by, days=rng.randint(0, 2), carer=str(carer.pk)
        ):
            continue
        # One carer fell behind: the last care action well over the plan's days ago.
        behind = n == 4
        stop = cast.now - timedelta(days=rng.randint(45, 60)) if behind else cast.now
        close = n in (0, 3) and at < cast.now - timedelta(days=200)
        actions = 0
        while True:
            every = rng.randint(4, 6) if level == "close" else rng.randint(18, 27)
            when = life.moment + timedelta(days=every)
            if when >= stop:
                break
            kind, note = rng.choice(CARE_ACTIONS)
            on = timezone.localtime(when).date()
            if not life.step("care_action", carer, days=every, action=kind, on=on, note=note):
                break
            actions += 1
            if level == "close" and actions == 3:
                level = "routine"
                life.step(
                    "attention", carer, days=1, level=level, note="情绪趋于稳定，转为一般关注"
                )
            if close and actions == 5:
                life.step("close", by, days=rng.randint(3, 10), note=rng.choice(OFF_ROSTER))
                break
        if behind and life.resume(cast.now - timedelta(days=12)):
            life.step(
                "urge",
                cast.bureau,
                days=rng.randint(1, 5),
                note="关爱对象帮扶记录已逾期，请及时跟进。",
            )


# --- key persons around the campus (重点人员) ----------------------------------------------------

KEYPERSONS = [
    (
        "mental",
        "high",
        "校门附近居住的精神障碍患者",
        "患有精神障碍，曾多次在校门口徘徊并对学生大声呵斥，监护人为其母亲。",
        "学校东侧居民小区",
        "学校附近居民",
    ),
    (
        "petitioner",
        "medium",
        "因子女入学问题多次到校缠访的家长",
        "因子女入学问题多次到校及教育局反映，曾在校门口拉横幅。",
        "城区某小区",
        "学生家长",
    ),
    (
        "released",
        "low",
        "学校附近居住的刑满释放人员",
        "因故意伤害罪服刑期满释放，现居住在学校附近，已纳入社区管理。",
        "学校南侧自建房",
        "学校附近居民",
    ),
    (
        "grudge",
        "high",
        "对学校心存不满的原保安",
        "原学校保安，因辞退问题对学校心存不满，曾扬言报复。",
        "邻镇",
        "原学校员工",
    ),
]
REVIEWS = [
    "经研判，近期情绪稳定，无异常行为。",
    "与社区网格员核实，近期未到学校周边活动。",
    "经与社区、派出所联合研判，风险等级维持不变。",
    "近期有到校门口徘徊情况，已加强门卫值守和护学岗。",
]
FEEDBACK = [
    "已纳入辖区重点管控，民警定期上门走访。",
    "已与其监护人签订看护责任书，落实稳控措施。",
    "民警已约谈当事人，进行法治教育。",
]


def _keypersons(cast: Cast, today: date) -> None:
    rng = cast.rng
    moments = _year(cast, today, len(KEYPERSONS))
    officer = cast.agency
    for n, (at, row) in enumerate(zip(moments, KEYPERSONS, strict=True)):
        category, risk, subject, content, address, relation = row
        life = _register(
            keypersons.KEYPERSON,
            cast,
            org=cast.school_org,
            by=cast.school,
            at=at,
            subject=subject,
            content=content,
            people={"name": _adult(rng), "phone": _phone(rng)},
            details={"category": category, "risk": risk},
            private={"address": address, "relation": relation},
        )
        shared = officer is not None and risk == "high"
        if shared and not life.step(
            "share_police", cast.school, days=rng.randint(1, 3), officer=str(officer.pk)
        ):
            continue
        behind = n == 1
        stop = cast.now - timedelta(days=rng.randint(40, 50)) if behind else cast.now
        reviews = 0
        while life.moment + timedelta(days=29) < stop:
            if not life.step(
                "review", cast.school, days=rng.randint(20, 28), risk=risk, note=rng.choice(REVIEWS)
            ):
                break
            reviews += 1
            if shared and reviews % 3 == 1:
                life.step(
                    "police_feedback", officer, days=rng.randint(1, 5), note=rng.choice(FEEDBACK)
                )
            if category == "released" and reviews == 3:
                life.step(
                    "close",
                    cast.school,
                    days=rng.randint(1, 5),
                    note="已随家人迁往外地居住，经研判移出名单",
                )
                break
        if behind and life.resume(cast.now - timedelta(days=8)):
            life.step(
                "urge",
                cast.bureau,
                days=rng.randint(1, 4),
                note="重点人员定期研判已逾期，请尽快研判。",
            )


# --- anti-gang and campus-loan clues (扫黑除恶线索) ----------------------------------------------

CLUES = [
    (
        "campus_loan",
        "校园周边有人推销“校园贷”",
        "有学生反映校门口有陌生人以“零利息、免审核”名义向高年级学生推销借贷，并索要身份证照片。",
        "陌生男子两名，约25岁；接触学生：初三两名男生",
    ),
    (
        "fraud",
        "网络兼职刷单诱骗学生",
        "家长反映孩子在网上被拉入“兼职刷单”群，被要求先垫付资金。",
        "群主网名“好运来”；涉及学生：初二一名女生",
    ),
    (
        "coercion",
        "校外青年向学生索要“保护费”",
        "有学生反映放学路上有校外青年拦截低年级学生索要财物，称“交钱才不被欺负”。",
        "校外青年三名，其中一人绰号“阿龙”",
    ),
    (
        "gang",
        "社会人员拉拢在校学生",
        "班主任发现有社会人员经常在校外网吧与本校学生接触，邀请学生“跟着混”。",
        "社会人员一名，常在学校附近网吧出入",
    ),
    ("other", "校园周边出现涉赌宣传", "校门口附近墙面出现网络赌博广告二维码，已拍照留存。", ""),
]
UNFOUNDED = ["经核查，系学生间误传，线索不实。", "经与派出所核实，相关人员系正常经营，线索不成立。"]
CLUE_FEEDBACK = [
    "公安机关已立案调查，相关人员已被传唤。",
    "派出所已对相关人员进行训诫教育，并加强校园周边巡逻。",
]


def _clues(cast: Cast, today: date) -> None:
    rng = cast.rng
    where = [(cast.school_org, cast.school)] * 3
    if cast.centre is not None and cast.centre_org is not None:
        where.append((cast.centre_org, cast.centre))
    moments = _year(cast, today, 7, school_days=True)
    late = [_recent(cast, 14, 24)]
    for n, (at, overdue) in enumerate(_dated(moments, late)):
        kind, subject, content, named = CLUES[n % len(CLUES)]
        org, by = rng.choice(where)
        life = _register(
            clues.CLUE,
            cast,
            org=org,
            by=by,
            at=at,
            subject=subject,
            content=content,
            channel=rng.choice(["screening", "report", "hotline"]),
            people={"name": _adult(rng), "phone": _phone(rng)},
            details={"kind": kind},
            private={"named": named} if named else {},
        )
        if overdue:
            life.step(
                "urge",
                cast.bureau,
                days=rng.randint(8, 10),
                note="线索核查已超期，请尽快核实并报告。",
            )
            continue
        if n % 3 == 2 or cast.agency is None:
            life.step("unfounded", by, days=rng.randint(1, 3), note=rng.choice(UNFOUNDED))
            continue
        if not life.step("verify", by, days=rng.randint(1, 3), note="经初步核实，线索基本属实"):
            continue
        if not life.step("hand_to_police", by, days=rng.randint(0, 1), officer=str(cast.agency.pk)):
            continue
        life.step(
            "police_feedback", cast.agency, days=rng.randint(5, 20), note=rng.choice(CLUE_FEEDBACK)
        )
        life.step("close", by, days=rng.randint(3, 10), note="公安机关已依法处理，线索办结")


# --- fraud cases (反诈) -------------------------------------------------------------------------

FRAUD = [
    (
        "教师遭遇冒充领导诈骗",
        "一名教师收到冒充校长的聊天消息，要求向“供应商”转账，转账后发现被骗。",
        "staff",
        "impersonation",
        20000,
        "语文教师",
    ),
    (
        "学生购买游戏账号被骗",
        "一名学生在网络平台购买游戏账号，付款后被对方拉黑。",
        "student",
        "gaming",
        800,
        None,
    ),
    (
        "家长扫码缴费被骗",
        "家长在班级群内收到冒充班主任发布的资料费收款码，扫码付款后发现被骗。",
        "parent",
        "impersonation",
        300,
        None,
    ),
    (
        "学生网络刷单兼职被骗",
        "一名学生参与网络“刷单返利”兼职，先后垫付资金后无法提现。",
        "student",
        "investment",
        1500,
        None,
    ),
    (
        "教师网购退款被骗",
        "一名教师接到冒充客服的“退款”电话，按提示操作后银行卡被转走资金。",
        "staff",
        "shopping",
        6000,
        "数学教师",
    ),
    (
        "学生险遭冒充公安诈骗",
        "一名学生接到冒充公安的电话称其涉案，班主任发现后及时劝阻，未造成损失。",
        "student",
        "impersonation",
        0,
        None,
    ),
    (
        "家长遭遇虚假贷款诈骗",
        "家长在网上申请“低息贷款”，被以缴纳保证金为由骗取钱款。",
        "parent",
        "loan",
        5000,
        None,
    ),
]
RESULTS = {
    "recovered": "公安机关已追回全部损失。",
    "partly": "公安机关追回部分款项。",
    "lost": "案件在侦，暂未追回损失。",
}


def _fraud(cast: Cast, today: date) -> None:
    rng = cast.rng
    moments = _year(cast, today, 7, school_days=True)
    late = [_recent(cast, 3, 8)]
    for n, (at, overdue) in enumerate(_dated(moments, late)):
        subject, content, group, scheme, amount, post = FRAUD[n % len(FRAUD)]
        victim = (
            f"{_adult(rng)}，{post}"
            if group == "staff"
            else f"{_adult(rng)}，学生家长"
            if group == "parent"
            else f"{_child(rng)}，{_class(rng)}"
        )
        life = _register(
            fraud.FRAUD,
            cast,
            org=cast.school_org,
            by=cast.school,
            at=at,
            subject=subject,
            content=content,
            people={"name": _adult(rng), "phone": _phone(rng)},
            details={"victim_group": group, "scheme": scheme, "amount": amount},
            private={"victim": victim},
        )
        if overdue:
            # The victim hesitated; the report to the police is past the plan's hours: urged.
            life.step(
                "urge",
                cast.bureau,
                hours=rng.uniform(28, 40),
                note="涉诈案件超时未报警，请立即督促当事人报警。",
            )
            continue
        if amount == 0:
            life.step(
                "conclude",
                cast.school,
                hours=rng.uniform(1, 3),
                result="prevented",
                recovered=0,
                note="及时劝阻，未造成损失，已开展反诈教育",
            )
            continue
        if not life.step(
            "report_police",
            cast.school,
            hours=rng.uniform(1, 10),
            police_number=f"受案回执 {rng.randint(10000, 99999)}号",
        ):
            continue
        result = rng.choices(["recovered", "partly", "lost"], weights=[20, 35, 45])[0]
        recovered = amount if result == "recovered" else amount // 3 if result == "partly" else 0
        life.step(
            "conclude",
            cast.school,
            days=rng.randint(15, 60),
            result=result,
            recovered=recovered,
            note=RESULTS[result],
        )


# --- illegal school transport (黑校车, SM8.5) ------------------------------------------------

# (subject, what was seen, place, vehicle, students on board, confirmed)
TRANSPORT = [
    (
        "面包车在场镇路口接送学生",
        "放学时一辆面包车在场镇路口接走十余名学生，车内明显超员，无校车标牌。",
        "场镇十字路口",
        "白色五菱面包车",
        13,
        True,
    ),
    (
        "三轮车搭载学生上学",
        "早上7点有载货三轮车搭载学生沿村道行驶至学校附近。",
        "村道学校下方约300米",
        "蓝色电动三轮车",
        6,
        True,
    ),
    (
        "私家车疑似收费接送学生",
        "家长反映有私家车每天收费接送本村学生上下学。",
        "村委会门口",
        "银色轿车",
        4,
        False,
    ),
    (
        "无牌面包车在校门口揽客",
        "放学时段一辆无牌面包车在校门口招揽学生乘车。",
        "校门口东侧",
        "灰色面包车（无牌）",
        9,
        True,
    ),
]
NOTICE = (
    "近期发现有非法营运车辆接送学生，存在严重安全隐患。请各位家长严禁让孩子乘坐无资质车辆、"
    "超员车辆和农用车、三轮车上下学，发现情况请及时向学校或公安交警报告。"
)


def _transport(cast: Cast, today: date) -> None:
    """A few reports of illegal school transport at the demo school over the year: verified,
    handed to the traffic police and the transport authority, parents told by the class
    groups and a letter, closed; one not confirmed; the latest still being verified."""
    from . import transport

    rng = cast.rng
    moments = _year(cast, today, 4, hours=(7, 18), school_days=True)
    late = [_recent(cast, 2, 4)]
    for n, (at, overdue) in enumerate(_dated(moments, late)):
        subject, content, place, vehicle, students, confirmed = TRANSPORT[n % len(TRANSPORT)]
        seen = at - timedelta(hours=rng.randint(1, 3))
        life = _register(
            transport.TRANSPORT,
            cast,
            org=cast.school_org,
            by=cast.school,
            at=at,
            subject=subject,
            content=content,
            channel=rng.choice(["parent", "staff", "public"]),
            people={"name": _adult(rng), "phone": _phone(rng)},
            details={
                "place": place,
                "seen_at": str(timezone.localtime(seen)),
                "plate": f"渝B·{rng.randint(10000, 99999)}" if n % 4 != 3 else "",
                "vehicle": vehicle,
                "students": students,
            },
        )
        if overdue:
            life.step(
                "urge",
                cast.bureau,
                hours=rng.uniform(26, 40),
                note="黑校车举报超时未核实，请立即核实。",
            )
            continue
        if not confirmed:
            life.step(
                "close",
                cast.school,
                hours=rng.uniform(3, 20),
                result="not_confirmed",
                note="经走访核实，系亲属顺路接送，未收费，不属实",
            )
            continue
        if not life.step(
            "verify", cast.school, hours=rng.uniform(2, 20), note="安全办到现场核实，属实"
        ):
            continue
        handed = timezone.localtime(life.moment).date() + timedelta(days=1)
        if not life.step(
            "hand_over",
            cast.school,
            days=1,
            handed_to=["police", "transport"],
            handed_on=handed,
            receipt=f"交巡{rng.randint(100, 999)}号",
        ):
            continue
        for channel in ("wechat", "letter"):
            sent = timezone.localtime(life.moment).date() + timedelta(days=1)
            if not life.step(
                "notify_parents",
                cast.school,
                days=1,
                sent_on=sent,
                channel=channel,
                reached=rng.randint(180, 620) if channel == "wechat" else rng.randint(40, 160),
                note=NOTICE,
            ):
                break
        life.step(
            "close",
            cast.school,
            days=rng.randint(5, 20),
            result=rng.choice(["penalised", "stopped", "warned"]),
            note="公安交警已查处，已加强放学时段护学岗巡查",
        )
