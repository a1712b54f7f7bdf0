"""Reading the workbooks that exports write, for tests: the title block apart from the table."""

import io
from typing import Any

from openpyxl import load_workbook

from anwen.exports.xlsx import HEADING_ROWS


def workbook_bytes(download: Any) -> bytes:
    """The file of a download: a test client's response (exports stream) or bytes."""
    if isinstance(download, bytes):
        return download
    # A streamed body can be read once: keep it on the response for the next look.
    if not hasattr(download, "_sheet_bytes"):
        download._sheet_bytes = download.getvalue()
    return download._sheet_bytes


def sheet_heading(content: Any) -> list[str]:
    """The title block: what, whose, which period; the filters and when it was made."""
    sheet = load_workbook(io.BytesIO(workbook_bytes(content))).worksheets[0]
    return [row[0] or "" for row in sheet.iter_rows(max_row=HEADING_ROWS, values_only=True)]


def sheet_rows(content: Any) -> list[tuple]:
    """The table: the column headers first, then one tuple per record."""
    sheet = load_workbook(io.BytesIO(workbook_bytes(content))).worksheets[0]
    return list(sheet.iter_rows(min_row=HEADING_ROWS + 1, values_only=True))
