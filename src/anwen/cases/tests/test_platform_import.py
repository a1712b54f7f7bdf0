"""The bureau's clerk imports the items the supervision platform (互联网+督查) handed down, from
its Excel or JSON export: each row a petition on the platform channel, the clerk its first
receiver, the clocks running from the day it was handed down; the whole file checked first,
nothing written if a row is wrong, nothing registered twice."""

import io
import json
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from anwen.audit.models import AuditEvent
from anwen.cases.models import Case
from anwen.workflow.models import Timer

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = "/cases/import/platform/"
TODAY = datetime(2026, 10, 12, 10, tzinfo=TZ)

# The platform's own export: a title above the table, its own names for the columns.
HEADER = ["编号", "标题", "内容", "姓名", "电话", "受理时间", "办理期限"]
ITEMS = [
    [
        "DC2026-0917",
        "学校周边交通拥堵",
        "上下学时段校门口拥堵，请求设置护学岗。",
        "赵大海",
        "13900001111",
        datetime(2026, 9, 28, 9, 30),  # noqa: DTZ001 - a cell holds the wall-clock time
        "2026-10-28",
    ],
    ["DC2026-0918", "校服收费", "校服价格偏高。", "", "", "2026/9/29 14:00", None],
]


def workbook(rows, header=HEADER, title="互联网+督查交办事项清单") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def post(client, content: bytes, name="督查导出.xlsx", kind=XLSX, follow=False, **data):
    return client.post(
        URL, {"file": SimpleUploadedFile(name, content, kind), **data}, follow=follow
    )


def problems(response) -> list[str]:
    return [str(p) for p in response.context["report"].problems]


def platform_cases():
    return Case.objects.filter(channel="platform").order_by("number")


@pytest.mark.req("PS1.1")
@pytest.mark.day(TODAY)
def test_a_clerk_imports_the_platforms_excel_export_as_petitions(client, login, world, clerk):
    login(clerk)
    page = client.get("/cases/").content.decode()
    assert f'href="{URL}"' in page
    response = post(client, workbook(ITEMS))
    assert response.status_code == 302, response.content.decode()[:3000]
    message = client.get(response.url).content.decode()
    assert "已从督查平台导入：新建信访件 2 件；已导入过：0 件" in message
    first, second = platform_cases()
    assert first.type == "petition" and first.org == world.orgs["B1"]
    assert first.details == {"platform_no": "DC2026-0917", "platform_due": "2026-10-28"}
    assert second.details == {"platform_no": "DC2026-0918"}
    assert timezone.localtime(first.received_at) == datetime(2026, 9, 28, 9, 30, tzinfo=TZ)
    assert timezone.localtime(second.received_at) == datetime(2026, 9, 29, 14, 0, tzinfo=TZ)
    assert first.subject == "学校周边交通拥堵" and first.content.startswith("上下学时段")
    assert first.people == {"name": "赵大海", "phone": "13900001111"} and second.people == {}
    assert first.first_receiver == clerk and first.owner == clerk
    # Registered through the engine: its clocks run from the day the platform handed it down.
    clocks = {
        t.name for t in Timer.objects.filter(record_type="cases.petition", record_id=first.pk)
    }
    assert {"accept", "object"} <= clocks
    detail = client.get(f"/cases/{first.pk}/").content.decode()
    assert "DC2026-0917" in detail and "平台办理期限：2026-10-28" in detail
    assert "互联网+督查" in detail and "赵大海" in detail
    # The audit keeps the counts, never who wrote or what.
    event = AuditEvent.objects.get(action="cases.platform_import")
    assert event.data == {"created": 2, "already": 0}


@pytest.mark.req("PS1.1")
@pytest.mark.day(TODAY)
def test_the_template_names_the_columns_as_the_platform_does(client, login, clerk):
    login(clerk)
    response = client.get("/cases/import/platform/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.getvalue()))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == [
        "交办编号 *",
        "事项标题 *",
        "诉求内容",
        "反映人",
        "联系电话",
        "交办时间 *",
        "办理期限",
    ]
    # The filled-in template imports too.
    ws = wb.worksheets[0]
    ws.append(["DC-1", "食堂卫生", "", "", "", "2026-10-09 08:00", "2026-11-09"])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert post(client, buffer.getvalue()).status_code == 302
    assert platform_cases().get().details["platform_no"] == "DC-1"


@pytest.mark.req("PS1.1")
@pytest.mark.day(TODAY)
def test_a_file_with_bad_rows_is_refused_whole_with_a_message_per_row(client, login, clerk):
    login(clerk)
    rows = [
        ITEMS[0],
        ["DC-2", "", "内容", "", "1390abc", "昨天", "2026-10-01"],
        ["DC-3", "标题", "", "", "", "2026-09-30 10:00", "2026-09-01"],
        ["DC-4", "标题", "", "", "", "2026-12-30 10:00", "下周"],
    ]
    before = (Case.objects.count(), AuditEvent.objects.count())
    response = post(client, workbook(rows))
    assert response.status_code == 200
    found = problems(response)
    expected = [
        (4, "事项标题", "为空"),  # row 1 is the export's title, row 2 the header
        (4, "联系电话", "1390abc"),
        (4, "交办时间", "昨天"),
        (5, "办理期限", "早于交办时间"),
        (6, "交办时间", "晚于当前时间"),
        (6, "办理期限", "下周"),
    ]
    for row, column, text in expected:
        assert any(f"第 {row} 行“{column}”" in p and text in p for p in found), (row, found)
    assert len(found) == len(expected), found
    assert "没有导入" in response.content.decode() or "未导入" in response.content.decode()
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.day(TODAY)
def test_the_same_item_twice_in_one_file_is_a_bad_row(client, login, clerk):
    login(clerk)
    response = post(client, workbook([ITEMS[0], ITEMS[1], ITEMS[0]]))
    found = problems(response)
    assert len(found) == 1 and "第 5 行“交办编号”" in found[0] and "首次在第 3 行" in found[0]
    assert not platform_cases().exists()


@pytest.mark.req("PS1.1")
@pytest.mark.day(TODAY)
def test_importing_the_same_export_again_registers_nothing_twice(client, login, clerk):
    login(clerk)
    assert post(client, workbook(ITEMS)).status_code == 302
    response = post(client, workbook(ITEMS), follow=True)
    assert "新建信访件 0 件；已导入过：2 件" in response.content.decode()
    assert platform_cases().count() == 2
    newer = [*ITEMS, ["DC2026-0920", "学生午餐", "", "", "", "2026-10-09 11:00", None]]
    response = post(client, workbook(newer), follow=True)
    assert "新建信访件 1 件；已导入过：2 件" in response.content.decode()
    assert platform_cases().count() == 3


@pytest.mark.day(TODAY)
def test_another_districts_clerk_cannot_import_into_this_district(
    client, login, world, clerk, other_clerk
):
    login(other_clerk)
    response = post(client, workbook(ITEMS), org=str(world.orgs["B1"].pk))
    assert response.status_code == 404
    assert not Case.objects.filter(org=world.orgs["B1"]).exists()
    # Into their own bureau the same items are theirs; the item numbers count per bureau.
    assert post(client, workbook(ITEMS)).status_code == 302
    assert set(platform_cases().values_list("org__code", flat=True)) == {"B2"}
    login(clerk)
    assert post(client, workbook(ITEMS)).status_code == 302
    assert platform_cases().filter(org=world.orgs["B1"]).count() == 2


@pytest.mark.day(TODAY)
def test_who_does_not_register_petitions_finds_no_import_page(client, login, world):
    login(world.users["school"])
    assert client.get(URL).status_code == 404
    assert client.get("/cases/import/platform/template.xlsx").status_code == 404
    assert post(client, workbook(ITEMS)).status_code == 404
    assert not Case.objects.exists()


def _bomb() -> bytes:
    """A small workbook whose shared-strings part inflates to 60 MB."""
    source = zipfile.ZipFile(io.BytesIO(workbook(ITEMS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/padding.xml", "w") as part:
            for _ in range(60):
                part.write(b"A" * (1 << 20))
    return out.getvalue()


@pytest.mark.day(TODAY)
def test_an_oversized_file_or_a_zip_bomb_is_refused(client, login, clerk):
    login(clerk)
    bomb = _bomb()
    assert len(bomb) < 300 * 1024
    response = post(client, bomb)
    assert response.status_code == 200
    assert "文档解压后过大（超过 50 MB）" in response.content.decode()
    huge = b"[" + b" " * (6 * 1024 * 1024) + b"]"
    response = post(client, huge, name="items.json", kind="application/json")
    assert "文件超过 5 MB" in response.content.decode(), problems(response)
    assert not Case.objects.exists()


@pytest.mark.req("PS1.1")
@pytest.mark.day(TODAY)
def test_the_platforms_json_export_imports_the_same(client, login, clerk):
    login(clerk)
    items = [
        {
            "交办编号": "DC-J1",
            "事项标题": "校车安全",
            "诉求内容": "校车超载。",
            "反映人": "钱多多",
            "联系电话": 13700002222,
            "交办时间": "2026-10-08 16:20",
            "办理期限": "2026-11-07",
            "督查类别": "教育",  # a column anwen does not keep is ignored
        }
    ]
    payload = json.dumps({"data": items}, ensure_ascii=False).encode()
    response = post(client, payload, name="export.json", kind="application/json")
    assert response.status_code == 302, problems(response)
    case = platform_cases().get()
    assert case.details == {"platform_no": "DC-J1", "platform_due": "2026-11-07"}
    assert case.people == {"name": "钱多多", "phone": "13700002222"}
    # A bad JSON row is named by its place in the array; nothing is written.
    items = [{"编号": "DC-J2", "标题": "", "受理时间": "2026-10-08"}, {"编号": ["x"]}]
    response = post(client, json.dumps(items).encode(), name="e.json", kind="application/json")
    found = problems(response)
    assert any("第 1 行“事项标题”" in p for p in found), found
    assert any("第 2 行" in p and "应为单个值" in p for p in found), found
    response = post(client, b"{not json", name="e.json", kind="application/json")
    assert "这不是可读取的 JSON 文件" in response.content.decode()
    assert platform_cases().count() == 1


@pytest.mark.day(TODAY)
def test_no_file_says_so_at_the_file_field(client, login, clerk):
    login(clerk)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "请选择督查平台导出的 Excel 或 JSON 文件。" in response.content.decode()
