"""Import of centres, schools and staff from the Excel template anwen offers.

The whole file is read and checked first; if any row is wrong nothing is written and the user
gets one message per bad row (sheet, row number, column, what is wrong). Only a clean file is
written, in one transaction, each change audited.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from anwen.orgs import services
from anwen.orgs.models import Gender, Org, OrgKind, Ownership, Person, Position, SchoolType
from anwen.orgs.scope import has_perm, visible_orgs
from anwen.zipbounds import ZipTooLarge, check_bounds

MAX_BYTES = 10 * 1024 * 1024
# What the workbook may unpack to. openpyxl reads the shared-strings table whole even in
# read-only mode, so a few KB that inflate to gigabytes would take the worker's memory. A full
# template of MAX_ROWS staff unpacks to a few MB.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_ROWS = 20000
MAX_INTEGER = 2_147_483_647  # the largest value a PositiveIntegerField holds on PostgreSQL
# Longest text each column may hold (the model fields' max_length).
MAX_LENGTHS = {
    "code": 40,
    "name": 60,
    "parent": 40,
    "org": 40,
    "phone": 40,
    "staff_no": 40,
    "address": 200,
}

YES = {"是", "yes", "y", "true", "1", "√"}
NO = {"否", "no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translation: the header the template shows
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    key: str
    title: Any
    columns: tuple[Column, ...]


CENTRES = Sheet(
    "centres",
    gettext_lazy("Centres"),
    (
        Column("code", gettext_lazy("Centre code"), True, ("中心代码",)),
        Column("name", gettext_lazy("Centre name"), True, ("中心名称",)),
        Column("phone", gettext_lazy("Phone"), False, ("联系电话",)),
    ),
)
SCHOOLS = Sheet(
    "schools",
    gettext_lazy("Schools"),
    (
        Column("code", gettext_lazy("School code"), True, ("学校代码",)),
        Column("name", gettext_lazy("School name"), True, ("学校名称",)),
        Column("parent", gettext_lazy("Parent org code"), True, ("上级单位代码",)),
        Column("school_type", gettext_lazy("School type"), True, ("学校类型",)),
        Column("ownership", gettext_lazy("Ownership"), False, ("办学性质",)),
        Column("enrolment", gettext_lazy("Enrolment"), False, ("在校学生数",)),
        Column("boarding", gettext_lazy("Boarding"), False, ("是否寄宿",)),
        Column("boarders", gettext_lazy("Boarders"), False, ("寄宿生数",)),
        Column("gates", gettext_lazy("Gates"), False, ("校门数",)),
        Column("area_m2", gettext_lazy("Area (m²)"), False, ("占地面积（平方米）",)),
        Column("address", gettext_lazy("Address"), False, ("地址",)),
        Column("longitude", gettext_lazy("Longitude"), False, ("经度",)),
        Column("latitude", gettext_lazy("Latitude"), False, ("纬度",)),
        Column("phone", gettext_lazy("Phone"), False, ("联系电话",)),
    ),
)
STAFF = Sheet(
    "staff",
    gettext_lazy("Staff"),
    (
        Column("org", gettext_lazy("Org code"), True, ("所在单位代码",)),
        Column("name", pgettext_lazy("person", "Name"), True, ("姓名",)),
        Column("gender", gettext_lazy("Gender"), False, ("性别",)),
        Column("staff_no", gettext_lazy("Staff number"), False, ("工号",)),
        Column("phone", gettext_lazy("Mobile phone"), False, ("手机号",)),
        Column("positions", gettext_lazy("Positions"), False, ("岗位",)),
        Column("legal_rep", gettext_lazy("Legal representative"), False, ("法定代表人",)),
    ),
)
SHEETS = (CENTRES, SCHOOLS, STAFF)


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("Sheet “%(sheet)s”, row %(row)d, “%(column)s”: %(message)s") % vars(self)
        return _("Sheet “%(sheet)s”: %(message)s") % vars(self)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return _("%(centres)d centres, %(schools)d schools, %(staff)d staff") % {
            "centres": self.created.get("centres", 0) + self.updated.get("centres", 0),
            "schools": self.created.get("schools", 0) + self.updated.get("schools", 0),
            "staff": self.created.get("staff", 0) + self.updated.get("staff", 0),
        }


# --- the template ------------------------------------------------------------------------------


def _in_both_languages(text) -> set[str]:
    """A lazy label as the active language, Chinese and English render it: a file filled in
    under either language is read the same."""
    names = {str(text)}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(str(text))
    return names


def _labels(column: Column) -> set[str]:
    names = _in_both_languages(column.label) | set(column.aliases)
    return {n.strip().rstrip("*").strip() for n in names}


def _choice_lists() -> dict[str, list[str]]:
    """The values each column with a fixed set of answers accepts, for the template's
    dropdowns: positions from the library (as the bureau keeps it), school types, ownership,
    yes/no."""
    yes_no = ["是", "否"]
    return {
        "positions": list(
            Position.objects.order_by("sort_order", "code").values_list("name", flat=True)
        ),
        "school_type": [str(label) for _code, label in SchoolType.choices],
        "ownership": [str(label) for _code, label in Ownership.choices],
        "boarding": yes_no,
        "legal_rep": yes_no,
    }


LISTS_SHEET = gettext_lazy("Lists")


def _add_dropdowns(wb: Workbook) -> None:
    """A dropdown on each column with a fixed set of answers. The values live on a hidden
    sheet (a list written into the rule itself may not exceed 255 characters, and the position
    library is longer). Positions only warn on other input: a person may hold several,
    separated by 、."""
    lists = _choice_lists()
    hidden = wb.create_sheet(str(LISTS_SHEET))
    hidden.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        hidden.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            hidden.cell(row=row, column=index, value=value)
        ranges[key] = f"{quote_sheetname(hidden.title)}!${letter}$2:${letter}${len(values) + 1}"
    for sheet in SHEETS:
        ws = wb[str(sheet.title)]
        for index, column in enumerate(sheet.columns, start=1):
            if column.key not in ranges or not lists[column.key]:
                continue
            several = column.key == "positions"
            rule = DataValidation(
                type="list",
                formula1=ranges[column.key],
                allow_blank=True,
                errorStyle="warning" if several else "stop",
                showErrorMessage=True,
                errorTitle=str(column.label),
                error=_("Choose from the list; several positions are separated by 、.")
                if several
                else _("Choose one of the values in the list."),
            )
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(rule)


def template_workbook() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for sheet in SHEETS:
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
    notes = wb.create_sheet(_("Instructions"))
    for line in [
        _("Columns marked * are required. Do not rename the sheets or the headers."),
        _("School type: one of %(types)s.")
        % {"types": "、".join(str(label) for _c, label in SchoolType.choices)},
        _("Ownership: %(values)s. Boarding and legal representative: 是 or 否.")
        % {"values": "、".join(str(label) for _c, label in Ownership.choices)},
        _(
            "Parent org code: the code of a centre (in this file or already in anwen) or of the bureau."
        ),
        _("Positions: names from the position library, separated by 、 or commas."),
        _(
            "The positions, school type, ownership and yes/no columns offer their values in a "
            "dropdown."
        ),
        _("Rows with an existing code (schools) or staff number (staff) update what is there."),
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    _add_dropdowns(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reading and checking ------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(ws, sheet: Sheet, report: Report) -> list[tuple[int, dict[str, str]]]:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        text = _cell_text(raw).rstrip("*").strip()
        for column in sheet.columns:
            if text in _labels(column):
                positions[column.key] = index
    missing = [str(c.label) for c in sheet.columns if c.required and c.key not in positions]
    if missing:
        report.problems.append(
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
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            report.problems.append(
                Problem(
                    str(sheet.title),
                    0,
                    "",
                    _("more than %(n)d rows; split the file.") % {"n": MAX_ROWS},
                )
            )
            break
        row = {
            key: _cell_text(values[i]) if i < len(values) else "" for key, i in positions.items()
        }
        if any(row.values()):
            out.append((number, row))
    return out


class _Checker:
    def __init__(self, sheet: Sheet, report: Report):
        self.sheet = sheet
        self.report = report
        self.labels = {c.key: str(c.label) for c in sheet.columns}

    def bad(self, number: int, key: str, message: str) -> None:
        self.report.problems.append(
            Problem(str(self.sheet.title), number, self.labels[key], message)
        )

    def lengths(self, number: int, row: dict) -> None:
        limits = dict(MAX_LENGTHS, name=120 if self.sheet is not STAFF else 60)
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

    def choice(self, number: int, row: dict, key: str, choices, default: str = "") -> str:
        text = row.get(key, "")
        if not text:
            return default
        for code, label in choices:
            names = {code} | _in_both_languages(label)
            if text in names or text.lower() in {n.lower() for n in names}:
                return code
        # Common short forms in Chinese schools' own spreadsheets.
        if key == "school_type" and text in SHORT_TYPES:
            return SHORT_TYPES[text]
        self.bad(
            number,
            key,
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": text, "allowed": "、".join(str(label) for _c, label in choices)},
        )
        return default


SHORT_TYPES = {
    "幼儿园": SchoolType.KINDERGARTEN,
    "小学": SchoolType.PRIMARY,
    "初中": SchoolType.MIDDLE,
    "九年一贯制": SchoolType.NINE_YEAR,
    "高中": SchoolType.HIGH,
    "完全中学": SchoolType.COMPLETE,
    "中职": SchoolType.VOCATIONAL,
    "特教": SchoolType.SPECIAL,
    "特教学校": SchoolType.SPECIAL,
}
GENDERS = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
}


def _open(file, report: Report):
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        report.problems.append(
            Problem(
                _("file"),
                0,
                "",
                _("the file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            )
        )
        return None
    try:
        # Judged from the zip's directory before openpyxl inflates anything.
        with zipfile.ZipFile(file) as archive:
            check_bounds(archive, max_unzipped=MAX_UNZIPPED_BYTES, max_entries=MAX_ZIP_ENTRIES)
        file.seek(0)
        return load_workbook(file, read_only=True, data_only=True)
    except ZipTooLarge as exc:
        report.problems.append(Problem(_("file"), 0, "", str(exc)))
        return None
    except Exception:  # noqa: BLE001
        # openpyxl raises many unrelated kinds of error (zip, XML, KeyError …) on a file that
        # is not a real .xlsx; each means the same to the user.
        _not_excel(report)
        return None


def _not_excel(report: Report) -> None:
    report.problems.append(
        Problem(
            _("file"),
            0,
            "",
            _("this is not an Excel (.xlsx) file; download the template and fill it in."),
        )
    )


def _find(wb, sheet: Sheet):
    names = _in_both_languages(sheet.title)
    for ws in wb.worksheets:
        if ws.title.strip() in names:
            return ws
    return None


def import_workbook(*, file, by, request=None) -> Report:
    """Check the whole workbook, then write it all or nothing."""
    report = Report()
    wb = _open(file, report)
    if wb is None:
        return report
    data = {}
    try:
        for sheet in SHEETS:
            ws = _find(wb, sheet)
            data[sheet.key] = _read_sheet(ws, sheet, report) if ws is not None else []
    except Exception:  # noqa: BLE001
        # In read-only mode the sheets are parsed only here, row by row: a number cell holding
        # text, 30 February, a shared-string index past the table raise whatever openpyxl
        # meets (ValueError, IndexError …). Each means the file is not a readable workbook.
        _not_excel(report)
        return report
    finally:
        wb.close()
    if not any(data.values()) and report.ok:
        report.problems.append(Problem(_("file"), 0, "", _("the file holds no rows to import.")))
    if not report.ok:
        return report

    plan = _check(data, by, report)
    if not report.ok:
        return report
    with transaction.atomic():
        _write(plan, by, request, report)
    return report


def _check(data, user, report: Report) -> dict:
    # Only orgs the user may import into: a view-only role elsewhere must not let a file
    # rename or move that org.
    visible = {o.code: o for o in visible_orgs(user) if has_perm(user, "orgs.import", o)}
    bureau_codes = {c for c, o in visible.items() if o.kind == OrgKind.BUREAU}
    positions = {p.name: p for p in Position.objects.all()} | {
        p.code: p for p in Position.objects.all()
    }
    plan: dict[str, list] = {"centres": [], "schools": [], "staff": []}

    bureau = next((o for o in visible.values() if o.kind == OrgKind.BUREAU), None)
    all_codes = set(Org.objects.values_list("code", flat=True))

    ck = _Checker(CENTRES, report)
    new_centres: set[str] = set()
    for number, row in data["centres"]:
        ck.lengths(number, row)
        if not ck.required(number, row, "code", "name"):
            continue
        code = row["code"]
        existing = visible.get(code)
        if code in new_centres:
            ck.bad(number, "code", _("code %(code)s appears twice in this sheet.") % {"code": code})
        elif existing is not None and existing.kind != OrgKind.CENTRE:
            ck.bad(
                number,
                "code",
                _("code %(code)s already belongs to another kind of org.") % {"code": code},
            )
        elif existing is None and code in all_codes:
            ck.bad(
                number,
                "code",
                _("code %(code)s is already used by an org outside your scope.") % {"code": code},
            )
        elif bureau is None or not has_perm(user, "orgs.import", bureau):
            ck.bad(number, "code", _("only the bureau may create centres."))
        new_centres.add(code)
        plan["centres"].append((number, row, existing, bureau))

    ck = _Checker(SCHOOLS, report)
    seen: set[str] = set()
    centre_codes = {c for c, o in visible.items() if o.kind == OrgKind.CENTRE} | new_centres
    for number, row in data["schools"]:
        # A missing required cell is reported, and the rest of the row still checked, so
        # the user fixes the file in one go.
        ck.required(number, row, "code", "name", "parent", "school_type")
        ck.lengths(number, row)
        code, parent = row.get("code", ""), row.get("parent", "")
        existing = visible.get(code)
        if not code:
            pass
        elif code in seen:
            ck.bad(number, "code", _("code %(code)s appears twice in this sheet.") % {"code": code})
        elif existing is not None and existing.kind != OrgKind.SCHOOL:
            ck.bad(
                number,
                "code",
                _("code %(code)s already belongs to another kind of org.") % {"code": code},
            )
        elif existing is None and code in all_codes:
            ck.bad(
                number,
                "code",
                _("code %(code)s is already used by an org outside your scope.") % {"code": code},
            )
        seen.add(code)
        if not parent:
            pass
        elif parent not in centre_codes and parent not in bureau_codes:
            ck.bad(
                number,
                "parent",
                _(
                    "no centre or bureau with code %(code)s; check the code or add the centre to the Centres sheet."
                )
                % {"code": parent},
            )
        elif parent in visible and not has_perm(user, "orgs.import", visible[parent]):
            ck.bad(
                number,
                "parent",
                _("you may not import into %(org)s.") % {"org": visible[parent].name},
            )
        fields = {
            "school_type": ck.choice(number, row, "school_type", SchoolType.choices),
            "ownership": ck.choice(number, row, "ownership", Ownership.choices, Ownership.PUBLIC),
            "enrolment": ck.integer(number, row, "enrolment"),
            "boarding": ck.yes_no(number, row, "boarding"),
            "boarders": ck.integer(number, row, "boarders"),
            "gates": ck.integer(number, row, "gates", 1),
            "area_m2": ck.integer(number, row, "area_m2"),
            "address": row.get("address", ""),
            "longitude": ck.decimal(number, row, "longitude", -180, 180),
            "latitude": ck.decimal(number, row, "latitude", -90, 90),
        }
        if fields["boarders"] > fields["enrolment"] and fields["enrolment"]:
            ck.bad(number, "boarders", _("there are more boarders than students."))
        plan["schools"].append((number, row, existing, fields))

    ck = _Checker(STAFF, report)
    school_codes = seen | set(visible)
    staff_keys: set[tuple[str, str]] = set()
    legal_reps: set[str] = set()
    for number, row in data["staff"]:
        ck.required(number, row, "org", "name")
        ck.lengths(number, row)
        org_code = row.get("org", "")
        if not org_code:
            pass
        elif org_code not in school_codes and org_code not in new_centres:
            ck.bad(
                number, "org", _("no org with code %(code)s in your scope.") % {"code": org_code}
            )
        elif org_code in visible and not has_perm(user, "orgs.import", visible[org_code]):
            ck.bad(
                number,
                "org",
                _("you may not import into %(org)s.") % {"org": visible[org_code].name},
            )
        gender = ""
        if row.get("gender"):
            gender = GENDERS.get(row["gender"].lower(), "")
            if not gender:
                ck.bad(
                    number,
                    "gender",
                    _("“%(value)s” is neither 男 nor 女.") % {"value": row["gender"]},
                )
        wanted = [p for p in _split(row.get("positions", "")) if p]
        unknown = [p for p in wanted if p not in positions]
        if unknown:
            ck.bad(
                number,
                "positions",
                _("unknown position %(names)s; use names from the position library.")
                % {"names": "、".join(unknown)},
            )
        phone = row.get("phone", "")
        if phone and not phone.replace("-", "").replace(" ", "").isdigit():
            ck.bad(number, "phone", _("“%(value)s” is not a phone number.") % {"value": phone})
        if row.get("staff_no"):
            key = (org_code, row["staff_no"])
            if key in staff_keys:
                ck.bad(
                    number,
                    "staff_no",
                    _("staff number %(no)s appears twice for this org.") % {"no": row["staff_no"]},
                )
            staff_keys.add(key)
        is_rep = ck.yes_no(number, row, "legal_rep")
        if is_rep:
            if org_code in legal_reps:
                ck.bad(
                    number,
                    "legal_rep",
                    _("a school has one legal representative; this is the second."),
                )
            legal_reps.add(org_code)
        plan["staff"].append(
            (number, row, gender, [positions[p] for p in wanted if p in positions], is_rep)
        )
    return plan


def _split(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", "/"):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、")]


def _write(plan, by, request, report: Report) -> None:
    orgs = {o.code: o for o in visible_orgs(by) if has_perm(by, "orgs.import", o)}
    for key in ("centres", "schools", "staff"):
        report.created[key] = 0
        report.updated[key] = 0

    for _number, row, existing, bureau in plan["centres"]:
        if existing is None:
            orgs[row["code"]] = services.org_create(
                kind=OrgKind.CENTRE,
                name=row["name"],
                code=row["code"],
                parent=bureau,
                phone=row.get("phone", ""),
                by=by,
                request=request,
            )
            report.created["centres"] += 1
        else:
            services.org_update(
                org=existing, name=row["name"], phone=row.get("phone", ""), by=by, request=request
            )
            report.updated["centres"] += 1

    for _number, row, existing, fields in plan["schools"]:
        parent = orgs[row["parent"]]
        if existing is None:
            org = services.org_create(
                kind=OrgKind.SCHOOL,
                name=row["name"],
                code=row["code"],
                parent=parent,
                phone=row.get("phone", ""),
                by=by,
                request=request,
            )
            report.created["schools"] += 1
        else:
            org = services.org_update(
                org=existing,
                name=row["name"],
                parent=parent,
                phone=row.get("phone", ""),
                by=by,
                request=request,
            )
            report.updated["schools"] += 1
        orgs[org.code] = org
        services.school_profile_save(org=org, by=by, request=request, **fields)

    for _number, row, gender, positions, is_rep in plan["staff"]:
        org = orgs[row["org"]]
        person = None
        if row.get("staff_no"):
            person = Person.objects.filter(org=org, staff_no=row["staff_no"]).first()
        elif row.get("phone"):
            person = Person.objects.filter(org=org, name=row["name"], phone=row["phone"]).first()
        if person is None:
            person = services.person_create(
                org=org,
                name=row["name"],
                gender=gender,
                phone=row.get("phone", ""),
                staff_no=row.get("staff_no", ""),
                positions=positions,
                by=by,
                request=request,
            )
            report.created["staff"] += 1
        else:
            services.person_update(
                person=person,
                name=row["name"],
                gender=gender,
                phone=row.get("phone", ""),
                positions=positions,
                by=by,
                request=request,
            )
            report.updated["staff"] += 1
        if is_rep and org.kind == OrgKind.SCHOOL:
            services.school_profile_save(
                org=org, by=by, request=request, legal_representative=person
            )
