"""Excel export for every list. A list view builds an `Exporter` (columns + rows) and returns
`xlsx_response(exporter)`; the base writes headers, widths and a frozen header row."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: Any  # a (lazy) translated string
    value: Callable[[Any], Any]
    width: int = 14


@dataclass
class Exporter:
    title: Any
    columns: list[Column]
    rows: Iterable[Any]

    def workbook(self) -> bytes:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(str(self.title)[:31])
        ws.freeze_panes = "A2"
        for index, column in enumerate(self.columns):
            ws.column_dimensions[chr(ord("A") + index)].width = column.width
        header = []
        for column in self.columns:
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws, value=str(column.header))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in self.rows:
            ws.append([_plain(column.value(row)) for column in self.columns])
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    # A name typed as "=HYPERLINK(…)" must stay text in the bureau's Excel, not run.
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def xlsx_response(exporter: Exporter, filename: str) -> HttpResponse:
    response = HttpResponse(exporter.workbook(), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
