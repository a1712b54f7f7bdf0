"""What the hazard pages tell each person (walk 8): the next step open and the others folded,
a step that must wait says why instead of offering a button the engine refuses, the reason a
fix was sent back at the top, the chronology in words, and no 404 for those who report for no
school."""

from datetime import date

import pytest
import time_machine

from anwen.hazards import services
from anwen.hazards.models import Hazard

pytestmark = pytest.mark.day(date(2026, 11, 2))


def _submitted_major(world, raise_hazard, photo):
    hazard = raise_hazard(title="教学楼墙体开裂", grade="major", category="building")
    office, teacher = world.users["school"], world.users["teacher"]
    services.hazard_assign(hazard=hazard, by=office, responsible=world.people["teacher"])
    services.hazard_plan(
        hazard=hazard,
        by=office,
        goal="消除隐患",
        measures="加固墙体",
        funds="财政专项",
        people="总务主任",
        time_limit=hazard.deadline,
        interim="设置围挡",
    )
    services.hazard_start(hazard=hazard, by=teacher)
    services.hazard_submit_fix(hazard=hazard, by=teacher, note="已加固", photos=[photo()])
    return hazard


@pytest.mark.parametrize(
    ("username", "may_inspect"),
    [("centre", True), ("bureau", True), ("leader", False), ("agency", False)],
)
def test_who_reports_for_no_school_is_told_where_findings_go_not_a_404(
    world, login, username, may_inspect
):
    client = login(world.users[username])
    response = client.get("/hazards/report/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "在对该校的检查中录入" in page
    assert ('href="/inspections/new/"' in page) is may_inspect
    # Posting anyway reports nothing.
    client.post("/hazards/report/", {"title": "x", "school": world.S1.pk, "category": "fire"})
    assert not Hazard.objects.exists()


def test_a_major_fix_waits_for_the_rechecks_and_the_page_says_so(world, login, raise_hazard, photo):
    hazard = _submitted_major(world, raise_hazard, photo)
    page = login(world.users["principal"]).get(f"/hazards/{hazard.pk}/").content.decode()
    # No verify button that would only be refused: the reason in its place.
    assert f'action="/hazards/{hazard.pk}/verify/"' not in page
    assert "step-waits step-verify" in page and "复查后才能销号" in page
    # Sending back is offered, folded, with the reason asked for as required.
    assert '<details class="panel step-more">' in page
    assert f'action="/hazards/{hazard.pk}/send_back/"' in page
    assert "原因（必填）" in page

    # The centre's re-check is this centre officer's next step, open.
    page = login(world.users["centre"]).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'class="panel narrow-form step-form step-recheck_centre"' in page


def test_the_fixer_is_told_someone_else_verifies_their_fix(world, login, raise_hazard, photo):
    hazard = raise_hazard(title="配电箱未上锁")
    office = world.users["school"]
    services.hazard_assign(hazard=hazard, by=office, responsible=world.people["school"])
    services.hazard_start(hazard=hazard, by=office)
    services.hazard_submit_fix(hazard=hazard, by=office, note="已加锁", photos=[photo()])
    page = login(office).get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'action="/hazards/{hazard.pk}/verify/"' not in page
    assert "须由他人验收" in page or "someone else must verify" in page
    page = login(world.users["principal"]).get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'action="/hazards/{hazard.pk}/verify/"' in page  # the principal may


def test_the_reason_a_fix_was_sent_back_is_shown_at_the_top(world, login, raise_hazard, photo):
    hazard = raise_hazard(title="灭火器压力不足")
    services.hazard_assign(
        hazard=hazard, by=world.users["school"], responsible=world.people["teacher"]
    )
    teacher = world.users["teacher"]
    services.hazard_start(hazard=hazard, by=teacher)
    services.hazard_submit_fix(hazard=hazard, by=teacher, note="已更换", photos=[photo()])
    principal = login(world.users["principal"])
    response = principal.post(
        f"/hazards/{hazard.pk}/send_back/", {"note": "照片看不清压力表，请重拍"}
    )
    assert response.status_code == 302
    page = login(teacher).get(f"/hazards/{hazard.pk}/").content.decode()
    banner = page.split('class="message warning sent-back"', 1)[1].split("</div>", 1)[0]
    assert "退回整改" in banner and "照片看不清压力表，请重拍" in banner
    assert page.index("sent-back") < page.index("step-submit")  # before the form to redo


def test_the_chronology_says_to_whom_and_by_when(world, login, raise_hazard, announced):
    hazard = raise_hazard(title="围栏松动")
    services.hazard_assign(
        hazard=hazard,
        by=world.users["school"],
        responsible=world.people["teacher"],
        deadline=date(2026, 11, 10),
    )
    with time_machine.travel("2026-11-14 09:00 +0800"):  # four days late: two steps up
        services.escalate_overdue()
    page = login(world.users["principal"]).get(f"/hazards/{hazard.pk}/").content.decode()
    chronology = page.split('<ol class="chronology">', 1)[1]
    assert "交办</strong>：整改责任人 测试teacher，期限 2026-11-10" in chronology
    assert "逾期督办</strong>：报整改责任人" in chronology
    assert "逾期督办</strong>：报校长" in chronology


def test_a_school_list_has_no_school_column_and_overdue_reads_red(world, login, raise_hazard):
    hazard = raise_hazard(title="楼梯扶手松动")
    Hazard.objects.filter(pk=hazard.pk).update(deadline=date(2026, 10, 30))
    page = login(world.users["school"]).get("/hazards/").content.decode()
    table = page.split('<table class="data">', 1)[1]
    assert "<th>学校</th>" not in table
    assert 'class="state state-overdue">已逾期' in table
    page = login(world.users["centre"]).get("/hazards/").content.decode()
    assert "<th>学校</th>" in page.split('<table class="data">', 1)[1]


def test_an_empty_filter_says_so_and_offers_all(world, login):
    client = login(world.users["school"])
    assert "尚无隐患记录" in client.get("/hazards/").content.decode()
    page = client.get("/hazards/?grade=major").content.decode()
    assert "没有符合筛选条件的隐患" in page and 'href="/hazards/">显示全部' in page


@pytest.mark.req("PL8")
def test_the_problem_list_prints_as_an_office_files_it(world, login, raise_hazard):
    """序号 counted 1, 2, 3 (not database ids), the filters in words (not `open=on`), and the
    print settings of a filed list: A4 across, one page wide, headers on every page."""
    import io

    from openpyxl import load_workbook

    from anwen.testing.sheets import sheet_heading, sheet_rows, workbook_bytes

    for n in range(3):
        raise_hazard(title=f"消防通道堆放杂物{n}" * 4, place="教学楼")
    client = login(world.users["centre"])
    for fmt in ("problems", "measures"):
        response = client.get(f"/hazards/?open=on&category=fire&format={fmt}")
        assert response.status_code == 200
        heading = sheet_heading(response)
        assert "筛选条件：类别：消防；仅看未销号。" in heading[1]
        assert "open=on" not in heading[1]
        header, *rows = sheet_rows(response)
        assert header[0] == "序号" and [r[0] for r in rows] == [1, 2, 3]
        sheet = load_workbook(io.BytesIO(workbook_bytes(response))).worksheets[0]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.print_options.gridLines
        assert "第 &P 页" in sheet.oddFooter.center.text
        problem = header.index("存在问题（隐患）") + 1
        assert sheet.cell(row=4, column=problem).alignment.wrap_text  # a sentence wraps


def test_the_principals_inbox_says_a_major_fix_waits_for_the_rechecks(
    world, login, raise_hazard, photo
):
    hazard = _submitted_major(world, raise_hazard, photo)
    principal = login(world.users["principal"])
    page = principal.get("/inbox/").content.decode()
    assert "待教管中心和区教委复查后验收：教学楼墙体开裂" in page
    assert "验收整改：教学楼墙体开裂" not in page
    services.hazard_recheck(hazard=hazard, by=world.users["centre"], level="centre")
    services.hazard_recheck(hazard=hazard, by=world.users["bureau"], level="bureau")
    assert "验收整改：教学楼墙体开裂" in principal.get("/inbox/").content.decode()


def test_the_list_filters_checkboxes_are_tapped_by_their_label(world, login):
    """On a phone the 13 px box alone was the target; its label now holds it (44 px, CSS)."""
    page = login(world.users["school"]).get("/hazards/").content.decode()
    assert '<label class="check"><input type="checkbox" name="open"' in page
    assert '<label class="check"><input type="checkbox" name="overdue"' in page
