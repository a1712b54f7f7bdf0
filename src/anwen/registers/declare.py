"""What a register is: a declaration over a plain model, like a case type over the case engine.

A register app (security, buses, waters, funding, fire …) keeps its model (with an `org`
foreign key to the school, centre or bureau that holds the thing) and declares it once:

    DEVICES = register_register(Register(
        key="devices", model=Device, noun=_("security device"), plural=_("Security devices"),
        group=_("Security"),
        fields=(Field("kind"), Field("code"), Field("place"), Field("networked"),
                Field("last_checked_on"), Field("check_due", imported=False)),
        identity=("code",),
        describe=lambda d: f"{d.get_kind_display()} {d.code}",
        dated=(Dated("check_due", _("Device check")),),
        derive=_check_due,   # fills check_due from last_checked_on and the plan's interval
    ))

and gets, without a view of its own: the list (scoped, filtered, searched, paged, exported to
Excel), the form to add and edit, the Excel template with dropdowns, the whole-file import (and
the same path for rows posted to the API), and — for each `Dated` field — the "due soon /
expired" list, inbox items and reminders (`expiry.py`).

`derive(values, org, today)` computes the fields the plan decides (a next check date from the
last check and the plan's interval): it runs before every save, from the form, an import or a
feed alike, so a stored date is always the plan's. `saved(records, by)` runs after a save in the
same transaction, for what follows from a record (a water without a warning sign raises a
hazard). Both are optional.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django import forms

    from anwen.importing import Checker
    from anwen.obligations.plans import PlanRule
    from anwen.orgs.models import Org


@dataclass(frozen=True)
class Cell:
    """What a custom `Field.parse` gets: the checker (to report a bad cell), the row's number
    and texts, the org the row belongs to (None when its school code was bad) and today."""

    checker: "Checker"
    number: int
    row: dict[str, str]
    org: "Org | None"
    today: date


@dataclass(frozen=True)
class Field:
    """One column of a register: in its list, its export, its template and its import.

    `name` is a field of the model. Label, whether it is required and how a cell is read
    follow from the model field (choices become a dropdown, a boolean 是/否, a date any of the
    usual ways of writing one); `parse` reads a cell that needs more (a bus named by its
    plate) and returns the value, reporting through `cell.checker.bad`. `show` says how the
    list and the export write the value when the model's own display is not enough."""

    name: str
    label: Any = None
    required: bool | None = None  # None: required when the model field may not be blank
    list: bool = True  # a column of the list page
    export: bool = True
    imported: bool = (
        True  # a column of the template and the import (False: derived or set by the app)
    )
    edit: bool = True  # on the form
    width: int = 14
    aliases: tuple[str, ...] = ()  # other headers a file from another system may use
    parse: Callable[[Cell], Any] | None = None
    show: Callable[[models.Model], Any] | None = None


@dataclass(frozen=True)
class Dated:
    """A date field after which something lapses (a certificate, insurance, an inspection, an
    extinguisher's service). Due soon within the plan's warning days (`warn`, default the
    registers' own rule), expired after the day. `active` limits it to the records that count
    (a device in service, a bus not retired)."""

    field: str
    label: Any  # what falls due, for people: "Insurance", "Annual re-examination"
    active: models.Q | None = None
    warn: "PlanRule | None" = None


@dataclass(frozen=True)
class Register:
    key: str  # the URL's part, the audit's name, the template's file name: "devices"
    model: type[models.Model]
    noun: Any  # one of them: "security device"
    plural: Any  # the list's title: "Security devices"
    fields: tuple[Field, ...]
    identity: tuple[str, ...]  # fields naming one record within its org: an import updates it
    describe: Callable[[Any], str]  # one line naming a record, for lists of due things and notices
    group: Any = ""  # the heading it stands under on the registers page: "Security", "Buses"
    dated: tuple[Dated, ...] = ()
    org_kinds: frozenset[str] = frozenset({"school"})  # who holds the records
    view_perm: str = "registers.view"
    manage_perm: str = "registers.manage"
    order_by: tuple[str, ...] = ("org__path", "pk")
    select_related: tuple[str, ...] = ()
    search: tuple[str, ...] = ()  # fields the list's search box looks in (icontains)
    filters: tuple[str, ...] = ()  # fields with choices or yes/no offered as list filters
    derive: Callable[[dict[str, Any], "Org", date], dict[str, Any]] | None = None
    saved: Callable[[Sequence[models.Model], Any], None] | None = None
    form: "type[forms.BaseForm] | None" = None  # default: a model form of the editable fields
    notes: tuple[Any, ...] = ()  # lines for the template's instructions sheet
    links: tuple[tuple[Any, str], ...] = ()  # (label, url name) shown above the list
    # Figures above the list: (visible queryset, today) → [(label, value)], in a fixed number
    # of queries.
    figures: Callable[[models.QuerySet, date], list[tuple[Any, Any]]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # anything an app's own pages need

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def model_field(self, name: str) -> Any:
        return self.model._meta.get_field(name)

    def label_of(self, f: Field) -> Any:
        return f.label if f.label is not None else self.model_field(f.name).verbose_name

    def required(self, f: Field) -> bool:
        if f.required is not None:
            return f.required
        mf = self.model_field(f.name)
        return not (mf.blank or mf.null or mf.has_default() or isinstance(mf, models.BooleanField))


_REGISTERS: dict[str, Register] = {}


def register_register(register: Register) -> Register:
    """Declare a register (at import of the app's `registers.py`, from its AppConfig.ready)."""
    if register.key in _REGISTERS and _REGISTERS[register.key] is not register:
        raise ValueError(f"a register {register.key!r} is declared twice")
    _REGISTERS[register.key] = register
    return register


def unregister_register(key: str) -> None:
    """For tests that declare a register of their own."""
    _REGISTERS.pop(key, None)


def registers() -> list[Register]:
    return list(_REGISTERS.values())


def register_of(key: str) -> Register:
    """The register named in a URL; an unknown name is a page that does not exist."""
    try:
        return _REGISTERS[key]
    except KeyError:
        raise Http404 from None
