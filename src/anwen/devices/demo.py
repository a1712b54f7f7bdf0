"""Security devices for the demo district: for each school a one-key alarm at each gate, video
surveillance by the school's size, access control at the gates and patrol points around the
grounds. Most alarms and cameras are networked to the police; a handful of kindergartens are
not yet (they hold the district's rate under the plan's 100%); most checks are recent, some
are overdue. Bulk inserts, no per-row audit (one event for the whole load)."""

import random
from datetime import date, timedelta

from anwen import audit
from anwen.orgs.models import Org, OrgKind, SchoolType
from anwen.orgs.scope import within_q

from .models import Device, Kind
from .registers import check_due

CAMERA_PLACES = ["校门口", "操场", "教学楼走廊", "食堂", "围墙周界", "楼梯口", "停车场", "宿舍楼"]
PATROL_PLACES = [
    "配电房",
    "围墙东侧",
    "围墙西侧",
    "教学楼顶",
    "食堂后门",
    "宿舍楼",
    "实验室",
    "车棚",
]
LAGGING_KINDERGARTENS = 6  # kindergartens whose alarms or cameras are not all networked yet


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    schools = list(
        Org.objects.filter(within_q(bureau), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school")
        .order_by("path")
    )
    kindergartens = [
        s
        for s in schools
        if getattr(s, "school", None) and s.school.school_type == SchoolType.KINDERGARTEN
    ]
    lagging = {
        s.pk for s in rng.sample(kindergartens, min(LAGGING_KINDERGARTENS, len(kindergartens)))
    }
    devices: list[Device] = []
    for school in schools:
        profile = getattr(school, "school", None)
        gates = max(1, profile.gates if profile else 1)
        enrolment = profile.enrolment if profile else 300
        plan: list[tuple[str, str, str]] = []
        for gate in range(1, gates + 1):
            plan.append((Kind.ALARM, f"BJ-{gate:02d}", f"{gate}号门岗"))
            plan.append((Kind.ACCESS, f"MJ-{gate:02d}", f"{gate}号校门"))
        cameras = min(64, 4 + enrolment // 80)
        for n in range(1, cameras + 1):
            plan.append((Kind.CAMERA, f"SP-{n:02d}", CAMERA_PLACES[n % len(CAMERA_PLACES)]))
        patrols = min(len(PATROL_PLACES), 3 + (profile.area_m2 if profile else 0) // 8000)
        for n in range(1, patrols + 1):
            plan.append((Kind.PATROL, f"XG-{n:02d}", PATROL_PLACES[n - 1]))
        for kind, code, place in plan:
            if kind in (Kind.ALARM, Kind.CAMERA):
                share = 0.6 if school.pk in lagging else 0.97
            elif kind == Kind.ACCESS:
                share = 0.7
            else:
                share = 0.1
            # A lagging kindergarten's first alarm is among those not networked yet.
            networked = rng.random() < share and not (school.pk in lagging and code == "BJ-01")
            # Most checks within the last month, about one in ten overdue.
            if rng.random() < 0.1:
                checked = today - timedelta(days=rng.randint(35, 120))
            else:
                checked = today - timedelta(days=rng.randint(0, 27))
            values = check_due({"last_checked_on": checked}, school, today)
            devices.append(
                Device(
                    org=school,
                    kind=kind,
                    code=code,
                    place=place,
                    networked=networked,
                    networked_on=_day(rng, date(2019, 3, 1), date(2021, 12, 20))
                    if networked
                    else None,
                    last_checked_on=checked,
                    check_due=values["check_due"],
                    in_service=rng.random() > 0.02,
                )
            )
    Device.objects.bulk_create(devices, batch_size=1000)
    audit.record(
        actor=None,
        action="devices.demo.loaded",
        org=bureau,
        data={"devices": len(devices), "schools": len(schools)},
    )
