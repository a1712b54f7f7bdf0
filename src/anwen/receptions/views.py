from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from anwen.errors import AppError
from anwen.exports.xlsx import Column, Exporter
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.exporting import export_response
from anwen.orgs.scope import pick_org
from anwen.paging import paginate

from . import selectors, services
from .forms import CloseForm, ReceptionForm, ScheduleFilter
from .models import Reception

COLUMNS = [
    Column(gettext_lazy("Date"), lambda r: r.date.isoformat(), 12),
    Column(gettext_lazy("Time"), lambda r: r.time.strftime("%H:%M"), 8),
    Column(gettext_lazy("Leader"), lambda r: str(r.leader), 14),
    Column(gettext_lazy("Kind"), lambda r: r.get_kind_display(), 12),
    Column(gettext_lazy("Topic"), lambda r: r.topic, 30),
    Column(gettext_lazy("Venue"), lambda r: r.place, 24),
    Column(gettext_lazy("Status"), lambda r: r.get_status_display(), 10),
    Column(gettext_lazy("What came of it"), lambda r: r.outcome, 40),
    Column(gettext_lazy("Case number"), lambda r: r.case.number if r.case else "", 14),
]


def _bureaus(request):
    bureaus = selectors.bureaus_for(request.user)
    if not bureaus:
        raise Http404  # a page the user may not use does not exist for them
    return bureaus


def _refused(form, exc: AppError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@login_required
def index(request):
    bureaus = _bureaus(request)
    leaders = selectors.leaders_of(*bureaus)
    form = ScheduleFilter(request.GET or None, leaders=leaders)
    data = form.values()
    month_start = timezone.localdate().replace(day=1)
    past = data.get("period") == "past"
    leader = data.get("leader")
    rows = selectors.reception_list(
        user=request.user,
        since=None if past else month_start,
        before=month_start if past else None,
        leader_id=leader.pk if leader else None,
        kind=data.get("kind") or "",
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request, Exporter(_("Leaders' receptions"), COLUMNS, rows), "receptions"
        )
    return render(
        request,
        "receptions/index.html",
        {"form": form, "page": paginate(request, rows), "past": past, "bureaus": bureaus},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    bureau = pick_org(request, _bureaus(request))
    leaders = selectors.leaders_of(bureau)
    only = list(leaders[:2])
    form = ReceptionForm(
        request.POST or None,
        leaders=leaders,
        initial={
            "date": timezone.localdate(),
            "time": "09:00",
            "leader": only[0].pk if len(only) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                claim(d["once"])
                reception = services.reception_plan(
                    bureau=bureau,
                    leader=d["leader"],
                    kind=d["kind"],
                    on=d["date"],
                    at=d["time"],
                    place=d["place"],
                    topic=d["topic"],
                    case_number=d["case_number"],
                    by=request.user,
                    request=request,
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("receptions:index")
        except AppError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Reception scheduled."))
            return redirect("receptions:detail", reception.pk)
    return render(
        request,
        "receptions/form.html",
        {"form": form, "bureau": bureau, "bureaus": _bureaus(request), "reception": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def detail(request, pk):
    reception = selectors.access_reception(request.user, pk)
    return render(request, "receptions/detail.html", _detail_context(reception))


def _detail_context(reception: Reception, *, held_form=None, cancel_form=None) -> dict:
    return {
        "r": reception,
        "held_form": held_form or CloseForm(prefix="held"),
        "cancel_form": cancel_form or CloseForm(prefix="cancel"),
        "can_be_held": reception.date <= timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    reception = selectors.access_reception(request.user, pk)
    if not reception.is_planned:
        messages.info(
            request,
            _("This reception was already %(status)s: it is kept as it was.")
            % {"status": reception.get_status_display()},
        )
        return redirect("receptions:detail", reception.pk)
    form = ReceptionForm(
        request.POST or None,
        leaders=selectors.leaders_of(reception.org),
        initial={
            "leader": reception.leader_id,
            "kind": reception.kind,
            "date": reception.date,
            "time": reception.time,
            "place": reception.place,
            "topic": reception.topic,
            "case_number": reception.case.number if reception.case else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                claim(d["once"])
                services.reception_change(
                    reception=reception,
                    leader=d["leader"],
                    kind=d["kind"],
                    on=d["date"],
                    at=d["time"],
                    place=d["place"],
                    topic=d["topic"],
                    case_number=d["case_number"],
                    by=request.user,
                    request=request,
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("receptions:detail", reception.pk)
        except AppError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Reception changed."))
            return redirect("receptions:detail", reception.pk)
    return render(
        request,
        "receptions/form.html",
        {"form": form, "bureau": reception.org, "bureaus": [], "reception": reception},
        status=400 if form.is_bound else 200,
    )


def _close(request, pk, *, held: bool):
    reception = selectors.access_reception(request.user, pk)  # 404 before 405: nothing leaks
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    prefix = "held" if held else "cancel"
    form = CloseForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            with transaction.atomic():
                claim(form.cleaned_data["once"])
                services.reception_close(
                    reception=reception,
                    held=held,
                    note=form.cleaned_data["note"],
                    by=request.user,
                    request=request,
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("receptions:detail", reception.pk)
        except AppError as exc:
            form.add_error("note" if exc.field == "note" else None, str(exc))
        else:
            messages.success(
                request, _("Marked as held.") if held else _("The reception was cancelled.")
            )
            return redirect("receptions:detail", reception.pk)
    forms = {"held_form" if held else "cancel_form": form}
    return render(
        request, "receptions/detail.html", _detail_context(reception, **forms), status=400
    )


@login_required
def held(request, pk):
    return _close(request, pk, held=True)


@login_required
def cancel(request, pk):
    return _close(request, pk, held=False)
