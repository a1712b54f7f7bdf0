"""The one import mechanism: a file of rows (an Excel workbook, a CSV file or a JSON array)
read whole, every row checked, one message per bad cell (sheet, row, column, what is wrong, in
the user's language), and only a clean file written — all of it, in one transaction.

An importer declares its sheets (`Sheet`, `Column`: the header the template shows, the other
names a file may use, whether the column is required) and gives `run` two functions: `check`
(rows → a plan, adding a `Problem` per bad cell with a `Checker`) and `write` (the plan → the
database, through the app's services). `run` reads the file within bounds (size, rows, the
zip's unpacked size — a workbook is a zip and a small upload may inflate to gigabytes), refuses
an empty file, calls `check`, and calls `write` inside one transaction only when no row was
wrong. `template_workbook` writes the blank template: a sheet per kind, bold headers (required
ones marked * and shaded), widths, frozen header row, dropdowns for columns with fixed answers,
an instructions sheet.

A library module below the engines: it imports no anwen app (only `zipbounds` and `errors`).
Users: `orgs/imports.py` (centres, schools, staff), `cases/platform_import.py` (items handed
down by the supervision platform)."""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from anwen.zipbounds import ZipTooLarge, check_bounds

MAX_BYTES = 10 * 1024 * 1024
# What a workbook may unpack to. openpyxl reads the shared-strings table whole even in
# read-only mode, so a few KB that inflate to gigabytes would take the worker's memory. A full
# template of MAX_ROWS rows unpacks to a few MB.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_ROWS = 20000
MAX_INTEGER = 2_147_483_647  # the largest value a PositiveIntegerField holds on PostgreSQL

YES = {"是", "yes", "y", "true", "1", "√"}
NO = {"否", "no", "n", "false", "0", ""}

# How a date or a moment may be written in a cell that holds text (a cell Excel keeps as a
# date arrives as a `datetime` and is read as "2026-09-28 09:30:00").
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日%H时%M分",
)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")

Row = tuple[int, dict[str, str]]  # (the row's number in the file, column key → text)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translation: the header the template shows
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers a file may use for it (the Chinese names)


@dataclass(frozen=True)
class Sheet:
    key: str
    title: Any  # lazy translation: the sheet's name in the template
    columns: tuple[Column, ...]


@dataclass
class Problem:
    sheet: str
    row: int  # 0: the sheet or the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("Sheet “%(sheet)s”, row %(row)d, “%(column)s”: %(message)s") % vars(self)
        return _("Sheet “%(sheet)s”: %(message)s") % vars(self)


@dataclass
class Result:
    """What an import found and did: the problems (nothing was written if there is one), and
    how many records of each kind were created, updated or skipped as already there."""

    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def refuse(self, message: str, sheet: str = "") -> None:
        """A problem with the file as a whole (not a row)."""
        self.problems.append(Problem(sheet or _("file"), 0, "", message))


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_unzipped: int = MAX_UNZIPPED_BYTES
    max_entries: int = MAX_ZIP_ENTRIES
    max_rows: int = MAX_ROWS


# --- names in both languages ------------------------------------------------------------------


def in_both_languages(text) -> set[str]:
    """A lazy label as the active language, Chinese and English render it: a file filled in
    under either language is read the same."""
    names = {str(text)}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(str(text))
    return names


def labels(column: Column) -> set[str]:
    """Every header that names `column`: its label in both languages, its aliases, its key."""
    names = in_both_languages(column.label) | set(column.aliases)
    return {n.strip().rstrip("*").strip() for n in names}


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- reading ----------------------------------------------------------------------------------


def open_workbook(file, result: Result, limits: Limits = Limits()):
    """The workbook in `file`, opened read-only once its size and its zip's directory are
    within `limits`; None (and a problem in `result`) otherwise."""
    size = getattr(file, "size", None)
    if size is not None and size > limits.max_bytes:
        result.refuse(
            _("the file is larger than %(mb)d MB.") % {"mb": limits.max_bytes // (1024 * 1024)}
        )
        return None
    try:
        # Judged from the zip's directory before openpyxl inflates anything.
        with zipfile.ZipFile(file) as archive:
            check_bounds(archive, max_unzipped=limits.max_unzipped, max_entries=limits.max_entries)
        file.seek(0)
        return load_workbook(file, read_only=True, data_only=True)
    except ZipTooLarge as exc:
        result.refuse(str(exc))
        return None
    except Exception:  # noqa: BLE001
        # openpyxl raises many unrelated kinds of error (zip, XML, KeyError …) on a file that
        # is not a real .xlsx; each means the same to the user.
        not_excel(result)
        return None


def not_excel(result: Result) -> None:
    result.refuse(_("this is not an Excel (.xlsx) file; download the template and fill it in."))


def find_sheet(wb, sheet: Sheet):
    names = in_both_languages(sheet.title)
    for ws in wb.worksheets:
        if ws.title.strip() in names:
            return ws
    return None


def _positions(header: Sequence, sheet: Sheet) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        text = cell_text(raw).rstrip("*").strip()
        for column in sheet.columns:
            if text in labels(column):
                found[column.key] = index
    return found


def _lacks(sheet: Sheet, positions: dict[str, int]) -> list[str]:
    return [str(c.label) for c in sheet.columns if c.required and c.key not in positions]


def read_sheet(
    ws, sheet: Sheet, result: Result, *, max_rows: int = MAX_ROWS, header_rows: int = 1
) -> list[Row]:
    """The non-empty rows of `ws` under its header row, as (row number, key → text). The header
    is the first row, or — when `header_rows` > 1, for exports that put a title above the
    table — the first of that many rows that names every required column."""
    return read_rows(
        ws.iter_rows(values_only=True), sheet, result, max_rows=max_rows, header_rows=header_rows
    )


def read_rows(
    rows: Iterable[Sequence[Any]],
    sheet: Sheet,
    result: Result,
    *,
    max_rows: int = MAX_ROWS,
    header_rows: int = 1,
) -> list[Row]:
    """`read_sheet` over any rows of cells (a worksheet's, a CSV file's)."""
    rows = iter(rows)
    positions: dict[str, int] = {}
    number = 0
    for number, header in enumerate(rows, start=1):  # noqa: B007
        positions = _positions(header or (), sheet)
        if not _lacks(sheet, positions) or number >= header_rows:
            break
    missing = _lacks(sheet, positions)
    if missing:
        result.problems.append(
            Problem(
                str(sheet.title),
                0,
                "",
                _("the header row lacks the required columns %(columns)s; start from the template.")
                % {"columns": "、".join(missing)},
            )
        )
        return []
    out = []
    header_at = number
    for number, values in enumerate(rows, start=header_at + 1):
        if number - header_at > max_rows:
            result.problems.append(
                Problem(
                    str(sheet.title),
                    0,
                    "",
                    _("more than %(n)d rows; split the file.") % {"n": max_rows},
                )
            )
            break
        row = {key: cell_text(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if any(row.values()):
            out.append((number, row))
    return out


def read_workbook(
    file,
    sheets: Sequence[Sheet],
    result: Result,
    *,
    limits: Limits = Limits(),
    any_sheet: bool = False,
    header_rows: int = 1,
) -> dict[str, list[Row]]:
    """Each declared sheet's rows (a sheet missing from the file has none). `any_sheet`: a
    single declared sheet is read from the file's first sheet when none bears its title (an
    export from another system names its sheet as it likes)."""
    wb = open_workbook(file, result, limits)
    if wb is None:
        return {}
    data: dict[str, list[Row]] = {}
    try:
        for sheet in sheets:
            ws = find_sheet(wb, sheet)
            if ws is None and any_sheet and len(sheets) == 1 and wb.worksheets:
                ws = wb.worksheets[0]
            data[sheet.key] = (
                read_sheet(ws, sheet, result, max_rows=limits.max_rows, header_rows=header_rows)
                if ws is not None
                else []
            )
    except Exception:  # noqa: BLE001
        # In read-only mode the sheets are parsed only here, row by row: a number cell holding
        # text, 30 February, a shared-string index past the table raise whatever openpyxl
        # meets (ValueError, IndexError …). Each means the file is not a readable workbook.
        not_excel(result)
        return {}
    finally:
        wb.close()
    return data


def read_json(file, sheet: Sheet, result: Result, *, limits: Limits = Limits()) -> list[Row]:
    """The rows of a JSON export: an array of objects (or an object holding that array under
    "data", "items", "records", "rows" or "list"), each object's keys matched against the
    column names like a header. Row numbers count the objects from 1."""
    size = getattr(file, "size", None)
    raw = file.read(limits.max_bytes + 1)
    if (size is not None and size > limits.max_bytes) or len(raw) > limits.max_bytes:
        result.refuse(
            _("the file is larger than %(mb)d MB.") % {"mb": limits.max_bytes // (1024 * 1024)}
        )
        return []
    try:
        items = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        result.refuse(_("this is not a readable JSON file."))
        return []
    if isinstance(items, dict):
        items = next(
            (
                items[k]
                for k in ("data", "items", "records", "rows", "list")
                if isinstance(items.get(k), list)
            ),
            None,
        )
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        result.refuse(_("the JSON file must hold an array of objects, one per row."))
        return []
    if len(items) > limits.max_rows:
        result.refuse(
            _("more than %(n)d rows; split the file.") % {"n": limits.max_rows}, str(sheet.title)
        )
        return []
    keys = {name: column.key for column in sheet.columns for name in labels(column) | {column.key}}
    present = {keys[k.strip()] for item in items for k in item if k.strip() in keys}
    missing = [str(c.label) for c in sheet.columns if c.required and c.key not in present]
    if items and missing:
        result.problems.append(
            Problem(
                str(sheet.title),
                0,
                "",
                _("the header row lacks the required columns %(columns)s; start from the template.")
                % {"columns": "、".join(missing)},
            )
        )
        return []
    out: list[Row] = []
    for number, item in enumerate(items, start=1):
        row: dict[str, str] = {}
        for name, value in item.items():
            key = keys.get(name.strip())
            if key is None:
                continue
            if isinstance(value, dict | list):
                result.problems.append(
                    Problem(
                        str(sheet.title),
                        number,
                        name,
                        _("holds a list or an object; a plain value is expected."),
                    )
                )
                value = ""
            row[key] = "" if value is None or value is False else cell_text(value)
        if any(row.values()):
            out.append((number, row))
    return out


# Encodings a CSV export arrives in: UTF-8 (with the BOM Excel writes, or without), else the
# GBK of a Chinese Windows export (read as GB18030, its superset).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def read_csv(
    file, sheet: Sheet, result: Result, *, limits: Limits = Limits(), header_rows: int = 1
) -> list[Row]:
    """The rows of a CSV export (a video platform's), read like a sheet (`read_rows`): the
    header names the columns, row numbers count the lines as a spreadsheet shows them. UTF-8
    with or without a BOM, or GBK; comma, semicolon or tab between the cells."""
    size = getattr(file, "size", None)
    raw = file.read(limits.max_bytes + 1)
    if (size is not None and size > limits.max_bytes) or len(raw) > limits.max_bytes:
        result.refuse(
            _("the file is larger than %(mb)d MB.") % {"mb": limits.max_bytes // (1024 * 1024)}
        )
        return []
    text = None
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        result.refuse(_("this is not a readable CSV file (UTF-8 or GBK text)."))
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return read_rows(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
            sheet,
            result,
            max_rows=limits.max_rows,
            header_rows=header_rows,
        )
    except csv.Error:  # a cell past the csv module's size limit, a stray quote at the end
        result.refuse(_("this is not a readable CSV file (UTF-8 or GBK text)."))
        return []


def is_csv(file) -> bool:
    """Whether an upload is a CSV file: by its name or the type its browser gave."""
    name = (getattr(file, "name", "") or "").lower()
    kind = (getattr(file, "content_type", "") or "").lower()
    return name.endswith(".csv") or kind in ("text/csv", "application/csv")


def is_json(file) -> bool:
    """Whether an upload is JSON rather than a workbook: by its name, else by its first byte
    (a workbook is a zip and begins "PK")."""
    name = (getattr(file, "name", "") or "").lower()
    if name.endswith(".json"):
        return True
    if name.endswith(".xlsx"):
        return False
    head = file.read(64)
    file.seek(0)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


# --- checking a row ---------------------------------------------------------------------------


class Checker:
    """Checks the cells of one sheet's rows and turns their text into values; each bad cell
    adds a `Problem` naming the sheet, the row, the column's header and what is wrong, and
    gives back a default so the rest of the row is still checked (the user fixes the file in
    one go)."""

    def __init__(self, sheet: Sheet, result: Result):
        self.sheet = sheet
        self.result = result
        self.labels = {c.key: str(c.label) for c in sheet.columns}

    def bad(self, number: int, key: str, message: str) -> None:
        self.result.problems.append(
            Problem(str(self.sheet.title), number, self.labels[key], message)
        )

    def lengths(self, number: int, row: dict, limits: dict[str, int]) -> None:
        for key, limit in limits.items():
            if key in self.labels and len(row.get(key, "")) > limit:
                self.bad(number, key, _("is longer than %(n)d characters.") % {"n": limit})

    def required(self, number: int, row: dict, *keys: str) -> bool:
        ok = True
        for key in keys:
            if not row.get(key):
                self.bad(number, key, _("is empty; this column is required."))
                ok = False
        return ok

    def integer(self, number: int, row: dict, key: str, default: int = 0) -> int:
        text = row.get(key, "")
        if not text:
            return default
        try:
            number_ = Decimal(text)
            if not number_.is_finite():
                raise ValueError
            value = int(number_)
            if value < 0 or number_ != value or value > MAX_INTEGER:
                raise ValueError
        except (InvalidOperation, ValueError, OverflowError):
            self.bad(
                number,
                key,
                _("“%(value)s” is not a whole number; enter an integer such as 320.")
                % {"value": text},
            )
            return default
        return value

    def decimal(self, number: int, row: dict, key: str, low: float, high: float) -> Decimal | None:
        text = row.get(key, "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not (low <= value <= high):
            self.bad(
                number,
                key,
                _("“%(value)s” is not a number between %(low)s and %(high)s.")
                % {"value": text, "low": low, "high": high},
            )
            return None
        return value.quantize(Decimal("0.000001"))

    def yes_no(self, number: int, row: dict, key: str) -> bool:
        text = row.get(key, "").lower()
        if text in YES:
            return True
        if text not in NO:
            self.bad(number, key, _("“%(value)s” is neither 是 nor 否.") % {"value": row[key]})
        return False

    def choice(
        self,
        number: int,
        row: dict,
        key: str,
        choices,
        default: str = "",
        short: Mapping[str, str] | None = None,
    ) -> str:
        """The code of the choice the cell names by code or label (either language, any
        case), or by one of the `short` forms people write."""
        text = row.get(key, "")
        if not text:
            return default
        for code, label in choices:
            names = {code} | in_both_languages(label)
            if text in names or text.lower() in {n.lower() for n in names}:
                return code
        if short and text in short:
            return short[text]
        self.bad(
            number,
            key,
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": text, "allowed": "、".join(str(label) for _c, label in choices)},
        )
        return default

    def phone(self, number: int, row: dict, key: str) -> str:
        text = row.get(key, "")
        if text and not text.replace("-", "").replace(" ", "").isdigit():
            self.bad(number, key, _("“%(value)s” is not a phone number.") % {"value": text})
        return text

    def day(self, number: int, row: dict, key: str) -> date | None:
        """A date written as 2026-09-28, 2026/9/28, 2026年9月28日 (a moment's time is dropped)."""
        text = row.get(key, "")
        if not text:
            return None
        value = _parse_day(text)
        if value is None:
            moment = _parse_moment(text)
            value = moment.date() if moment else None
        if value is None:
            self.bad(
                number,
                key,
                _("“%(value)s” is not a date; write it as 2026-09-28.") % {"value": text},
            )
        return value

    def moment(self, number: int, row: dict, key: str) -> datetime | None:
        """A date and time in the current time zone; a date alone is that day's start."""
        text = row.get(key, "")
        if not text:
            return None
        value = _parse_moment(text)
        if value is None:
            day = _parse_day(text)
            value = datetime.combine(day, time()) if day else None
        if value is None:
            self.bad(
                number,
                key,
                _("“%(value)s” is not a date and time; write it as 2026-09-28 09:30.")
                % {"value": text},
            )
            return None
        return timezone.make_aware(value) if timezone.is_naive(value) else value


def _parse_moment(text: str) -> datetime | None:
    text = " ".join(text.split())
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - wall-clock time, made aware by the caller
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_day(text: str) -> date | None:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - only the date is kept
        except ValueError:
            continue
    return None


def duplicates(rows: Iterable[Row], key: str) -> dict[int, int]:
    """Rows whose `key` repeats an earlier row's: {row number: the earlier row's number}."""
    first: dict[str, int] = {}
    out: dict[int, int] = {}
    for number, row in rows:
        value = row.get(key, "")
        if not value:
            continue
        if value in first:
            out[number] = first[value]
        else:
            first[value] = number
    return out


# --- the whole import ---------------------------------------------------------------------------


R = TypeVar("R", bound=Result)


def run(
    result: R,
    data: dict[str, list[Row]],
    *,
    check: Callable[[dict[str, list[Row]], R], Any],
    write: Callable[[Any, R], None],
) -> R:
    """Validate everything first, then write everything in one transaction: `check` sees every
    row and adds a problem per bad cell; `write` runs only when there is none. A file that
    could not be read as a whole (a problem outside any row) is not checked further."""
    if any(not p.row for p in result.problems):
        return result
    if not any(data.values()):
        result.refuse(_("the file holds no rows to import."))
        return result
    plan = check(data, result)
    if not result.ok:
        return result
    with transaction.atomic():
        write(plan, result)
    return result


# --- the blank template -------------------------------------------------------------------------


@dataclass(frozen=True)
class Dropdown:
    """A fixed set of answers for the columns with this key. `several`: the cell may hold
    several values (separated by 、), so other input only warns."""

    values: list[str]
    several: bool = False
    error: Any = None  # the message Excel shows on other input


LISTS_SHEET = gettext_lazy("Lists")


def _add_dropdowns(wb: Workbook, sheets: Sequence[Sheet], dropdowns: dict[str, Dropdown]) -> None:
    """A dropdown on each column with a fixed set of answers. The values live on a hidden
    sheet (a list written into the rule itself may not exceed 255 characters)."""
    hidden = wb.create_sheet(str(LISTS_SHEET))
    hidden.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for index, (key, dropdown) in enumerate(dropdowns.items(), start=1):
        letter = get_column_letter(index)
        hidden.cell(row=1, column=index, value=key)
        for row, value in enumerate(dropdown.values, start=2):
            hidden.cell(row=row, column=index, value=value)
        ranges[key] = (
            f"{quote_sheetname(hidden.title)}!${letter}$2:${letter}${len(dropdown.values) + 1}"
        )
    for sheet in sheets:
        ws = wb[str(sheet.title)]
        for index, column in enumerate(sheet.columns, start=1):
            if column.key not in ranges or not dropdowns[column.key].values:
                continue
            dropdown = dropdowns[column.key]
            rule = DataValidation(
                type="list",
                formula1=ranges[column.key],
                allow_blank=True,
                errorStyle="warning" if dropdown.several else "stop",
                showErrorMessage=True,
                errorTitle=str(column.label),
                error=str(dropdown.error)
                if dropdown.error
                else _("Choose one of the values in the list."),
            )
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(rule)


def template_workbook(
    sheets: Sequence[Sheet],
    *,
    notes: Sequence[str] = (),
    dropdowns: dict[str, Dropdown] | None = None,
) -> bytes:
    """The blank template as .xlsx bytes: a sheet per declared sheet with its headers (required
    ones marked * and shaded), widths fitting the headers, the header row frozen; an
    instructions sheet with `notes`; dropdowns from `dropdowns` (column key → values)."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for sheet in sheets:
        ws = wb.create_sheet(str(sheet.title))
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(
                row=1, column=index, value=str(column.label) + (" *" if column.required else "")
            )
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            ws.column_dimensions[cell.column_letter].width = max(12, len(str(column.label)) * 2 + 4)
        ws.freeze_panes = "A2"
    if notes:
        ws = wb.create_sheet(_("Instructions"))
        for line in notes:
            ws.append([str(line)])
        ws.column_dimensions["A"].width = 100
    if dropdowns:
        _add_dropdowns(wb, sheets, dropdowns)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
