"""The demo district's reception schedule: the last three months' receptions by its leaders
(most held, with what came of them; one cancelled) and the coming month's, planned."""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from anwen import audit
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import within_q

from .models import Reception, ReceptionKind, ReceptionStatus
from .selectors import leaders_of

_TOPICS = [
    (ReceptionKind.RECEPTION_DAY, "学位安排与转学咨询", "区教委信访接待室"),
    (ReceptionKind.RECEPTION_DAY, "校外培训退费问题", "区教委信访接待室"),
    (ReceptionKind.APPOINTMENT, "教师职称评定异议", "区教委 302 会议室"),
    (ReceptionKind.APPOINTMENT, "学生午餐收费疑问", "区教委 302 会议室"),
    (ReceptionKind.VISIT, "校门口上下学交通安全", "{school}"),
    (ReceptionKind.VISIT, "寄宿生夜间管理", "{school}"),
    (ReceptionKind.VISIT_WITH_CASE, "食堂承包纠纷", "{school}"),
    (ReceptionKind.VISIT_WITH_CASE, "校舍维修拖延", "{school}"),
]
_OUTCOMES = [
    "当场答复政策依据，群众表示理解。",
    "责成学校一周内书面答复，信访办跟踪。",
    "转相关科室核查，十五日内反馈。",
    "现场协调双方，达成初步一致。",
]


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    leaders = list(leaders_of(bureau))
    schools = list(Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL).order_by("path")[:40])
    if not leaders or not schools:
        return
    rows = []
    # Tuesdays and Thursdays, not every week.
    day = today - timedelta(days=91)
    while day <= today + timedelta(days=31):
        if day.weekday() in (1, 3) and rng.random() < 0.45:
            kind, topic, place = rng.choice(_TOPICS)
            past = day < today
            cancelled = past and rng.random() < 0.08
            rows.append(
                Reception(
                    org=bureau,
                    leader=rng.choice(leaders),
                    kind=kind,
                    date=day,
                    time=time(rng.choice([9, 10, 14, 15]), rng.choice([0, 30])),
                    place=place.format(school=rng.choice(schools).name),
                    topic=topic,
                    status=ReceptionStatus.CANCELLED
                    if cancelled
                    else ReceptionStatus.HELD
                    if past
                    else ReceptionStatus.PLANNED,
                    outcome="领导临时参加市里会议，改期。"
                    if cancelled
                    else rng.choice(_OUTCOMES)
                    if past
                    else "",
                    closed_at=timezone.now() if past else None,
                )
            )
        day += timedelta(days=1)
    Reception.objects.bulk_create(rows)
    audit.record(
        actor=None, action="receptions.demo.loaded", org=bureau, data={"receptions": len(rows)}
    )
