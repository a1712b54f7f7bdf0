"""The one import path of every register, on the one import mechanism (`anwen.importing`).

A register's template is a sheet with the school's code (and, for people, its name) and one
column per imported field; fields with choices and yes/no fields get dropdowns. An upload (Excel
or JSON) and rows posted to the API (a video platform's status feed) go through the same
`apply_rows`: every row is checked (the school is one the user manages, each cell reads as its
field, the model's own rules hold, no record twice in the file), and only a file without a
single problem is written, all of it in one transaction. A row whose record exists (same
school, same identity) updates it when something changed and is counted as unchanged
otherwise, so a feed posted twice changes nothing the second time.

A status update (`only`: a few columns, e.g. a device's networked state and last check) goes
the same way, reading and changing only those columns of records that exist: a row naming a
record anwen does not hold is one problem naming the row, and an empty cell keeps what is
stored."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anwen import audit, importing
from anwen.orgs.models import Org
from anwen.orgs.scope import paths_q, paths_with

from .declare import Cell, Field, Register

ORG = "org"
ORG_NAME = "org_name"
ORG_LABEL = gettext_lazy("School code")
ORG_NAME_LABEL = gettext_lazy("School name")
BATCH = 500


def imported_fields(register: Register, only: Sequence[str] = ()) -> list[Field]:
    """The imported fields, or — for a status update — the identity and the `only` ones."""
    fields = [f for f in register.fields if f.imported]
    if only:
        keep = {*register.identity, *only}
        fields = [f for f in fields if f.name in keep]
    return fields


def sheet_of(register: Register, only: Sequence[str] = ()) -> importing.Sheet:
    columns = [
        importing.Column(ORG, ORG_LABEL, required=True, aliases=("学校代码", "单位代码")),
        importing.Column(ORG_NAME, ORG_NAME_LABEL, aliases=("学校名称", "单位名称", "学校")),
    ]
    for f in imported_fields(register, only):
        columns.append(
            importing.Column(
                f.name, register.label_of(f), required=register.required(f), aliases=f.aliases
            )
        )
    return importing.Sheet(register.key, register.plural, tuple(columns))


def _choices(mf) -> list[tuple[Any, Any]]:
    return [(str(code), label) for code, label in (mf.choices or ())]


def template(register: Register) -> bytes:
    """The blank template of a register, with dropdowns for its fixed answers."""
    dropdowns: dict[str, importing.Dropdown] = {}
    for f in imported_fields(register):
        if f.parse is not None:
            continue
        mf = register.model_field(f.name)
        if mf.choices:
            dropdowns[f.name] = importing.Dropdown([str(label) for _code, label in mf.choices])
        elif isinstance(mf, models.BooleanField):
            dropdowns[f.name] = importing.Dropdown(["是", "否"])
    notes = [
        _("One row per %(noun)s. Columns marked * are required.") % {"noun": register.noun},
        _(
            "School code: the code of the school in anwen (学校代码). The school name is for "
            "reading only."
        ),
        _("Dates as 2026-09-28. Yes/no columns take 是 or 否."),
        _(
            "The whole file is checked first: if any row is wrong, nothing is imported and "
            "every problem is listed. A row for a record that exists updates it."
        ),
        *[str(n) for n in register.notes],
    ]
    return importing.template_workbook([sheet_of(register)], notes=notes, dropdowns=dropdowns)


def manageable(user, register: Register) -> list[Org]:
    """The orgs where the user may add and change this register's records."""
    return list(
        Org.objects.filter(
            paths_q(paths_with(user, register.manage_perm)),
            kind__in=register.org_kinds,
            is_active=True,
        ).order_by("path")
    )


# --- reading a cell ---------------------------------------------------------------------------


def read_cell(register: Register, f: Field, cell: Cell) -> Any:
    """The value of one cell for field `f` (the model field decides how it is read)."""
    if f.parse is not None:
        return f.parse(cell)
    checker, number, row = cell.checker, cell.number, cell.row
    mf = register.model_field(f.name)
    text = row.get(f.name, "")
    if mf.choices:
        value = checker.choice(number, row, f.name, _choices(mf))
        return value if value != "" else (mf.get_default() if mf.has_default() else "")
    if isinstance(mf, models.BooleanField):
        return checker.yes_no(number, row, f.name) if text else bool(mf.get_default())
    if isinstance(mf, models.DateField):
        return checker.day(number, row, f.name)
    if isinstance(mf, models.DecimalField):
        high = 10 ** (mf.max_digits - mf.decimal_places) - 1
        amount = checker.decimal(number, row, f.name, 0, high)
        return None if amount is None else amount.quantize(_quantum(mf))
    if isinstance(mf, models.IntegerField):
        if not text:
            return mf.get_default() if mf.has_default() else None
        return checker.integer(number, row, f.name)
    if isinstance(mf, models.CharField | models.TextField):
        if mf.max_length and len(text) > mf.max_length:
            checker.bad(
                number, f.name, _("is longer than %(n)d characters.") % {"n": mf.max_length}
            )
            return text[: mf.max_length]
        return text
    raise TypeError(f"register {register.key}: field {f.name} needs a parse function")


def _quantum(mf) -> Decimal:
    return Decimal(1).scaleb(-mf.decimal_places)


# --- checking and writing ---------------------------------------------------------------------


@dataclass
class Planned:
    """What a checked file will write."""

    create: list[models.Model]
    update: list[models.Model]
    unchanged: int
    fields: list[str]


def _identity(register: Register, org_id: int, values: dict[str, Any]) -> tuple:
    return (org_id, *(values.get(name) for name in register.identity))


def _stored(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def apply_rows(
    *,
    register: Register,
    rows: Sequence[importing.Row],
    by,
    result: importing.Result | None = None,
    today: date | None = None,
    request=None,
    source: str = "file",
    only: Sequence[str] = (),
) -> importing.Result:
    """Check every row, then write all of them in one transaction, or nothing. `only`: a
    status update of those columns of existing records (see the module's docstring)."""
    result = result if result is not None else importing.Result()
    today = today or timezone.localdate()
    sheet = sheet_of(register, only)
    orgs = manageable(by, register)
    by_code = {o.code: o for o in orgs if o.code}
    fields = imported_fields(register, only)
    every_field = imported_fields(register)

    def check(data: dict[str, list[importing.Row]], result: importing.Result) -> Planned:
        checker = importing.Checker(sheet, result)
        parsed: list[tuple[int, Org, dict[str, Any]]] = []
        seen: dict[tuple, int] = {}
        stored: dict[tuple, models.Model] | None = None
        if only:  # a status update reads the records it changes first: one query
            named = {
                by_code[row[ORG]].pk for _n, row in data[register.key] if row.get(ORG) in by_code
            }
            stored = _existing(register, named)
        for number, row in data[register.key]:
            org = None
            if checker.required(number, row, ORG):
                org = by_code.get(row[ORG])
                if org is None:
                    checker.bad(
                        number,
                        ORG,
                        _("“%(value)s” is not the code of a school whose %(what)s you manage.")
                        % {"value": row[ORG], "what": register.plural},
                    )
            cell = Cell(checker, number, row, org, today)
            values: dict[str, Any] = {}
            before = len(result.problems)
            for f in fields:
                if only and f.name in only and not row.get(f.name):
                    continue  # a status update's empty cell keeps what is stored
                if register.required(f) and not row.get(f.name) and f.parse is None:
                    checker.required(number, row, f.name)
                    continue
                values[f.name] = read_cell(register, f, cell)
            if org is None or len(result.problems) > before:
                continue
            if stored is not None:
                record = stored.get(
                    _identity(register, org.pk, {k: _stored(v) for k, v in values.items()})
                )
                if record is None:
                    checker.bad(
                        number,
                        register.identity[0],
                        _("“%(value)s”: no such %(noun)s of this school is registered in anwen.")
                        % {"value": row.get(register.identity[0], ""), "noun": register.noun},
                    )
                    continue
                # The stored values under the row's, so that `derive` and the model's rules
                # see the whole record.
                values = {
                    **{f.name: getattr(record, f.name) for f in every_field},
                    **values,
                }
            if register.derive is not None:
                values = register.derive(values, org, today)
            key = _identity(register, org.pk, {k: _stored(v) for k, v in values.items()})
            if key in seen:
                checker.bad(
                    number,
                    register.identity[0],
                    _("names the same %(noun)s as row %(row)d.")
                    % {"noun": register.noun, "row": seen[key]},
                )
                continue
            seen[key] = number
            instance = register.model(org=org, **values)
            try:
                instance.full_clean(exclude=["org"], validate_unique=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = name if name in checker.labels else register.identity[0]
                    for message in messages:
                        checker.bad(number, column, message)
                continue
            parsed.append((number, org, values))
        if not result.ok:
            return Planned([], [], 0, [])
        existing = (
            stored
            if stored is not None
            else _existing(register, {org.pk for _n, org, _v in parsed})
        )
        create, update, unchanged = [], [], 0
        names = [f.name for f in fields] + _derived_names(register, parsed)
        changed_names: set[str] = set()
        for _number, org, values in parsed:
            key = _identity(register, org.pk, {k: _stored(v) for k, v in values.items()})
            record = existing.get(key)
            if record is None:
                create.append(register.model(org=org, **values))
                continue
            changed = False
            for name, value in values.items():
                if _stored(getattr(record, _attname(register, name))) != _stored(value):
                    setattr(record, name, value)
                    changed = True
                    changed_names.add(name)
            if changed:
                update.append(record)
            else:
                unchanged += 1
        # Only the columns that changed somewhere: bulk_update builds a CASE per column and
        # row, and a status feed of 5,000 devices changes one or two of them.
        names = [name for name in names if name in changed_names]
        return Planned(create, update, unchanged, names)

    def write(planned: Planned, result: importing.Result) -> None:
        model = register.model
        model._default_manager.bulk_create(planned.create, batch_size=BATCH)
        if planned.update:
            _update(register, planned.update, planned.fields)
        result.created[register.key] = len(planned.create)
        result.updated[register.key] = len(planned.update)
        result.skipped[register.key] = planned.unchanged
        if register.saved is not None and (planned.create or planned.update):
            # bulk_create gives back no pks on every database: read the records again.
            register.saved(_reloaded(register, planned), by)
        audit.record(
            action=f"registers.{register.key}.import",
            actor=by,
            request=request,
            data={
                "source": source,
                "created": len(planned.create),
                "updated": len(planned.update),
                "unchanged": planned.unchanged,
            },
        )

    try:
        return importing.run(result, {register.key: list(rows)}, check=check, write=write)
    except IntegrityError:
        # Another import wrote the same records between this one's check and its write (the
        # unique index is the referee): nothing of this file was written.
        result.created.clear()
        result.updated.clear()
        result.skipped.clear()
        result.refuse(
            _("another import wrote the same records at the same moment; upload the file again.")
        )
        return result


def _update(register: Register, records: list[models.Model], names: list[str]) -> None:
    """Write the changed records. Many rows in few distinct states (a status feed: 5,000
    devices now networked, checked on 30 November) are one UPDATE per state; otherwise
    bulk_update, whose CASE per column and row costs time with every row (a minute for 5,000
    rows of three columns)."""
    manager = register.model._default_manager
    columns = [_attname(register, name) for name in names]
    states: dict[tuple, list[Any]] = {}
    for record in records:
        state = tuple(_stored(getattr(record, column)) for column in columns)
        states.setdefault(state, []).append(record.pk)
    if len(states) * 10 > len(records):
        manager.bulk_update(records, names, batch_size=BATCH)
        return
    for state, pks in states.items():
        for start in range(0, len(pks), BATCH):
            manager.filter(pk__in=pks[start : start + BATCH]).update(
                **dict(zip(columns, state, strict=True))
            )


def _attname(register: Register, name: str) -> str:
    mf = register.model_field(name)
    return mf.attname if isinstance(mf, models.ForeignKey) else name


def _derived_names(register: Register, parsed) -> list[str]:
    """Fields `derive` added beyond the imported ones (a due date computed from the plan)."""
    imported = {f.name for f in imported_fields(register)}
    extra: set[str] = set()
    for _number, _org, values in parsed:
        extra |= set(values) - imported
    return sorted(extra)


def _key_of(register: Register, record: models.Model) -> tuple:
    """A stored record's identity: its org and its identity fields."""
    return (
        getattr(record, "org_id"),  # noqa: B009 (the register's model, not Model, has it)
        *(_stored(getattr(record, _attname(register, n))) for n in register.identity),
    )


def _existing(register: Register, org_ids: set[int]) -> dict[tuple, models.Model]:
    rows = register.model._default_manager.filter(org_id__in=org_ids)
    return {_key_of(register, record): record for record in rows}


def _reloaded(register: Register, planned: Planned) -> list[models.Model]:
    keys = {_key_of(register, r) for r in planned.create}
    orgs = {key[0] for key in keys}
    fresh = [record for key, record in _existing(register, orgs).items() if key in keys]
    return fresh + planned.update


def import_file(
    *, register: Register, file, by, request=None, only: Sequence[str] = ()
) -> importing.Result:
    """An uploaded Excel workbook, CSV file or JSON array of a register's rows (`only`: a
    status update of those columns, as `apply_rows`)."""
    result = importing.Result()
    sheet = sheet_of(register, only)
    if importing.is_csv(file):
        rows = importing.read_csv(file, sheet, result)
    elif importing.is_json(file):
        rows = importing.read_json(file, sheet, result)
    else:
        rows = importing.read_workbook(file, [sheet], result, any_sheet=True).get(register.key, [])
    return apply_rows(
        register=register,
        rows=rows,
        by=by,
        result=result,
        request=request,
        source="status file" if only else "file",
        only=only,
    )
