"""The second walk of issue 9: the principal who approves a bullying determination need not
have been named to the governance body first. Recording the finding names the school's
approver and tells them; the finding is in their inbox; a school without one is told why."""

from datetime import datetime

import pytest
from django.utils import timezone

from anwen.orgs.models import RoleAssignment
from anwen.outbox.models import Delivery, Notice

from .hidden import page, register, step

TZ = timezone.get_default_timezone()
VICTIM = "李小花 四年级二班"


def report(client, world):
    return register(
        client,
        "bullying",
        world.orgs["S1"],
        channel="parent",
        subject="课间多次被推搡",
        content="家长反映孩子课间多次被推搡。",
        received_at="2026-09-28T09:00",
        means="physical",
        victim=VICTIM,
    )


def inbox(client) -> str:
    client.get("/cases/")  # the messages of the steps before ("已登记，编号 …") shown and gone
    return client.get("/inbox/").content.decode()


def findings(client, case):
    return step(
        client, case, "findings", finding="bullying", severity="ordinary", facts="经调查属实。"
    )


@pytest.mark.req("PC4")
@pytest.mark.day(datetime(2026, 9, 30, 10, tzinfo=TZ))
def test_the_principal_finds_the_finding_to_approve_without_being_named(client, login, world):
    school, principal = world.users["school"], world.users["principal"]
    login(school)
    case = report(client, world)
    # Reported by the safety officer: not the principal's to act on (a confidential case is
    # its named handlers'), so not in the principal's inbox with nothing to do on it.
    login(principal)
    assert case.number not in inbox(client)
    login(school)
    assert case.number in inbox(client)
    step(client, case, "investigate")
    login(principal)
    body = page(client, case)
    assert VICTIM not in body  # not a member yet: the case exists, its children do not
    assert case.number not in inbox(client)

    login(school)
    assert "校长自动加入" in page(client, case)  # the member field says who approves
    findings(client, case)
    case.refresh_from_db()
    assert case.state == "proposed"
    notice = Notice.objects.get(key__startswith=f"cases:{case.pk}:approve:")
    assert case.number in notice.title and "审批" in notice.title and "李" not in notice.title
    assert Delivery.objects.filter(notice=notice, user=principal).exists()
    assert not Delivery.objects.filter(notice=notice, user=world.users["leader"]).exists()

    login(principal)
    waiting = inbox(client)
    assert case.number in waiting and "认定意见待审批" in waiting
    body = page(client, case)
    assert VICTIM in body and "step-approve_bullying" in body
    step(client, case, "approve_bullying")
    case.refresh_from_db()
    assert case.state == "determined"
    assert case.number not in inbox(client)
    # The bureau's leader (cases.approve above the school) is not on the school's body.
    login(world.users["leader"])
    assert VICTIM not in page(client, case)


@pytest.mark.req("PC4")
@pytest.mark.day(datetime(2026, 9, 30, 10, tzinfo=TZ))
def test_a_school_without_a_principal_is_told_why_the_finding_waits(client, login, world):
    RoleAssignment.objects.filter(user=world.users["principal"]).delete()
    login(world.users["school"])
    case = report(client, world)
    step(client, case, "investigate")
    response = findings(client, case)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "investigating" and "finding" not in case.details
    assert "本校没有可审批认定意见的人员" in page(client, case)


@pytest.mark.day(datetime(2026, 9, 30, 10, tzinfo=TZ))
def test_a_care_record_on_the_roster_is_its_owner_s_to_handle_not_to_accept(client, login, world):
    login(world.users["school"])
    case = register(
        client,
        "care",
        world.orgs["S1"],
        subject="留守儿童关爱",
        received_at="2026-09-01T09:00",
        group="left_behind",
        level="routine",
        **{"class": "三年级一班"},
    )
    waiting = inbox(client)
    assert case.number in waiting and "受理或转办" not in waiting
    login(world.users["principal"])
    assert case.number not in inbox(client)


@pytest.mark.day(datetime(2026, 9, 30, 10, tzinfo=TZ))
def test_a_clue_just_received_reads_as_received_not_as_a_date_label(client, login, world):
    login(world.users["school"])
    case = register(
        client,
        "clue",
        world.orgs["S1"],
        channel="report",
        subject="校外人员诱导学生借款",
        received_at="2026-09-28T09:00",
        kind="campus_loan",
    )
    body = page(client, case)
    assert '<span class="badge">已收到</span>' in body
    assert "<strong>已收到</strong>" in body  # its first step in the chronology


@pytest.mark.day(datetime(2026, 9, 30, 10, tzinfo=TZ))
def test_a_school_s_own_case_is_not_in_the_bureau_office_s_inbox(client, login, world, clerk):
    """The bureau's petitions office registers disputes too (for the whole district); one a
    school registered is the school's to handle, not a to-do of the office above it."""
    login(world.users["school"])
    case = register(
        client,
        "dispute",
        world.orgs["S1"],
        channel="grassroots",
        subject="家长对分班有意见",
        received_at="2026-09-28T09:00",
        risk="low",
    )
    assert case.number in inbox(client)
    login(clerk)
    assert case.number not in inbox(client)
