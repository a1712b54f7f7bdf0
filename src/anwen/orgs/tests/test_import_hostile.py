"""A hostile or broken workbook posted to the import gets a message, never a 500 nor the
worker's memory, and nothing is written: a zip bomb is refused from the zip's directory before
openpyxl opens it; a malformed cell (read lazily, sheet by sheet) is "not a readable Excel
file" like any other broken package."""

import io
import resource
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL8")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _rows() -> dict:
    return {
        m._meta.label: m._default_manager.count() for m in apps.get_app_config("orgs").get_models()
    }


def _staff_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "教职工"
    ws.append(["所在单位代码", "姓名", "性别", "工号", "手机号", "岗位", "法定代表人"])
    ws.append(["S1", "张三", "男", "", "13800000000", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rewrite(xlsx: bytes, replace: dict[str, bytes], add_shared_strings_mb: int = 0) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            if add_shared_strings_mb and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif add_shared_strings_mb and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(info.filename, data)
        if add_shared_strings_mb:
            with target.open("xl/sharedStrings.xml", "w") as part:
                part.write(f'<?xml version="1.0"?><sst xmlns="{NS}"><si><t>'.encode())
                chunk = b"A" * (1 << 20)
                for _ in range(add_shared_strings_mb):
                    part.write(chunk)
                part.write(b"</t></si></sst>")
    return out.getvalue()


def _post(client, content: bytes):
    return client.post("/orgs/import/", {"file": SimpleUploadedFile("staff.xlsx", content, XLSX)})


def test_a_zip_bomb_is_refused_unopened(world, login):
    client = login(world.users["admin"])
    bomb = _rewrite(_staff_workbook(), {}, add_shared_strings_mb=80)
    assert len(bomb) < 200 * 1024  # 80 MB of shared strings in a small upload
    before, peak = _rows(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = _post(client, bomb)
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) // 1024
    assert response.status_code == 200
    assert "文档解压后过大（超过 50 MB）" in response.content.decode()
    assert growth_mb < 40
    assert _rows() == before


def _sheet(row2: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>所在单位代码</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>'
        f'<row r="2">{row2}</row></sheetData></worksheet>'
    ).encode()


@pytest.mark.parametrize(
    "row2",
    [
        # a number cell holding text: ValueError in int()
        "<c r='A2'><v>S1</v></c><c r='B2' t='n'><v>abc</v></c>",
        # 30 February: ValueError, day out of range
        "<c r='A2' t='inlineStr'><is><t>S1</t></is></c><c r='B2' t='d'><v>2026-02-30</v></c>",
        # a shared-string index past the table: IndexError
        "<c r='A2' t='s'><v>99999</v></c><c r='B2' t='s'><v>-1</v></c>",
    ],
    ids=["number_with_text", "date_overflow", "shared_string_out_of_range"],
)
def test_a_malformed_cell_is_not_a_readable_excel_file(world, login, row2):
    client = login(world.users["admin"])
    content = _rewrite(_staff_workbook(), {"xl/worksheets/sheet1.xml": _sheet(row2)})
    before = _rows()
    response = _post(client, content)
    assert response.status_code == 200
    assert "这不是 Excel（.xlsx）文件" in response.content.decode()
    assert _rows() == before
