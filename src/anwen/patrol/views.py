from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from anwen.exports.xlsx import Column, Exporter, period_between
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import (
    access,
    access_org,
    has_perm,
    perm_required,
    pick_org,
    school_for,
    schools_with,
    scoped,
)
from anwen.paging import paginate
from anwen.patrol import selectors, services
from anwen.patrol.forms import (
    AcknowledgeForm,
    CheckpointEditForm,
    CheckpointForm,
    RoundFilterForm,
    ScheduleEditForm,
    ScheduleForm,
)
from anwen.patrol.models import Checkpoint, PatrolSchedule, Round
from anwen.patrol.services import PatrolError
from anwen.patrol.sheet import sheet_pdf

PAGE_SIZE = 50
DEFAULT_DAYS = 30  # the rounds list shows the last month unless told otherwise


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


ROUND_COLUMNS = [
    Column(gettext_lazy("Night"), lambda r: r.night.isoformat(), 12),
    Column(gettext_lazy("School"), lambda r: r.org.name, 30),
    Column(gettext_lazy("Centre"), lambda r: r.org.parent.name if r.org.parent else "", 22),
    Column(gettext_lazy("Schedule"), lambda r: r.schedule.name, 14),
    Column(gettext_lazy("Status"), lambda r: r.get_status_display(), 10),
    Column(gettext_lazy("Checkpoints"), lambda r: r.checkpoints_total, 10),
    Column(gettext_lazy("Scanned"), lambda r: r.scanned_count, 10),
    Column(gettext_lazy("Late"), lambda r: r.late_count, 8),
    Column(gettext_lazy("Not scanned"), lambda r: "、".join(r.missing_names), 30),
    Column(gettext_lazy("First scan"), lambda r: _local(r.first_scan_at), 17),
    Column(gettext_lazy("Last scan"), lambda r: _local(r.last_scan_at), 17),
    Column(
        gettext_lazy("Acknowledged by"),
        lambda r: str(r.acknowledged_by) if r.acknowledged_by else "",
        14,
    ),
    Column(gettext_lazy("Acknowledged at"), lambda r: _local(r.acknowledged_at), 17),
    Column(gettext_lazy("Note"), lambda r: r.acknowledge_note, 30),
]


def _index_url(org: Org) -> str:
    return f"{reverse('patrol:index')}?org={org.pk}"


@login_required
def index(request):
    user = request.user
    managed = schools_with(user, "patrol.manage")
    scanning = schools_with(user, "patrol.scan")
    if not managed and not scanning:
        if has_perm(user, "inspections.view"):
            return redirect("patrol:rounds")
        raise Http404
    schools = managed or scanning
    school = pick_org(request, schools)
    can_manage = school in managed
    context = {
        "school": school,
        "schools": schools,
        "can_manage": can_manage,
        "tonight": selectors.tonight(school, now=timezone.now()),
    }
    if can_manage:
        context.update(
            {
                "checkpoints": selectors.checkpoints_of(school),
                "schedules": selectors.schedules_of(school),
                "rounds": selectors.rounds_of(school),
                "flagged_open": selectors.flagged_open(school),
            }
        )
    return render(request, "patrol/index.html", context)


@login_required
def rounds(request):
    user = request.user
    if not (has_perm(user, "inspections.view") or has_perm(user, "patrol.manage")):
        raise Http404
    form = RoundFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    start = data.get("start") or today - timedelta(days=DEFAULT_DAYS)
    end = data.get("end") or today
    org = None
    if request.GET.get("org"):
        org = access_org(user, request.GET["org"], perm="inspections.view")
    found = selectors.rounds_list(
        user, status=data.get("status") or None, start=start, end=end, org=org
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Patrol rounds"), ROUND_COLUMNS, found),
            "patrol-rounds",
            scope=org,
            period=period_between(start, end),
        )
    page = paginate(request, found, per_page=PAGE_SIZE)
    return render(
        request,
        "patrol/rounds.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.status_counts(found),
            "org": org,
            "start": start,
            "end": end,
        },
    )


def _round(request, pk: int, perm: str) -> Round:
    return access(
        Round.objects.select_related("org", "schedule", "acknowledged_by"),
        request.user,
        pk,
        perm=perm,
    )


@login_required
def round_detail(request, pk: int):
    patrol_round = _round(request, pk, "inspections.view")
    can_acknowledge = (
        patrol_round.is_flagged
        and patrol_round.acknowledged_at is None
        and has_perm(request.user, "patrol.manage", patrol_round.org)
    )
    return render(
        request,
        "patrol/round.html",
        {
            "round": patrol_round,
            "view": selectors.night_view(patrol_round.schedule, patrol_round.night),
            "can_acknowledge": can_acknowledge,
            "form": AcknowledgeForm() if can_acknowledge else None,
        },
    )


@login_required
def round_acknowledge(request, pk: int):
    patrol_round = _round(request, pk, "patrol.manage")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.round_acknowledge(
                patrol_round=patrol_round,
                by=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(request, _("Round acknowledged."))
        except PatrolError as e:
            messages.error(request, str(e))
    return redirect("patrol:round", pk=patrol_round.pk)


# --- checkpoints and schedules -----------------------------------------------------------------


def _form_page(
    request, form, *, title: str, school: Org, template: str = "patrol/form.html", **extra
):
    return render(
        request,
        template,
        {"form": form, "title": title, "school": school, **extra},
        status=400 if form.errors else 200,
    )


@perm_required("patrol.manage")
@require_http_methods(["GET", "POST"])
def checkpoint_add(request):
    school = school_for(request, "patrol.manage")
    form = CheckpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkpoint_create(
                org=school, by=request.user, request=request, **form.cleaned_data
            )
        except PatrolError as e:
            form.add_error("name", str(e))
        else:
            messages.success(request, _("Checkpoint added. Print the QR codes and post them."))
            return redirect(_index_url(school))
    return _form_page(request, form, title=_("Add a checkpoint"), school=school)


@perm_required("patrol.manage")
@require_http_methods(["GET", "POST"])
def checkpoint_edit(request, pk: int):
    checkpoint = access(
        Checkpoint.objects.select_related("org"), request.user, pk, perm="patrol.manage"
    )
    form = CheckpointEditForm(
        request.POST or None,
        initial={
            "name": checkpoint.name,
            "place": checkpoint.place,
            "sort_order": checkpoint.sort_order,
            "is_active": checkpoint.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.checkpoint_update(
                checkpoint=checkpoint, by=request.user, request=request, **form.cleaned_data
            )
        except PatrolError as e:
            form.add_error("name", str(e))
        else:
            messages.success(request, _("Checkpoint saved."))
            return redirect(_index_url(checkpoint.org))
    return _form_page(request, form, title=_("Change checkpoint"), school=checkpoint.org)


@perm_required("patrol.manage")
@require_http_methods(["GET", "POST"])
def schedule_add(request):
    school = school_for(request, "patrol.manage")
    form = ScheduleForm(
        request.POST or None,
        org=school,
        initial={
            "starts_on": timezone.localdate(),
            "checkpoints": list(
                Checkpoint.objects.filter(org=school, is_active=True).values_list("pk", flat=True)
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_create(
                org=school, by=request.user, request=request, **form.cleaned_data
            )
        except PatrolError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Patrol schedule saved."))
            return redirect(_index_url(school))
    return _form_page(request, form, title=_("Add a patrol schedule"), school=school)


@perm_required("patrol.manage")
@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk: int):
    schedule = access(
        PatrolSchedule.objects.select_related("org"), request.user, pk, perm="patrol.manage"
    )
    form = ScheduleEditForm(
        request.POST or None,
        org=schedule.org,
        initial={
            "name": schedule.name,
            "start_time": schedule.start_time,
            "end_time": schedule.end_time,
            "grace_minutes": schedule.grace_minutes,
            "judged_at": schedule.judged_at,
            "starts_on": schedule.starts_on,
            "is_active": schedule.is_active,
            "checkpoints": list(schedule.checkpoints.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_update(
                schedule=schedule, by=request.user, request=request, **form.cleaned_data
            )
        except PatrolError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Patrol schedule saved."))
            return redirect(_index_url(schedule.org))
    return _form_page(request, form, title=_("Change patrol schedule"), school=schedule.org)


@perm_required("patrol.manage")
def sheet(request):
    school = school_for(request, "patrol.manage")
    checkpoints = list(Checkpoint.objects.filter(org=school, is_active=True))
    if not checkpoints:
        messages.error(request, _("Add a checkpoint first: there is no code to print."))
        return redirect(_index_url(school))
    pdf = sheet_pdf(
        org=school,
        checkpoints=checkpoints,
        url_of=lambda p: request.build_absolute_uri(reverse("patrol:scan", args=[p.token])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="patrol-codes-{school.code}.pdf"'
    return response


# --- scanning ----------------------------------------------------------------------------------


def _checkpoint_by_token(user, token: str) -> Checkpoint:
    """The checkpoint of a scanned code, for staff of its school who may scan; everyone else,
    and every unknown code, gets a 404."""
    checkpoint = (
        scoped(
            Checkpoint.objects.filter(token=token, is_active=True, org__kind=OrgKind.SCHOOL),
            user,
            full=True,
        )
        .select_related("org")
        .first()
    )
    if checkpoint is None or not has_perm(user, "patrol.scan", checkpoint.org):
        raise Http404
    return checkpoint


@perm_required("patrol.scan")
@require_http_methods(["GET", "POST"])
def scan(request, token: str):
    checkpoint = _checkpoint_by_token(request.user, token)
    if request.method == "POST":
        try:
            recorded, new = services.scan_record(
                checkpoint=checkpoint, by=request.user, request=request
            )
        except PatrolError as e:
            messages.error(request, str(e))
        else:
            when = timezone.localtime(recorded.scanned_at).strftime("%H:%M")
            if not new:
                messages.info(request, _("Already recorded at %(time)s.") % {"time": when})
            elif recorded.night is None:
                messages.warning(
                    request,
                    _(
                        "Recorded at %(time)s. This is outside the hours of every patrol round, so "
                        "it counts for none."
                    )
                    % {"time": when},
                )
            else:
                messages.success(
                    request,
                    _("Recorded: %(checkpoint)s at %(time)s.")
                    % {"checkpoint": checkpoint.name, "time": when},
                )
        return redirect("patrol:scan", token=token)
    mine = checkpoint.scans.filter(user=request.user).order_by("-scanned_at")[:3]
    return render(request, "patrol/scan.html", {"checkpoint": checkpoint, "mine": mine})
