"""The bureau imports centres, schools and staff from the template anwen offers; a file with
bad rows is refused whole, one message per bad row, and nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from anwen.audit.models import AuditEvent
from anwen.orgs.models import Org, Person

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL8", "PL1")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(client):
    response = client.get("/orgs/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.getvalue()))


def upload(client, wb, name="import.xlsx"):
    buffer = io.BytesIO()
    wb.save(buffer)
    return client.post(
        "/orgs/import/", {"file": SimpleUploadedFile(name, buffer.getvalue(), XLSX)}, follow=True
    )


def fill(wb, centres=(), schools=(), staff=()):
    sheets = wb.worksheets
    for row in centres:
        sheets[0].append(list(row))
    for row in schools:
        sheets[1].append(list(row))
    for row in staff:
        sheets[2].append(list(row))
    return wb


GOOD_SCHOOLS = [
    (
        "S100",
        "永川区临江镇中心小学",
        "C100",
        "小学",
        "公办",
        960,
        "否",
        None,
        2,
        18000,
        "重庆市永川区临江镇正街8号",
        105.75,
        29.42,
        "023-49000001",
    ),
    (
        "S101",
        "永川区临江镇幼儿园",
        "C100",
        "幼儿园",
        "民办",
        180,
        "否",
        None,
        1,
        3000,
        "重庆市永川区临江镇河街2号",
        105.76,
        29.41,
        "",
    ),
]
GOOD_STAFF = [
    ("S100", "李建国", "男", "T001", "17000001234", "校长", "是"),
    ("S100", "王芳", "女", "T002", "17000001235", "班主任、任课教师", "否"),
    ("S101", "张敏", "女", "", "", "幼儿教师", ""),
]


def test_the_template_has_a_sheet_per_kind_with_headers(world, login):
    wb = template(login(world.users["bureau"]))
    assert [ws.title for ws in wb.worksheets[:3]] == ["教管中心", "学校", "教职工"]
    headers = [c.value for c in wb.worksheets[1][1]]
    assert "学校代码 *" in headers and "学校类型 *" in headers and "经度" in headers


def test_the_bureau_imports_centres_schools_and_staff(world, login):
    client = login(world.users["bureau"])
    wb = fill(
        template(client),
        centres=[("C100", "临江镇教育管理中心", "")],
        schools=GOOD_SCHOOLS,
        staff=GOOD_STAFF,
    )
    response = upload(client, wb)
    assert response.status_code == 200
    assert "已导入" in response.content.decode()
    school = Org.objects.get(code="S100")
    assert school.parent.code == "C100" and school.path.startswith(world.B1.path)
    assert school.school.enrolment == 960 and school.school.school_type == "primary"
    assert school.school.legal_representative.name == "李建国"
    assert Org.objects.get(code="S101").school.ownership == "private"
    wang = Person.objects.get(name="王芳")
    assert {p.code for p in wang.positions.all()} == {"class_teacher", "teacher"}
    assert AuditEvent.objects.filter(action="orgs.org.created", object_id=str(school.pk)).exists()


def test_importing_the_same_file_twice_updates_rather_than_duplicates(world, login):
    client = login(world.users["bureau"])
    for enrolment in (960, 1000):
        rows = [GOOD_SCHOOLS[0][:5] + (enrolment,) + GOOD_SCHOOLS[0][6:]]
        upload(
            client,
            fill(
                template(client),
                centres=[("C100", "临江镇教育管理中心", "")],
                schools=rows,
                staff=GOOD_STAFF[:2],
            ),
        )
    assert Org.objects.filter(code="S100").count() == 1
    assert Org.objects.get(code="S100").school.enrolment == 1000
    assert Person.objects.filter(name="王芳").count() == 1


def test_a_file_with_bad_rows_is_refused_whole_with_a_message_per_row(world, login):
    client = login(world.users["bureau"])
    schools = [
        GOOD_SCHOOLS[0],
        (
            "S102",
            "永川区某小学",
            "C404",
            "小学",
            "公办",
            "三百",
            "否",
            None,
            1,
            0,
            "",
            105.8,
            29.4,
            "",
        ),
        ("S103", "", "C100", "大学", "公办", 100, "也许", None, 1, 0, "", 200, 29.4, ""),
    ]
    staff = [("S100", "李建国", "男", "T001", "1700abc", "校长,扫地僧", "是")]
    before = (Org.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    response = upload(
        client,
        fill(
            template(client),
            centres=[("C100", "临江镇教育管理中心", "")],
            schools=schools,
            staff=staff,
        ),
    )
    text = response.content.decode()
    problems = [str(p) for p in response.context["report"].problems]
    assert (Org.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before
    expected = [
        ("学校", 3, "上级单位代码", "C404"),
        ("学校", 3, "在校学生数", "三百"),
        ("学校", 4, "学校名称", ""),
        ("学校", 4, "学校类型", "大学"),
        ("学校", 4, "是否寄宿", "也许"),
        ("学校", 4, "经度", "200"),
        ("教职工", 2, "手机号", "1700abc"),
        ("教职工", 2, "岗位", "扫地僧"),
    ]
    for sheet, row, column, value in expected:
        assert any(
            f"“{sheet}”" in p and f"第 {row} 行" in p and f"“{column}”" in p and value in p
            for p in problems
        ), (sheet, row, column, problems)
    assert len(problems) == len(expected)
    assert "没有导入" in text or "未导入" in text


def test_a_file_that_is_not_excel_is_refused_with_a_clear_message(world, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/orgs/import/", {"file": SimpleUploadedFile("schools.xlsx", b"name,code\n", XLSX)}
    )
    assert "不是 Excel" in response.content.decode()


def test_a_bureau_cannot_import_into_another_district(world, login):
    client = login(world.users["bureau"])
    response = upload(
        client, fill(template(client), staff=[("S9", "外区老师", "男", "", "", "", "")])
    )
    assert not Person.objects.filter(name="外区老师").exists()
    assert "S9" in str(response.context["report"].problems[0])


def test_schools_cannot_import(world, login):
    client = login(world.users["school"])
    assert client.get("/orgs/import/").status_code == 404
    assert client.get("/orgs/import/template.xlsx").status_code == 404


def test_a_view_only_role_in_another_district_gives_no_right_to_change_it(world, login):
    from anwen.orgs import services

    services.role_assign(user=world.users["bureau"], org=world.B2, role="bureau_leader")
    client = login(world.users["bureau"])
    upload(
        client,
        fill(
            template(client),
            centres=[("C9", "改名", "")],
            schools=[("S9", "搬走", "C1", "小学") + (None,) * 10],
        ),
    )
    assert Org.objects.get(code="C9").name == "另一镇教育管理中心"
    assert Org.objects.get(code="S9").parent.code == "C9"


def test_odd_numbers_and_long_text_get_a_row_message_not_an_error(world, login):
    client = login(world.users["bureau"])
    schools = [
        (
            "S200",
            "学" * 130,
            "C1",
            "小学",
            "公办",
            "Infinity",
            "否",
            None,
            "1e30",
            0,
            "",
            "NaN",
            29.4,
            "",
        )
    ]
    before = Org.objects.count()
    response = upload(client, fill(template(client), schools=schools))
    problems = " ".join(str(p) for p in response.context["report"].problems)
    assert Org.objects.count() == before
    for column in ("学校名称", "在校学生数", "校门数", "经度"):
        assert f"“{column}”" in problems, problems


@pytest.mark.req("PL8")
def test_the_template_offers_the_position_library_as_a_dropdown(world, login):
    from openpyxl.utils import get_column_letter

    from anwen.orgs.models import Position

    Position.objects.create(code="dorm_keeper", name="宿管员", sort_order=999)
    wb = template(login(world.users["bureau"]))
    staff = wb["教职工"]
    headers = [c.value for c in staff[1]]
    letter = get_column_letter(headers.index("岗位") + 1)
    rules = [
        dv
        for dv in staff.data_validations.dataValidation
        if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)
    ]
    assert len(rules) == 1 and rules[0].type == "list"
    sheet_ref, cells = rules[0].formula1.rsplit("!", 1)
    lists = wb[sheet_ref.strip("'")]
    assert lists.sheet_state == "hidden"
    first, last = cells.replace("$", "").split(":")
    listed = [row[0].value for row in lists[first:last]]
    names = list(Position.objects.order_by("sort_order", "code").values_list("name", flat=True))
    assert listed == names and "宿管员" in listed and "班主任" in listed
    # School type offers its values too, and refuses others.
    school_headers = [c.value for c in wb["学校"][1]]
    type_letter = get_column_letter(school_headers.index("学校类型 *") + 1)
    type_rule = next(
        dv
        for dv in wb["学校"].data_validations.dataValidation
        if any(str(r).startswith(f"{type_letter}2:") for r in dv.sqref.ranges)
    )
    assert type_rule.errorStyle == "stop"


@pytest.mark.req("PL8")
def test_a_filled_template_with_its_dropdowns_still_imports(world, login):
    client = login(world.users["bureau"])
    wb = fill(
        template(client),
        centres=[("C100", "临江镇教育管理中心", "")],
        schools=GOOD_SCHOOLS,
        staff=GOOD_STAFF,
    )
    page = upload(client, wb).content.decode()
    assert "已导入" in page or "Imported" in page


@pytest.mark.req("PL8")
def test_the_import_page_names_the_positions_and_links_the_library(world, login):
    client = login(world.users["bureau"])
    page = client.get("/orgs/import/").content.decode()
    assert 'href="/orgs/positions/"' in page and "班主任" in page
    library = client.get("/orgs/positions/")
    assert library.status_code == 200 and "班主任" in library.content.decode()


def test_importing_without_a_file_says_so_at_the_file_field(world, login):
    response = login(world.users["bureau"]).post("/orgs/import/", {})
    assert response.status_code == 400
    page = response.content.decode()
    field = page.split('id="id_file"', 1)[1].split("</div>", 1)[0]
    assert 'aria-invalid="true"' in field
    assert '<ul class="errorlist" id="id_file_error"><li>请选择要导入的 Excel 文件。</li>' in field
    assert 'class="message error"' not in page
