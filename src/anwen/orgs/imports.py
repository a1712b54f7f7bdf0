"""Import of centres, schools and staff from the Excel template anwen offers.

The whole file is read and checked first; if any row is wrong nothing is written and the user
gets one message per bad row (sheet, row number, column, what is wrong). Only a clean file is
written, in one transaction, each change audited. The mechanism (bounded reading, header
matching, per-cell checks, all or nothing, the template) is `anwen.importing`; this module
declares the sheets and says what a row means.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from anwen import importing
from anwen.importing import (  # noqa: F401 - the names this module has always offered
    MAX_BYTES,
    MAX_INTEGER,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_ENTRIES,
    Column,
    Dropdown,
    Problem,
    Sheet,
)
from anwen.orgs import services
from anwen.orgs.models import Gender, Org, OrgKind, Ownership, Person, Position, SchoolType
from anwen.orgs.scope import has_perm, visible_orgs

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


class Report(importing.Result):
    def summary(self) -> str:
        return _("%(centres)d centres, %(schools)d schools, %(staff)d staff") % {
            "centres": self.created.get("centres", 0) + self.updated.get("centres", 0),
            "schools": self.created.get("schools", 0) + self.updated.get("schools", 0),
            "staff": self.created.get("staff", 0) + self.updated.get("staff", 0),
        }


# --- the template ------------------------------------------------------------------------------


def _dropdowns() -> dict[str, Dropdown]:
    """The values each column with a fixed set of answers accepts, for the template's
    dropdowns: positions from the library (as the bureau keeps it; a person may hold several,
    separated by 、), school types, ownership, yes/no."""
    yes_no = ["是", "否"]
    return {
        "positions": Dropdown(
            list(Position.objects.order_by("sort_order", "code").values_list("name", flat=True)),
            several=True,
            error=_("Choose from the list; several positions are separated by 、."),
        ),
        "school_type": Dropdown([str(label) for _code, label in SchoolType.choices]),
        "ownership": Dropdown([str(label) for _code, label in Ownership.choices]),
        "boarding": Dropdown(yes_no),
        "legal_rep": Dropdown(yes_no),
    }


def template_workbook() -> bytes:
    notes = [
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
    ]
    return importing.template_workbook(SHEETS, notes=notes, dropdowns=_dropdowns())


# --- reading and checking ------------------------------------------------------------------


class _Checker(importing.Checker):
    def lengths(self, number: int, row: dict, limits: dict[str, int] | None = None) -> None:
        super().lengths(number, row, dict(MAX_LENGTHS, name=120 if self.sheet is not STAFF else 60))


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


def import_workbook(*, file, by, request=None) -> Report:
    """Check the whole workbook, then write it all or nothing."""
    report = Report()
    data = importing.read_workbook(file, SHEETS, report)
    return importing.run(
        report,
        data,
        check=lambda rows, report: _check(rows, by, report),
        write=lambda plan, report: _write(plan, by, request, report),
    )


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
            "school_type": ck.choice(
                number, row, "school_type", SchoolType.choices, short=SHORT_TYPES
            ),
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
        ck.phone(number, row, "phone")
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
