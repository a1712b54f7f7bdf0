import io
from datetime import date

import pytest
from openpyxl import Workbook

from anwen.devices.models import Device

HEADER = ("学校代码", "设备类型", "设备编号", "安装位置", "是否联网", "联网日期", "最近检查日期")


def xlsx(rows, header=HEADER, name="devices.xlsx") -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def csv_file(lines, *, encoding: str, name="export.csv") -> io.BytesIO:
    buffer = io.BytesIO("\r\n".join(lines).encode(encoding))
    buffer.name = name
    return buffer


@pytest.fixture
def device(world):
    def make(org="S1", code="A1", kind="alarm", **values) -> Device:
        values.setdefault("last_checked_on", date(2026, 11, 20))
        return Device.objects.create(org=world.orgs[org], code=code, kind=kind, **values)

    return make
