"""Excel export for every list. A list view builds an `Exporter` (columns + rows) and returns
`anwen.orgs.exporting.export_response(request, exporter, name)`, which audits the download
(this library imports no app, so it cannot); the base here writes a title block (what, for
which organisation, which period, which filters), headers, widths and frozen headings.

The sheet is: HEADING_ROWS rows of title, then the column headers, then one row per record."""

import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Row 1: what, for whom, which period; row 2: the filters and when it was made.
HEADING_ROWS = 2
# Columns at least this wide hold sentences (a problem found, a measure): they wrap on paper
# instead of running under the next column.
WRAP_FROM = 30
# About as many characters of width as an A4 page holds upright; a wider sheet prints across.
PORTRAIT_UP_TO = 100
_WRAP = Alignment(wrap_text=True, vertical="top")
# Records fetched from the database at a time: memory stays flat however long the list.
CHUNK = 2000


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
    # The title block, filled in by whoever knows the request (see orgs.exporting).
    heading: list[str] = field(default_factory=list)
    row_count: int = 0  # set by workbook(): how many records were written

    def workbook(self) -> bytes:
        """The workbook in memory: for small sheets and tests. Downloads use `write`."""
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    def write(self, target: IO[bytes]) -> None:
        """Write the workbook to a file. openpyxl's write-only mode streams rows out as they
        come and the rows are fetched a chunk at a time, so memory does not grow with the
        list: a year of a district's records exports like a page of them."""
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_sheet_name(str(self.title)))
        ws.freeze_panes = f"A{HEADING_ROWS + 2}"
        _print_setup(ws, self.columns)  # before the first row: the sheet's head goes out with it
        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        lines = [*self.heading, "", ""][:HEADING_ROWS]
        lines[0] = lines[0] or str(self.title)
        for number, line in enumerate(lines):
            cell = WriteOnlyCell(ws, value=_plain(line))
            cell.font = Font(bold=number == 0, size=13 if number == 0 else 10)
            ws.append([cell])
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(ws, value=_plain(str(column.header)))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        wraps = [column.width >= WRAP_FROM for column in self.columns]
        count = 0
        for row in _each(self.rows):
            ws.append(
                [
                    _wrapped(ws, value) if wrap else value
                    for wrap, value in zip(
                        wraps, (_plain(column.value(row)) for column in self.columns), strict=True
                    )
                ]
            )
            count += 1
        self.row_count = count
        wb.save(target)


def _print_setup(ws, columns: list[Column]) -> None:
    """The sheet as an office prints and files it: A4, across the page when the columns are
    wide, one page wide however many rows, the column headers again on every page, grid lines,
    and the page number at the foot."""
    wide = sum(column.width for column in columns) > PORTRAIT_UP_TO
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADING_ROWS + 1}:{HEADING_ROWS + 1}"
    ws.print_options.gridLines = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = str(_("Page &P of &N"))


def _wrapped(ws, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.alignment = _WRAP
    return cell


def _each(rows: Iterable[Any]) -> Iterator[Any]:
    if isinstance(rows, QuerySet) and rows._result_cache is None:
        # A chunked cursor instead of the whole list of model instances; chunk_size keeps
        # the queryset's prefetch_related working.
        return rows.iterator(chunk_size=CHUNK)
    return iter(rows)


def row_count(rows: Iterable[Any]) -> int | None:
    """How many records `rows` holds, when that can be known without reading them."""
    if isinstance(rows, QuerySet):
        return rows.count()
    if hasattr(rows, "__len__"):
        return len(rows)  # type: ignore[arg-type]
    return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """What a cell may hold: every value of the sheet (title, filters, headers, rows) passes
    here, so this is the one place that makes client text safe for Excel."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    # openpyxl refuses control characters (a `q=%0b` filter, a name pasted with a vertical tab)
    # with an exception, which would be a 500; they mean nothing in a sheet, so they go.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    # A name typed as "=HYPERLINK(…)" must stay text in the bureau's Excel, not run.
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _sheet_name(title: str) -> str:
    # Excel refuses []:*?/\ in a sheet name and more than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "", ILLEGAL_CHARACTERS_RE.sub("", title))[:31] or "Sheet"


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+|\s+')


def file_name(*parts: str) -> str:
    """`教职工名单_永川区_2026-12-01.xlsx`: the parts that are not empty, joined, made safe for
    every operating system's file names."""
    cleaned = [_UNSAFE.sub("", str(part)) for part in parts]
    return "_".join(part for part in cleaned if part)[:150] + ".xlsx"


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment header with the Chinese name (RFC 5987/6266 `filename*`) and an ASCII
    `filename` for clients that read only that."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", fallback).strip("-") or "export.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def workbook_response(exporter: Exporter, *, filename: str, fallback: str) -> FileResponse:
    """The response carrying the workbook, written to a temporary file on disk and streamed
    from there (the file goes when the response is closed). Not for views: they call the
    audited `orgs.exporting.export_response`, which calls this."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exporter.write(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response


def period_between(start, end) -> str:
    """`2026-03-01~2026-03-31`, one day alone, one open end (`~2026-03-31`), or "" for none."""
    if start and end and start == end:
        return str(start)
    if not start and not end:
        return ""
    return f"{start or ''}~{end or ''}"
