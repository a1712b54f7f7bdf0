"""The demo's year of petitions: written through the case engine's own services, each step as
of the moment it happened (`workflow.moment.as_of`), so their clocks, events and grants are
exactly what the pages would have made. Most are answered in time; some are overdue and urged,
some extended by the leader, some held for a hearing, some reviewed; a few writers write
again; a few are not accepted."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from anwen.orgs.models import Org, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import within_q
from anwen.workflow.moment import as_of

from . import demo_types
from .models import Case, Outcome
from .petitions import PETITION, Channel
from .services import case_register, case_step
from .steps import handler_choices

SUBJECTS = [
    ("食堂收费标准问题", "家长反映学校食堂伙食费偏高，要求公开收支明细。"),
    ("校车接送时间调整", "反映校车早上到站时间过早，学生需在路边久等，存在安全隐患。"),
    ("教师体罚学生", "反映班主任在课堂上罚站并推搡学生，要求调查处理。"),
    ("入学划片范围", "对今年小学一年级招生划片范围有异议，希望就近入学。"),
    ("假期补课收费", "反映学校寒假组织补课并收取费用，要求核查。"),
    ("校园周边施工噪音", "学校旁工地夜间施工，影响住校学生休息。"),
    ("营养餐质量", "反映营养改善计划供餐分量不足、菜品单一。"),
    ("学生欺凌处理不满", "孩子被同学欺负，对学校的处理结果不满意。"),
    ("教师绩效工资发放", "反映乡村教师生活补助未按时足额发放。"),
    ("校门口交通拥堵", "上下学时段校门口车辆乱停，存在交通安全隐患。"),
    ("学位分配公平", "反映转学申请未获批准，质疑学位分配是否公平。"),
    ("宿舍热水供应", "住校生宿舍热水供应时间短，冬季洗漱困难。"),
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "小红", "志强", "丽娟", "海涛", "春梅", "文军", "晓燕", "国平"]
REPLIES = {
    Outcome.UPHELD: "经核查，反映情况属实，学校已整改并向家长说明。",
    Outcome.NOT_UPHELD: "经核查，相关做法符合规定，已向信访人解释说明政策依据。",
    Outcome.BEYOND_POLICY: "诉求超出现行政策规定，已耐心做好解释说明工作。",
}
PER_YEAR = 84


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _users(bureau: Org, roles) -> list:
    ids = RoleAssignment.objects.filter(
        within_q(bureau, "org"), role__in=roles, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    clerks = _users(bureau, [RoleName.CASE_CLERK]) or _users(bureau, [RoleName.BUREAU_OFFICER])
    leaders = _users(bureau, [RoleName.BUREAU_LEADER])
    if not clerks or not leaders:
        return  # a district loaded without accounts has no one to handle petitions
    clerk, leader = clerks[0], leaders[0]
    handler_user = get_user_model().objects.filter(username="handler").first()
    now = timezone.now()
    writers = [
        (
            rng.choice(SURNAMES) + rng.choice(GIVEN),
            f"13{rng.randint(0, 9)}{rng.randint(0, 10**8 - 1):08d}",
        )
        for _ in range(60)
    ]
    for n in range(PER_YEAR):
        received = today - timedelta(days=int(365 * (PER_YEAR - n) / PER_YEAR) + rng.randint(0, 3))
        received_at = _at(received, rng.randint(8, 16), rng.choice([0, 15, 30, 45]))
        if received_at >= now:
            continue
        subject, content = rng.choice(SUBJECTS)
        # A few writers come back: the first ten writers are drawn more often.
        name, phone = writers[rng.randint(0, 9)] if rng.random() < 0.2 else rng.choice(writers)
        channel = rng.choices(
            [Channel.LETTER, Channel.VISIT, Channel.PHONE, Channel.ONLINE, Channel.PLATFORM],
            weights=[30, 20, 25, 15, 10],
        )[0]
        with as_of(received_at):
            case = case_register(
                case_type=PETITION,
                org=bureau,
                by=clerk,
                subject=subject,
                content=content,
                channel=channel,
                received_at=received_at,
                people={"name": name, "phone": phone},
                details={"representatives": rng.randint(2, 5)}
                if channel == Channel.VISIT and rng.random() < 0.3
                else {},
            )
        _live(
            case,
            received_at,
            now=now,
            rng=rng,
            clerk=clerk,
            leader=leader,
            handler_user=handler_user,
        )
    demo_types.load_demo(bureau=bureau, today=today, rng=rng)


def _live(case: Case, received_at: datetime, *, now, rng, clerk, leader, handler_user) -> None:
    """Walk one petition through the steps its story takes, each as of its own moment,
    stopping at the present."""
    moment = received_at
    age = (now - received_at).days

    def step(name: str, by, after_days: float, **cleaned) -> bool:
        nonlocal moment
        # Steps are taken in office hours, on the day they fall on.
        day = (moment + timedelta(days=after_days)).date()
        later = _at(day, rng.randint(9, 16), rng.choice([0, 10, 20, 30, 40, 50]))
        moment = max(later, moment + timedelta(minutes=30))
        if moment >= now:
            return False
        with as_of(moment):
            case_step(case=case, name=name, by=by, note=cleaned.pop("note", ""), cleaned=cleaned)
        return True

    choices = [v for v, _label in handler_choices(case)]
    if not choices:
        return
    story = rng.random()
    if story < 0.04:  # not accepted: outside what a petition can ask, explained
        step("not_accept", clerk, rng.randint(2, 10), reply=REPLIES[Outcome.BEYOND_POLICY])
        step("archive", clerk, 3)
        return
    # The demo's "handler" login gets a fair share, so it has work to show.
    mine = [v for v in choices if v.startswith(f"{handler_user.pk}:")] if handler_user else []
    handler_value = mine[0] if mine and rng.random() < 0.35 else rng.choice(choices)
    if not step("assign", clerk, rng.uniform(0.1, 2), handler=handler_value):
        return
    case.refresh_from_db()
    handler = case.owner
    if not step("accept", handler, rng.randint(1, 10)):
        return
    overdue = story > 0.9 and age > 75
    if rng.random() < 0.12:
        step("take_charge", leader, rng.randint(1, 5))
    if rng.random() < 0.08:  # the leader extends: several departments must verify
        step(
            "extend", leader, rng.randint(20, 40), days=30, note="需多部门联合核查，经领导批准延期"
        )
    if rng.random() < 0.05:  # a hearing holds the clock
        step("hearing_start", handler, rng.randint(5, 15), note="组织听证")
        step("hearing_end", handler, rng.randint(3, 8), note="听证结束")
    if overdue:
        # Left overdue: the supervisor urged it once it ran out.
        step("urge", leader, rng.randint(62, 70), note="已超期，请加快办理并报告进展")
        return
    outcome = rng.choices(list(Outcome), weights=[55, 35, 10])[0]
    if not step("reply", handler, rng.randint(10, 50), outcome=outcome, reply=REPLIES[outcome]):
        return
    if outcome != Outcome.UPHELD and rng.random() < 0.25:
        if not step("request_review", clerk, rng.randint(5, 25), note="信访人不服，申请复查"):
            return
        if not step(
            "review_reply",
            handler,
            rng.randint(10, 28),
            outcome=outcome,
            reply="复查维持原处理意见。",
        ):
            return
        step("archive", clerk, rng.randint(31, 40))
        return
    step("archive", clerk, rng.randint(31, 40))
