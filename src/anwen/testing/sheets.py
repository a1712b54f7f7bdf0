"""Reading the workbooks that exports write, for tests: the title block apart from the table."""

import io

from openpyxl import load_workbook

from anwen.exports.xlsx import HEADING_ROWS


def sheet_heading(content: bytes) -> list[str]:
    """The title block: what, whose, which period; the filters and when it was made."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [row[0] or "" for row in sheet.iter_rows(max_row=HEADING_ROWS, values_only=True)]


def sheet_rows(content: bytes) -> list[tuple]:
    """The table: the column headers first, then one tuple per record."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(min_row=HEADING_ROWS + 1, values_only=True))
