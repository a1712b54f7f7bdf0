"""The problem-hazard list and the rectification-measure list (SM4.1), and every hazard list,
exported with the filters kept; open hazards first, the overdue at the top."""

from datetime import date

import pytest

from anwen.hazards import services
from anwen.testing.sheets import sheet_heading, sheet_rows


@pytest.mark.req("SM4.1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_two_lists_export_for_a_school_and_for_the_district(world, login, raise_hazard):
    hazard = raise_hazard(title="配电箱未上锁", category="electrical")
    services.hazard_assign(
        hazard=hazard,
        by=world.users["school"],
        responsible=world.people["teacher"],
        measures="加装门锁",
        fund_estimate=300,
    )
    raise_hazard(title="食堂无留样记录", category="food", org=world.S3, by=world.users["school3"])
    for username, expected, absent in (
        ("principal", {"配电箱未上锁"}, "食堂无留样记录"),
        ("bureau", {"配电箱未上锁", "食堂无留样记录"}, None),
    ):
        client = login(world.users[username])
        problems = client.get("/hazards/?format=problems")
        assert problems.status_code == 200
        cells = {c for row in sheet_rows(problems) for c in row}
        assert expected <= cells and (absent is None or absent not in cells)
        measures = client.get("/hazards/?format=measures&category=electrical")
        rows = sheet_rows(measures)
        assert any("加装门锁" in row and "测试teacher" in row for row in rows)
        assert not any("食堂无留样记录" in row for row in rows)
        assert "筛选条件：类别：用电" in " ".join(sheet_heading(measures))  # in words


@pytest.mark.day(date(2026, 12, 1))
def test_the_list_shows_open_hazards_first_the_overdue_at_the_top(world, login, raise_hazard):
    late = raise_hazard(title="早已逾期", found_on=date(2026, 9, 1))
    raise_hazard(title="新近发现")
    done = raise_hazard(title="已经销号", found_on=date(2026, 8, 1))
    type(done).objects.filter(pk=done.pk).update(state="closed")
    page = login(world.users["school"]).get("/hazards/").content.decode()
    assert page.index("早已逾期") < page.index("新近发现") < page.index("已经销号")
    assert late.deadline < date(2026, 12, 1)
    overdue = login(world.users["school"]).get("/hazards/?overdue=on").content.decode()
    assert "早已逾期" in overdue and "新近发现" not in overdue and "已经销号" not in overdue
