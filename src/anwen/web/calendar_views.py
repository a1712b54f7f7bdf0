"""The calendar page: holidays and 调休 of a year, day overrides, semesters and sensitive
periods. It lives in the web layer because it reaches the org tree; the calendar app itself
imports no other app.

Two kinds of editor, and everyone else gets a 404:
- a platform administrator (`calendar.selectors.edits_national`: a superuser, or an account
  granted the Django permission `calendar.manage_national`) edits the national arrangement;
- a user whose role grants "calendar.manage" (the bureau's administrator and safety office)
  edits the local entries of their bureau — closures, semesters, sensitive periods — and sees
  the national arrangement read-only.
A row of another bureau, or a national row for a bureau officer, answers 404 like a missing one.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anwen.calendar import selectors, services
from anwen.calendar.forms import (
    NATIONAL,
    DayOverrideForm,
    SemesterEditForm,
    SemesterForm,
    SensitivePeriodForm,
)
from anwen.calendar.models import DayOverride, Semester, SensitivePeriod
from anwen.calendar.rules import CalendarError, arrangement_published, owner_ids
from anwen.forms import is_id
from anwen.once.tokens import AlreadySent, OnceField, claim
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import paths_with

MIN_YEAR, MAX_YEAR = 2000, 2100
MANAGE = "calendar.manage"
_MAX_PK = 2**63 - 1


@dataclass(frozen=True)
class Desk:
    """What the user may edit here: the national arrangement, and their bureaus' entries
    (`bureau` is the one on the page)."""

    national: bool
    bureaus: list[Org]
    bureau: Org | None

    def may_edit(self, owner_id: int | None) -> bool:
        if owner_id is None:
            return self.national
        return any(b.pk == owner_id for b in self.bureaus)

    def owners(self, *, national: bool = True, local: bool = True) -> list[tuple[str, str]]:
        """The owners a new row may be made for, as form choices: the bureau on the page first
        (the default when none is posted), then the national arrangement."""
        out = [(str(self.bureau.pk), self.bureau.name)] if local and self.bureau else []
        if national and self.national:
            out.append((NATIONAL, _("National arrangement")))
        return out

    def default_owner(self) -> str:
        return str(self.bureau.pk) if self.bureau is not None else NATIONAL


def _bureaus(user) -> list[Org]:
    """The bureaus above (or at) the orgs where the user's roles grant calendar.manage."""
    ids = {pk for path in paths_with(user, MANAGE) for pk in owner_ids(path)}
    return list(
        Org.objects.filter(pk__in=ids, kind=OrgKind.BUREAU, is_active=True).order_by("path")
    )


def _desk(request: HttpRequest) -> Desk:
    national = selectors.edits_national(request.user)
    bureaus = _bureaus(request.user)
    if not national and not bureaus:
        raise Http404
    wanted = request.GET.get("bureau", "")
    bureau = next((b for b in bureaus if str(b.pk) == wanted), bureaus[0] if bureaus else None)
    return Desk(national=national, bureaus=bureaus, bureau=bureau)


def _new_owner(request: HttpRequest, desk: Desk) -> int | None:
    """The owner posted for a new row, if the user may write for it; anything else is a 404
    and writes nothing."""
    value = request.POST.get("owner") or desk.default_owner()
    if value == NATIONAL and desk.national:
        return None
    if is_id(value) and desk.may_edit(int(value)):
        return int(value)
    raise Http404


def _owned(desk: Desk, queryset: QuerySet, pk: int) -> Any:
    """One row the user may edit, or 404 (missing, national for a bureau officer, or another
    bureau's alike)."""
    obj: Model | None = queryset.filter(pk=pk).first() if pk <= _MAX_PK else None
    if obj is None or not desk.may_edit(getattr(obj, "org_id", None)):
        raise Http404
    return obj


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _index_url(year: int, owner_id: int | None = None) -> str:
    url = f"{reverse('calendar:index')}?year={year}"
    return f"{url}&bureau={owner_id}" if owner_id is not None else url


@dataclass(frozen=True)
class _Row:
    obj: Any
    editable: bool
    replaced: bool = False  # a national semester the bureau has set its own dates for


def _semester_rows(desk: Desk) -> list[_Row]:
    bureau_id = desk.bureau.pk if desk.bureau else None
    semesters = list(selectors.semesters_of_owners([None, bureau_id]))
    own = {(s.school_year_id, s.term) for s in semesters if s.org_id is not None}
    return [
        _Row(
            s,
            desk.may_edit(s.org_id),
            replaced=s.org_id is None and (s.school_year_id, s.term) in own,
        )
        for s in semesters
    ]


def _render_index(
    request: HttpRequest, desk: Desk, year: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    bureau_id = desk.bureau.pk if desk.bureau else None
    days = selectors.special_days(year, owner_id=bureau_id)
    national = list(selectors.overrides_of_year(year, owner_id=None))
    local = (
        list(selectors.overrides_of_year(year, owner_id=bureau_id)) if bureau_id is not None else []
    )
    periods = list(selectors.periods_of_year(year, owner_id=None))
    if bureau_id is not None:
        periods = sorted(
            [*periods, *selectors.periods_of_year(year, owner_id=bureau_id)],
            key=lambda p: (p.start, p.name),
        )
    forms.setdefault("national_form", _once(DayOverrideForm(owners=desk.owners(local=False))))
    forms.setdefault(
        "local_form", _once(DayOverrideForm(owners=desk.owners(national=False), local=True))
    )
    forms.setdefault(
        "semester_form", _once(SemesterForm(owners=desk.owners(), initial={"start_year": year}))
    )
    forms.setdefault("period_form", _once(SensitivePeriodForm(owners=desk.owners())))
    return render(
        request,
        "calendar/index.html",
        {
            "desk": desk,
            "year": year,
            "years": range(year - 2, year + 3),
            "published": arrangement_published(year),
            "days": days,
            "days_off": sum(1 for day in days if not day.working),
            "days_worked": sum(1 for day in days if day.working),
            "national_overrides": national,
            "local_overrides": local,
            "override_count": len(national) + len(local),
            "semesters": _semester_rows(desk),
            "periods": [_Row(p, desk.may_edit(p.org_id)) for p in periods],
            **forms,
        },
        status=status,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _render_index(request, _desk(request), _year(request))


def _saved(request: HttpRequest, message: str, year: int, owner_id: int | None):
    messages.success(request, message)
    return redirect(_index_url(year, owner_id))


def _once(form):
    """A form for a new row carries a one-time token, so a double submit saves one row."""
    form.fields["once"] = OnceField()
    return form


def _save(form, save, *, error_field: str | None = None):
    """Run `save(values)` when the form is valid; a rule the service refuses becomes an
    error on the form, so the page shows it beside what the user typed. Returns what `save`
    returned, or None when nothing was saved. A form sent twice saves once: its token is
    claimed in the transaction that writes the row (and freed if the service refuses)."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            claim(form.cleaned_data.get("once", ""))
            return save(form.values)
    except (CalendarError, AlreadySent) as e:
        form.add_error(None if isinstance(e, AlreadySent) else error_field, str(e))
        return None


def _edit_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    year: int,
    owner_id: int | None,
    delete_url: str,
    subtitle: str = "",
) -> HttpResponse:
    return render(
        request,
        "calendar/edit.html",
        {
            "form": form,
            "title": title,
            "subtitle": subtitle,
            "back_url": _index_url(year, owner_id),
            "delete_url": delete_url,
        },
        status=400 if form.errors else 200,
    )


# --- day overrides ---------------------------------------------------------------------------


@login_required
@require_POST
def override_add(request: HttpRequest) -> HttpResponse:
    desk = _desk(request)
    owner_id = _new_owner(request, desk)
    local = owner_id is not None
    form = _once(
        DayOverrideForm(
            request.POST, local=local, owners=desk.owners(national=not local, local=local)
        )
    )
    override = _save(
        form,
        lambda data: services.override_create(
            by=request.user, owner_id=owner_id, request=request, **data
        ),
        error_field="day",
    )
    if override:
        return _saved(request, _("Override saved."), override.date.year, owner_id)
    slot = "local_form" if local else "national_form"
    return _render_index(request, desk, _year(request), status=400, **{slot: form})


@login_required
@require_http_methods(["GET", "POST"])
def override_edit(request: HttpRequest, pk: int) -> HttpResponse:
    override = _owned(_desk(request), DayOverride.objects.all(), pk)
    form = DayOverrideForm(
        request.POST or None,
        local=override.org_id is not None,
        initial={
            "day": override.date,
            "kind": override.kind,
            "name": override.name,
            "note": override.note,
        },
    )
    if request.method == "POST" and _save(
        form,
        lambda data: services.override_update(
            by=request.user, override=override, request=request, **data
        ),
        error_field="day",
    ):
        return _saved(request, _("Override saved."), override.date.year, override.org_id)
    return _edit_page(
        request,
        form,
        title=_("Change day override"),
        year=override.date.year,
        owner_id=override.org_id,
        delete_url=reverse("calendar:override_delete", args=[override.pk]),
    )


@login_required
@require_POST
def override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    override = _owned(_desk(request), DayOverride.objects.all(), pk)
    year, owner_id = override.date.year, override.org_id
    services.override_delete(by=request.user, override=override, request=request)
    return _saved(request, _("Override deleted."), year, owner_id)


# --- semesters -------------------------------------------------------------------------------


@login_required
@require_POST
def semester_add(request: HttpRequest) -> HttpResponse:
    desk = _desk(request)
    owner_id = _new_owner(request, desk)
    form = _once(SemesterForm(request.POST, owners=desk.owners()))
    if _save(
        form,
        lambda data: services.semester_create(
            by=request.user, owner_id=owner_id, request=request, **data
        ),
    ):
        return _saved(request, _("Semester saved."), _year(request), owner_id)
    return _render_index(request, desk, _year(request), status=400, semester_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def semester_edit(request: HttpRequest, pk: int) -> HttpResponse:
    semester = _owned(_desk(request), Semester.objects.select_related("school_year"), pk)
    form = SemesterEditForm(
        request.POST or None,
        initial={
            "start": semester.start,
            "end": semester.end,
            "name": semester.name,
        },
    )
    if request.method == "POST" and _save(
        form,
        lambda data: services.semester_update(
            by=request.user, semester=semester, request=request, **data
        ),
    ):
        return _saved(request, _("Semester saved."), semester.start.year, semester.org_id)
    return _edit_page(
        request,
        form,
        title=_("Change semester"),
        subtitle=semester.title,
        year=semester.start.year,
        owner_id=semester.org_id,
        delete_url=reverse("calendar:semester_delete", args=[semester.pk]),
    )


@login_required
@require_POST
def semester_delete(request: HttpRequest, pk: int) -> HttpResponse:
    semester = _owned(_desk(request), Semester.objects.select_related("school_year"), pk)
    year, owner_id = semester.start.year, semester.org_id
    try:
        services.semester_delete(by=request.user, semester=semester, request=request)
    except CalendarError as e:
        messages.error(request, str(e))
        return redirect(_index_url(year, owner_id))
    return _saved(request, _("Semester deleted."), year, owner_id)


# --- sensitive periods -----------------------------------------------------------------------


@login_required
@require_POST
def period_add(request: HttpRequest) -> HttpResponse:
    desk = _desk(request)
    owner_id = _new_owner(request, desk)
    form = _once(SensitivePeriodForm(request.POST, owners=desk.owners()))
    period = _save(
        form,
        lambda data: services.sensitive_period_create(
            by=request.user, owner_id=owner_id, request=request, **data
        ),
    )
    if period:
        return _saved(request, _("Sensitive period saved."), period.start.year, owner_id)
    return _render_index(request, desk, _year(request), status=400, period_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _owned(_desk(request), SensitivePeriod.objects.all(), pk)
    form = SensitivePeriodForm(
        request.POST or None,
        initial={
            "name": period.name,
            "kind": period.kind,
            "start": period.start,
            "end": period.end,
            "note": period.note,
        },
    )
    if request.method == "POST" and _save(
        form,
        lambda data: services.sensitive_period_update(
            by=request.user, period=period, request=request, **data
        ),
    ):
        return _saved(request, _("Sensitive period saved."), period.start.year, period.org_id)
    return _edit_page(
        request,
        form,
        title=_("Change sensitive period"),
        year=period.start.year,
        owner_id=period.org_id,
        delete_url=reverse("calendar:period_delete", args=[period.pk]),
    )


@login_required
@require_POST
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _owned(_desk(request), SensitivePeriod.objects.all(), pk)
    year, owner_id = period.start.year, period.org_id
    services.sensitive_period_delete(by=request.user, period=period, request=request)
    return _saved(request, _("Sensitive period deleted."), year, owner_id)
