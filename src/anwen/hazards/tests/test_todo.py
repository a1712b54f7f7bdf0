"""The inbox lists hazards to fix, to assign, to verify and to sign off, overdue first."""

from datetime import date

import pytest
import time_machine

from anwen.hazards import services


@pytest.mark.req("PL5")
@pytest.mark.day(date(2026, 3, 2))
def test_the_inbox_lists_hazards_to_fix_verify_and_sign_off_overdue_first(
    world, login, raise_hazard, photo
):
    office, teacher = world.users["school"], world.users["teacher"]
    late = raise_hazard(title="旧隐患未整改")
    services.hazard_assign(
        hazard=late, by=office, responsible=world.people["teacher"], deadline=late.found_on
    )
    fresh = raise_hazard(title="新隐患待整改")
    services.hazard_assign(hazard=fresh, by=office, responsible=world.people["teacher"])
    raise_hazard(title="刚上报的隐患")

    with time_machine.travel("2026-03-05 10:00 +0800"):
        page = login(teacher).get("/inbox/").content.decode()
        assert page.index("旧隐患未整改") < page.index("新隐患待整改")
        assert "刚上报的隐患" not in page
        assert "刚上报的隐患" in login(office).get("/inbox/").content.decode()

    major = raise_hazard(title="教学楼墙体开裂", grade="major")
    services.hazard_assign(hazard=major, by=office, responsible=world.people["teacher"])
    services.hazard_plan(
        hazard=major,
        by=office,
        goal="消除墙体开裂",
        measures="加固",
        funds="5万元",
        people="总务主任",
        time_limit=major.deadline,
        interim="设置围挡",
    )
    services.hazard_start(hazard=major, by=teacher)
    services.hazard_submit_fix(hazard=major, by=teacher, note="", photos=[photo()])
    assert "教学楼墙体开裂" in login(world.users["principal"]).get("/inbox/").content.decode()
    assert "教学楼墙体开裂" in login(world.users["centre"]).get("/inbox/").content.decode()
    assert "教学楼墙体开裂" in login(world.users["bureau"]).get("/inbox/").content.decode()
    assert "教学楼墙体开裂" not in login(world.users["centre2"]).get("/inbox/").content.decode()


@pytest.mark.req("PL5")
@pytest.mark.day(date(2026, 3, 2))
def test_an_overdue_hazard_in_someone_elses_hands_waits_on_the_schools_management(
    world, login, raise_hazard
):
    office = world.users["school"]
    late = raise_hazard(title="配电箱门锁损坏")
    services.hazard_assign(
        hazard=late, by=office, responsible=world.people["teacher"], deadline=late.found_on
    )
    on_time = raise_hazard(title="走廊灯不亮")
    services.hazard_assign(hazard=on_time, by=office, responsible=world.people["teacher"])
    with time_machine.travel("2026-03-05 10:00 +0800"):
        for username in ("school", "principal"):
            page = login(world.users[username]).get("/inbox/").content.decode()
            assert "逾期未整改，请督促：配电箱门锁损坏" in page, username
            assert "走廊灯不亮" not in page
        teacher = login(world.users["teacher"]).get("/inbox/").content.decode()
        assert "逾期未整改" not in teacher and "配电箱门锁损坏" in teacher  # theirs to fix
