"""The bureau's calendar page: holidays and 调休 of a year, overrides, semesters and sensitive
periods. Only users with "calendar.manage" reach it; everyone else gets a 404."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anwen.calendar import selectors, services
from anwen.calendar.forms import (
    DayOverrideForm,
    SemesterEditForm,
    SemesterForm,
    SensitivePeriodForm,
)
from anwen.calendar.models import DayOverride, Semester, SensitivePeriod
from anwen.calendar.rules import CalendarError, arrangement_published
from anwen.orgs.scope import perm_required

MIN_YEAR, MAX_YEAR = 2000, 2100


manager_required = perm_required("calendar.manage")


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _index_url(year: int) -> str:
    return f"{reverse('calendar:index')}?year={year}"


def _render_index(request, year: int, *, override_form=None, semester_form=None,
                  period_form=None, status=200):
    days = selectors.special_days(year)
    return render(request, "calendar/index.html", {
        "year": year,
        "years": range(year - 2, year + 3),
        "published": arrangement_published(year),
        "days": days,
        "days_off": sum(1 for day in days if not day.working),
        "days_worked": sum(1 for day in days if day.working),
        "overrides": selectors.overrides_of_year(year),
        "school_years": selectors.school_years(),
        "periods": selectors.sensitive_periods_between(date(year, 1, 1), date(year, 12, 31)),
        "override_form": override_form or DayOverrideForm(),
        "semester_form": semester_form or SemesterForm(initial={"start_year": year}),
        "period_form": period_form or SensitivePeriodForm(),
    }, status=status)


@manager_required
def index(request):
    return _render_index(request, _year(request))


def _saved(request, message: str, year: int):
    messages.success(request, message)
    return redirect(_index_url(year))


def _save(form, save, *, error_field: str | None = None):
    """Run `save(cleaned_data)` when the form is valid; a rule the service refuses becomes an
    error on the form, so the page shows it beside what the user typed. Returns what `save`
    returned, or None when nothing was saved."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except CalendarError as e:
        form.add_error(error_field, str(e))
        return None


def _edit_page(request, form, *, title: str, year: int, delete_url: str, subtitle: str = ""):
    return render(request, "calendar/edit.html", {
        "form": form, "title": title, "subtitle": subtitle, "year": year,
        "delete_url": delete_url,
    }, status=400 if form.errors else 200)


# --- day overrides ---------------------------------------------------------------------------

@manager_required
@require_POST
def override_add(request):
    form = DayOverrideForm(request.POST)
    override = _save(form, lambda data: services.override_create(
        by=request.user, request=request, **data), error_field="day")
    if override:
        return _saved(request, _("Override saved."), override.date.year)
    return _render_index(request, _year(request), override_form=form, status=400)


@manager_required
@require_http_methods(["GET", "POST"])
def override_edit(request, pk: int):
    override = get_object_or_404(DayOverride, pk=pk)
    form = DayOverrideForm(request.POST or None, initial={
        "day": override.date, "kind": override.kind, "name": override.name,
        "note": override.note,
    })
    if request.method == "POST" and _save(form, lambda data: services.override_update(
            by=request.user, override=override, request=request, **data), error_field="day"):
        return _saved(request, _("Override saved."), override.date.year)
    return _edit_page(request, form, title=_("Change day override"), year=override.date.year,
                      delete_url=reverse("calendar:override_delete", args=[override.pk]))


@manager_required
@require_POST
def override_delete(request, pk: int):
    override = get_object_or_404(DayOverride, pk=pk)
    year = override.date.year
    services.override_delete(by=request.user, override=override, request=request)
    return _saved(request, _("Override deleted."), year)


# --- semesters -------------------------------------------------------------------------------

@manager_required
@require_POST
def semester_add(request):
    form = SemesterForm(request.POST)
    if _save(form, lambda data: services.semester_create(by=request.user, request=request,
                                                         **data)):
        return _saved(request, _("Semester saved."), _year(request))
    return _render_index(request, _year(request), semester_form=form, status=400)


@manager_required
@require_http_methods(["GET", "POST"])
def semester_edit(request, pk: int):
    semester = get_object_or_404(Semester.objects.select_related("school_year"), pk=pk)
    form = SemesterEditForm(request.POST or None, initial={
        "start": semester.start, "end": semester.end, "name": semester.name,
    })
    if request.method == "POST" and _save(form, lambda data: services.semester_update(
            by=request.user, semester=semester, request=request, **data)):
        return _saved(request, _("Semester saved."), semester.start.year)
    return _edit_page(request, form, title=_("Change semester"), subtitle=semester.title,
                      year=semester.start.year,
                      delete_url=reverse("calendar:semester_delete", args=[semester.pk]))


@manager_required
@require_POST
def semester_delete(request, pk: int):
    semester = get_object_or_404(Semester, pk=pk)
    year = semester.start.year
    services.semester_delete(by=request.user, semester=semester, request=request)
    return _saved(request, _("Semester deleted."), year)


# --- sensitive periods -----------------------------------------------------------------------

@manager_required
@require_POST
def period_add(request):
    form = SensitivePeriodForm(request.POST)
    period = _save(form, lambda data: services.sensitive_period_create(
        by=request.user, request=request, **data))
    if period:
        return _saved(request, _("Sensitive period saved."), period.start.year)
    return _render_index(request, _year(request), period_form=form, status=400)


@manager_required
@require_http_methods(["GET", "POST"])
def period_edit(request, pk: int):
    period = get_object_or_404(SensitivePeriod, pk=pk)
    form = SensitivePeriodForm(request.POST or None, initial={
        "name": period.name, "kind": period.kind, "start": period.start, "end": period.end,
        "note": period.note,
    })
    if request.method == "POST" and _save(form, lambda data: services.sensitive_period_update(
            by=request.user, period=period, request=request, **data)):
        return _saved(request, _("Sensitive period saved."), period.start.year)
    return _edit_page(request, form, title=_("Change sensitive period"), year=period.start.year,
                      delete_url=reverse("calendar:period_delete", args=[period.pk]))


@manager_required
@require_POST
def period_delete(request, pk: int):
    period = get_object_or_404(SensitivePeriod, pk=pk)
    year = period.start.year
    services.sensitive_period_delete(by=request.user, period=period, request=request)
    return _saved(request, _("Sensitive period deleted."), year)
