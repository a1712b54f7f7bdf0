"""The generic pages of every register: the registers' index, a register's list (filters,
search, Excel), the form to add or change a record, removing one, the template and the import,
and the district list of what is due soon or expired. A register needs no view of its own; the
views hold no rule: the declaration, `imports`, `services` and `expiry` do."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.forms import modelform_factory
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from anwen.errors import AppError
from anwen.exports.xlsx import XLSX, Column, Exporter
from anwen.forms import DateField, IdChoiceField, is_id
from anwen.once.tokens import OnceField
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org
from anwen.orgs.scope import paths_q, paths_with, scope_paths
from anwen.paging import paginate

from . import expiry, imports, selectors, services
from .declare import Field, Register, register_of, registers


def display(register: Register, f: Field, record: models.Model) -> Any:
    """A field's value as the list and the export write it."""
    if f.show is not None:
        return f.show(record)
    mf = register.model_field(f.name)
    value = getattr(record, f.name)
    if mf.choices:
        return getattr(record, f"get_{f.name}_display")()
    if isinstance(mf, models.BooleanField):
        return _("Yes") if value else _("No")
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    # Numbers stay numbers: an amount exported as text cannot be summed in Excel.
    return value if isinstance(value, int | float | Decimal) else str(value)


def _visible(user, register: Register) -> bool:
    return bool(paths_with(user, register.view_perm, register.manage_perm))


# --- the registers' index ---------------------------------------------------------------------


@require_GET
@login_required
def index(request):
    today = timezone.localdate()
    mine = [r for r in registers() if _visible(request.user, r)]
    if not mine:
        raise Http404
    groups: dict[str, list[dict[str, Any]]] = {}
    for register in mine:
        groups.setdefault(str(register.group), []).append(
            {
                "register": register,
                "count": selectors.visible_records(request.user, register).count(),
                "manages": bool(imports.manageable(request.user, register)),
            }
        )
    paths = selectors.expiry_paths(request.user)
    return render(
        request,
        "registers/index.html",
        {
            "groups": groups,
            "summary": expiry.summary(paths, today=today) if paths else [],
        },
    )


# --- a register's list ------------------------------------------------------------------------


def _filter_choices(register: Register, name: str) -> list[tuple[str, Any]]:
    mf = register.model_field(name)
    if mf.choices:
        return [(str(code), label) for code, label in mf.choices]
    if isinstance(mf, models.BooleanField):
        return [("1", _("Yes")), ("0", _("No"))]
    return []


def _filtered(request, register: Register):
    rows = selectors.visible_records(request.user, register)
    g = request.GET
    chosen: dict[str, str] = {}
    for name in register.filters:
        value = g.get(name, "")
        choices = dict(_filter_choices(register, name))
        if value in choices:
            chosen[name] = value
            mf = register.model_field(name)
            rows = rows.filter(
                **{name: value == "1" if isinstance(mf, models.BooleanField) else value}
            )
    org_id = g.get("org", "")
    if is_id(org_id):
        org = Org.objects.filter(paths_q(scope_paths(request.user)), pk=org_id).first()
        if org is not None:
            rows = rows.filter(paths_q([org.path], "org"))
            chosen["org"] = org_id
    due = g.get("due", "")
    if due in expiry.STATES and register.dated:
        paths = selectors.visible_paths(request.user, register)
        rows = rows.filter(
            expiry.register_due_q(register, paths, today=timezone.localdate(), state=due)
        )
        chosen["due"] = due
    text = g.get("q", "").strip()[:100]
    if text and register.search:
        rows = rows.filter(selectors.search_q(register, text))
        chosen["q"] = text
    return rows, chosen


def _cell(register: Register, f: Field) -> Callable[[Any], Any]:
    return lambda record: display(register, f, record)


def _exporter(register: Register, rows) -> Exporter:
    columns = [
        Column(gettext_lazy("School"), lambda r: r.org.name, 24),
        *[
            Column(register.label_of(f), _cell(register, f), f.width)
            for f in register.fields
            if f.export
        ],
    ]
    return Exporter(title=register.plural, columns=columns, rows=rows)


@require_GET
@login_required
def record_list(request, key):
    register = register_of(key)
    if not _visible(request.user, register):
        raise Http404
    rows, chosen = _filtered(request, register)
    if request.GET.get("format") == "xlsx":
        return export_response(request, _exporter(register, rows), f"registers-{register.key}")
    today = timezone.localdate()
    page = paginate(request, rows)
    listed = [f for f in register.fields if f.list]
    dated = {d.field for d in register.dated}
    warns = expiry.warns(register, selectors.visible_paths(request.user, register), today=today)
    items = []
    for record in page:
        cells = []
        for f in listed:
            state = ""
            if f.name in dated:
                warn = warns[f.name]
                state = expiry.state_of(getattr(record, f.name), today=today, warn=warn)
            cells.append({"value": display(register, f, record), "state": state})
        items.append({"record": record, "what": register.describe(record), "cells": cells})
    return render(
        request,
        "registers/list.html",
        {
            "register": register,
            "headers": [register.label_of(f) for f in listed],
            "items": items,
            "page": page,
            "filters": [
                {
                    "name": name,
                    "label": register.label_of(register.field(name)),
                    "choices": _filter_choices(register, name),
                }
                for name in register.filters
            ],
            "chosen": chosen,
            "manages": bool(imports.manageable(request.user, register)),
            "figures": register.figures(rows, today) if register.figures else [],
            "links": [(label, reverse(name)) for label, name in register.links],
        },
    )


# --- adding, changing, removing ---------------------------------------------------------------


MAX_INTEGER = 2_147_483_647  # the largest value a PositiveIntegerField holds on PostgreSQL


def _formfield(mf: models.Field, **kwargs) -> forms.Field:
    """The form field of a model field, through the project's safe fields: a date between
    2000 and 2100, an id that cannot overflow, a number the database holds."""
    field = _safe_formfield(mf, **kwargs)
    assert field is not None  # only editable fields are on the form
    return field


def _safe_formfield(mf: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(mf, models.DateField) and not isinstance(mf, models.DateTimeField):
        return mf.formfield(
            form_class=DateField, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
    if isinstance(mf, models.ForeignKey):
        return mf.formfield(form_class=IdChoiceField, **kwargs)
    if isinstance(mf, models.IntegerField) and not mf.choices:
        return mf.formfield(max_value=MAX_INTEGER, **kwargs)
    return mf.formfield(**kwargs)


def _form_class(register: Register) -> type[forms.BaseForm]:
    if register.form is not None:
        return register.form
    names = [
        f.name
        for f in register.fields
        if f.edit and getattr(register.model_field(f.name), "editable", True)
    ]
    return modelform_factory(register.model, fields=names, formfield_callback=_formfield)


class _OrgChoice(forms.Form):
    org = IdChoiceField(queryset=Org.objects.none(), label=gettext_lazy("School"))
    once = OnceField()

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        assert isinstance(field, IdChoiceField)
        field.queryset = Org.objects.filter(pk__in=[o.pk for o in orgs]).order_by("path")
        if len(orgs) == 1:
            field.initial = orgs[0].pk
            field.widget = forms.HiddenInput()


@require_http_methods(["GET", "POST"])
@login_required
def record_form(request, key, pk=None):
    register = register_of(key)
    orgs = imports.manageable(request.user, register)
    if not orgs:
        raise Http404
    instance = None
    if pk is not None:
        instance = selectors.access_record(request.user, register, pk, manage=True)
    form_class = _form_class(register)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=instance, prefix="r")
    chooser = _OrgChoice(
        data,
        orgs=orgs,
        prefix="o",
        initial={"org": getattr(instance, "org_id", None) or orgs[0].pk},
    )
    if request.method == "POST" and form.is_valid() and chooser.is_valid():
        values = {
            name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data
        }
        try:
            record = services.record_save(
                register=register,
                org=chooser.cleaned_data["org"],
                values=values,
                by=request.user,
                instance=instance,
                once=chooser.cleaned_data.get("once", ""),
                request=request,
            )
        except AppError as exc:
            messages.info(request, str(exc))
            return redirect("registers:list", key=register.key)
        except forms.ValidationError as exc:
            found = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for name, errors in found.items():
                target = name if name in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            messages.success(
                request,
                _("Saved: %(what)s.") % {"what": register.describe(record)},
            )
            return redirect("registers:list", key=register.key)
    return render(
        request,
        "registers/form.html",
        {"register": register, "form": form, "chooser": chooser, "instance": instance},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def record_delete(request, key, pk):
    register = register_of(key)
    record = selectors.access_record(request.user, register, pk, manage=True)
    if request.method == "GET":  # the button is on the record's form
        return redirect("registers:edit", key=register.key, pk=record.pk)
    what = register.describe(record)
    services.record_delete(register=register, record=record, by=request.user, request=request)
    messages.success(request, _("Removed: %(what)s.") % {"what": what})
    return redirect("registers:list", key=register.key)


# --- the template and the import --------------------------------------------------------------


@require_GET
@login_required
def template(request, key):
    register = register_of(key)
    if not imports.manageable(request.user, register):
        raise Http404
    response = HttpResponse(imports.template(register), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="anwen-{register.key}-template.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def record_import(request, key):
    register = register_of(key)
    if not imports.manageable(request.user, register):
        raise Http404
    result = None
    file_error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_error = _("Choose the Excel (.xlsx) or JSON file to import.")
        else:
            result = imports.import_file(
                register=register, file=upload, by=request.user, request=request
            )
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)d added, %(updated)d changed, "
                        "%(unchanged)d already up to date."
                    )
                    % {
                        "created": result.created.get(register.key, 0),
                        "updated": result.updated.get(register.key, 0),
                        "unchanged": result.skipped.get(register.key, 0),
                    },
                )
                return redirect("registers:list", key=register.key)
    return render(
        request,
        "registers/import.html",
        {"register": register, "result": result, "file_error": file_error},
        status=400 if file_error or (result is not None and not result.ok) else 200,
    )


# --- what is due soon or expired --------------------------------------------------------------


EXPIRING_LIMIT = 5000  # rows per dated field a page or an export reads at most


@require_GET
@login_required
def expiring(request):
    paths = selectors.expiry_paths(request.user)
    if not paths:
        raise Http404
    today = timezone.localdate()
    g = request.GET
    fields = expiry.dated_fields()
    kinds = {f"{r.key}.{d.field}": (r, d) for r, d in fields}
    kind = g.get("kind", "")
    register, dated = kinds.get(kind, (None, None))
    state = g.get("state", "") if g.get("state", "") in expiry.STATES else ""
    org = None
    if is_id(g.get("org", "")):
        org = Org.objects.filter(paths_q(paths), pk=g["org"]).first()
    items = [
        d
        for d in expiry.due_items(
            paths,
            today=today,
            state=state,
            only=register,
            dated_field=dated.field if dated else "",
            org=org,
            limit=EXPIRING_LIMIT,
        )
    ]
    if g.get("format") == "xlsx":
        exporter = Exporter(
            title=gettext_lazy("Due soon and expired"),
            columns=[
                Column(gettext_lazy("School"), lambda d: d.org.name, 24),
                Column(gettext_lazy("Ledger"), lambda d: str(d.register.plural), 16),
                Column(gettext_lazy("What"), lambda d: d.what, 30),
                Column(gettext_lazy("Falls due"), lambda d: str(d.dated.label), 16),
                Column(gettext_lazy("Date"), lambda d: d.on.isoformat(), 12),
                Column(gettext_lazy("State"), lambda d: _state_words(d), 14),
            ],
            rows=items,
        )
        return export_response(request, exporter, "registers-expiring", total=len(items))
    page = paginate(request, items)
    return render(
        request,
        "registers/expiring.html",
        {
            "page": page,
            "items": [{"due": d, "words": _state_words(d)} for d in page],
            "kinds": [(k, f"{r.plural} · {d.label}") for k, (r, d) in kinds.items()],
            "kind": kind,
            "state": state,
            "org": org,
            "summary": expiry.summary(paths, today=today),
        },
    )


def _state_words(d: expiry.Due) -> str:
    if d.state == expiry.EXPIRED:
        return _("Expired %(n)d days ago") % {"n": -d.days}
    if d.days == 0:
        return _("Due today")
    return _("Due in %(n)d days") % {"n": d.days}
