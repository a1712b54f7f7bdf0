"""A bullying report through the pages: reported at the school, investigated by its
governance body within the plan's days, determined with the principal's approval, handled (a
serious case reported to the bureau), followed up, appealed to the county and answered — and
nobody outside the body learns who the children are."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from anwen.cases.models import Case
from anwen.outbox.models import Delivery
from anwen.workflow.models import Timer

from .hidden import (
    assert_colleague_sees_nothing,
    assert_stranger_sees_nothing,
    page,
    register,
    step,
)

TZ = timezone.get_default_timezone()
VICTIM = "李小花 四年级二班"
BULLIES = "张大壮、赵小虎 五年级一班"
SUBJECT = "厕所内多次推搡索要零花钱"


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


def timers(case) -> dict[str, Timer]:
    return {
        t.name: t for t in Timer.objects.filter(record_type="cases.bullying", record_id=case.pk)
    }


def report(client, world, **extra) -> Case:
    return register(
        client,
        "bullying",
        world.orgs["S1"],
        channel="parent",
        subject=SUBJECT,
        content="家长反映孩子在学校厕所多次被高年级学生推搡并索要零花钱。",
        received_at="2026-09-28T09:00",
        name="李妈妈",
        phone="13900001111",
        means="physical",
        victim=VICTIM,
        bullies=BULLIES,
        **extra,
    )


def choice(user, org=None) -> str:
    return f"{user.pk}:{org.pk}" if org is not None else str(user.pk)


@pytest.mark.req("PC4")
@pytest.mark.day(at(9, 28))
def test_the_school_registers_a_report_and_the_investigation_clock_runs(client, login, world):
    """Ten days from Monday 28 September end in the National Day holiday (1–7 October), so
    the investigation is due on Thursday 8 October, the first working day after it."""
    login(world.users["school"])
    case = report(client, world)
    assert case.number == "QL-2026-0001"
    assert case.org == world.orgs["S1"] and case.state == "reported"
    assert case.private == {"victim": VICTIM, "bullies": BULLIES}
    assert case.details == {"means": "physical"}
    assert timers(case)["investigate"].due_on == date(2026, 10, 8)
    body = page(client, case)
    assert VICTIM in body and BULLIES in body and SUBJECT in body  # the first receiver reads


@pytest.mark.day(at(9, 28))
def test_a_bullying_report_is_registered_at_a_school_only(client, login, world):
    """The bureau's officer registers one for a school of the district, not for the bureau."""
    login(world.users["bureau"])
    fields = {"channel": "parent", "subject": SUBJECT, "received_at": "2026-09-28T09:00"}
    fields |= {"means": "physical", "victim": VICTIM}
    response = client.post(
        "/cases/new/bullying/", {"once": "b" * 20, "org": str(world.orgs["B1"].pk), **fields}
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert report(client, world).org == world.orgs["S1"]


@pytest.mark.req("PC4")
def test_report_investigate_determine_handle_follow_up_appeal_close(client, login, world):
    school, principal, bureau = (world.users[k] for k in ("school", "principal", "bureau"))
    with time_machine.travel(at(9, 28), tick=False) as clock:
        login(school)
        case = report(client, world)
        step(client, case, "investigate")
        case.refresh_from_db()
        assert case.state == "investigating"

        # The principal is named to the governance body: from now on a handler.
        step(client, case, "add_member", member=choice(principal))
        login(principal)
        assert VICTIM in page(client, case)

        clock.move_to(at(10, 8))
        login(school)
        step(
            client,
            case,
            "findings",
            finding="bullying",
            severity="serious",
            facts="经调查，双方家长到场，确认三次推搡索要财物。",
        )
        case.refresh_from_db()
        assert case.state == "proposed"
        assert case.details["finding"] == "bullying" and case.details["severity"] == "serious"
        assert "facts" in case.private
        assert timers(case)["investigate"].on_time is True

        # The safety officer may not approve; the principal (cases.approve) does.
        response = step(client, case, "approve_bullying")
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.state == "proposed"
        login(principal)
        body = page(client, case)
        assert "step-approve_bullying" in body and "step-approve_not_bullying" not in body
        step(client, case, "approve_bullying")
        case.refresh_from_db()
        assert case.state == "determined"
        assert timers(case)["appeal_ask"].due_on == date(2026, 10, 23)
        assert timers(case)["appeal_ask"].duty is False  # the parents' window, not a limit

        # A serious case is reported to the bureau: its supervisors are told, by number.
        login(school)
        step(client, case, "report_serious", note="已报区教委和派出所")
        case.refresh_from_db()
        assert case.details["reported"] is True
        told = Delivery.objects.filter(
            notice__key__startswith=f"cases:{case.pk}:reported:"
        ).select_related("notice", "user")
        assert bureau in {d.user for d in told}
        for d in told:
            assert case.number in d.notice.title
            for secret in (VICTIM, BULLIES, SUBJECT, "李"):
                assert secret not in d.notice.title

        body = page(client, case)
        assert "处置措施" in body and "整改措施" not in body  # the handling, not a hazard's fix
        step(client, case, "measures", measures=["education", "discipline"])
        case.refresh_from_db()
        assert case.state == "handling" and case.details["measures"] == ["discipline", "education"]
        step(client, case, "follow_up")
        case.refresh_from_db()
        assert case.state == "following_up"
        assert timers(case)["follow_up"].due_on == date(2026, 11, 9)  # 7th: a Saturday

        # The parents appeal to the county-level body: its reviewer owns the case meanwhile.
        clock.move_to(at(10, 12))
        login(school)  # days later: a new session
        step(
            client,
            case,
            "appeal",
            reviewer=choice(bureau, world.orgs["B1"]),
            note="施害方家长对认定有异议，申请复查",
        )
        case.refresh_from_db()
        assert case.state == "appealed" and case.owner == bureau
        t = timers(case)
        assert t["appeal_ask"].on_time is True
        assert t["appeal"].due_on == date(2026, 11, 11)
        assert step(client, case, "review_answer", finding="not_bullying", note="x").status_code
        case.refresh_from_db()
        assert case.state == "appealed"  # the school does not answer its own appeal

        login(bureau)
        assert BULLIES in page(client, case)
        step(client, case, "review_answer", finding="bullying", note="复查维持原认定")
        case.refresh_from_db()
        assert case.state == "reviewed" and case.owner == school
        assert timers(case)["appeal"].on_time is True

        login(school)
        step(client, case, "close")
        case.refresh_from_db()
        assert case.state == "closed" and case.closed


@pytest.mark.req("PC4")
@pytest.mark.day(at(9, 28))
def test_not_bullying_is_approved_by_the_principal_and_may_be_appealed(client, login, world):
    school, principal = world.users["school"], world.users["principal"]
    login(school)
    case = report(client, world)
    step(client, case, "investigate")
    step(client, case, "add_member", member=choice(principal))
    step(client, case, "findings", finding="not_bullying", severity="ordinary", facts="同学间玩闹")
    login(principal)
    assert "step-approve_bullying" not in page(client, case)
    step(client, case, "send_back", note="请补充调查监控录像")
    case.refresh_from_db()
    assert case.state == "investigating"
    login(school)
    step(client, case, "findings", finding="not_bullying", severity="ordinary", facts="已看监控")
    login(principal)
    step(client, case, "approve_not_bullying")
    case.refresh_from_db()
    assert case.state == "not_bullying"
    assert "appeal_ask" in timers(case)
    login(school)
    step(client, case, "close")
    case.refresh_from_db()
    assert case.closed and timers(case)["appeal_ask"].stopped_at is not None


@pytest.mark.req("PC4")
@pytest.mark.day(at(10, 20))
def test_an_overdue_investigation_is_shown_and_urged(client, login, world):
    with time_machine.travel(at(9, 28), tick=False):
        login(world.users["school"])
        case = report(client, world)
    login(world.users["bureau"])
    listing = client.get("/cases/?overdue=1").content.decode()
    assert case.number in listing and SUBJECT not in listing
    step(client, case, "urge", note="请尽快完成调查认定")
    assert Delivery.objects.filter(
        notice__key__startswith=f"cases:{case.pk}:urged:", user=world.users["school"]
    ).exists()


@pytest.mark.req("PC4")
@pytest.mark.req("PL2")
@pytest.mark.day(at(9, 28))
def test_a_colleague_and_another_district_learn_nothing_of_the_children(client, login, world):
    login(world.users["school"])
    case = report(client, world)
    secrets = [VICTIM, BULLIES, SUBJECT, "李妈妈", "13900001111"]
    tries = {
        "investigate": {},
        "add_member": {"member": choice(world.users["principal"])},
        "urge": {"note": "x"},
    }
    login(world.users["principal"])  # the same school, not named to the body
    assert_colleague_sees_nothing(client, case, secrets, tries)
    login(world.users["other_school"])
    assert_stranger_sees_nothing(client, case, secrets, tries)
    login(world.users["other_bureau"])
    assert_stranger_sees_nothing(client, case, secrets, tries)
