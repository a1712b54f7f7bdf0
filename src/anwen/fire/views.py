from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anwen.exports.xlsx import Column, Exporter
from anwen.fire import selectors, services
from anwen.fire.forms import OverviewForm, StartForm, UploadForm
from anwen.fire.models import FireSelfCheck
from anwen.fire.record_form import record_form_pdf
from anwen.fire.services import FireError
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org
from anwen.orgs.scope import (
    access,
    has_perm,
    perm_required,
    pick_org,
    schools_with,
    scope_paths,
)
from anwen.paging import paginate

# School-level work (starting the check, sending the form) belongs to the school's principal and
# safety officer: the permission of logging the school's own records.
SCHOOL_PERM = "obligations.log"
WATCH_PERM = selectors.WATCH_PERM


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


OVERVIEW_COLUMNS = [
    Column(gettext_lazy("School"), lambda r: r.school.name, 34),
    Column(gettext_lazy("Centre"), lambda r: r.school.parent.name if r.school.parent else "", 24),
    Column(gettext_lazy("Status"), lambda r: r.label, 14),
    Column(
        gettext_lazy("Date of the self-check"),
        lambda r: r.check.checked_on.isoformat() if r.check else "",
        14,
    ),
    Column(
        gettext_lazy("Signed form due"),
        lambda r: r.check.form_due.isoformat() if r.check else "",
        14,
    ),
    Column(
        gettext_lazy("Form received at"),
        lambda r: _local(r.check.form_received_at) if r.check else "",
        17,
    ),
    Column(
        gettext_lazy("legal representative"),
        lambda r: r.check.legal_representative if r.check else "",
        12,
    ),
]


def answer_url(inspection) -> str | None:
    """The inspections app's screen for answering the checklist."""
    try:
        return reverse("inspections:detail", args=[inspection.pk])
    except NoReverseMatch:
        return None


def _index_url(org: Org) -> str:
    return f"{reverse('fire:index')}?org={org.pk}"


@login_required
def index(request):
    user = request.user
    own = schools_with(user, SCHOOL_PERM)
    if own:
        return _school_page(request, pick_org(request, own), own)
    if not has_perm(user, WATCH_PERM):
        raise Http404
    return _overview_page(request)


def _school_page(
    request, school: Org, schools: list[Org], *, start_form=None, upload_form=None, status=200
):
    today = timezone.localdate()
    semester = selectors.current_semester(today, school)
    checks = list(selectors.checks_of(school))
    current = next((c for c in checks if semester and c.semester_id == semester.pk), None)
    rules = selectors.Rules(on=semester.start if semester else today)
    row = (
        selectors.row_for(school, current, semester, rules.of(school), today) if semester else None
    )
    if start_form is None and current is None:
        me = getattr(request.user, "person", None)
        start_form = StartForm(
            org=school, initial={"checked_on": today, "participants": [me.pk] if me else []}
        )
    return render(
        request,
        "fire/school.html",
        {
            "school": school,
            "schools": schools,
            "semester": semester,
            "current": current,
            "row": row,
            "state": row.status if row else None,
            "history": [
                selectors.row_for(
                    school, c, c.semester, selectors.Rules(on=c.semester.start).of(school), today
                )
                for c in checks
            ],
            "answer_url": answer_url(current.inspection) if current else None,
            "start_form": start_form,
            "upload_form": upload_form or UploadForm(),
            "rule": rules.of(school),
            "last_day": selectors.last_day(semester, rules.of(school), school)
            if semester
            else None,
        },
        status=status,
    )


def _overview_page(request):
    today = timezone.localdate()
    semesters = selectors.semesters_until(today, next(iter(scope_paths(request.user)), None))
    form = OverviewForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    semester = next(
        (s for s in semesters if s.pk == data.get("semester")), None
    ) or selectors.current_semester(today, next(iter(scope_paths(request.user)), None))
    if semester is None:
        return render(request, "fire/overview.html", {"form": form, "semesters": semesters})
    q = (data.get("q") or "").strip()
    result = selectors.overview(
        request.user, semester, today=today, status=data.get("status") or None, q=q
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Fire safety self-checks"), OVERVIEW_COLUMNS, result.rows),
            "fire-self-checks",
            period=str(semester),
        )
    return render(
        request,
        "fire/overview.html",
        {
            "form": form,
            "semesters": semesters,
            "semester": semester,
            "result": result,
            "page": paginate(request, result.rows),
            "q": q,
            "status": data.get("status") or "",
            "statuses": form.fields["status"].choices[1:],
            "can_set_rule": has_perm(request.user, "obligations.manage"),
        },
    )


@perm_required(SCHOOL_PERM)
@require_POST
def start(request):
    school = pick_org(request, schools_with(request.user, SCHOOL_PERM))
    form = StartForm(request.POST, org=school)
    if form.is_valid():
        try:
            check = services.fire_check_start(
                org=school,
                by=request.user,
                request=request,
                checked_on=form.cleaned_data["checked_on"],
                participants=list(form.cleaned_data["participants"]),
            )
        except FireError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("The self-check has begun: answer every item of the list, then submit it."),
            )
            return redirect(answer_url(check.inspection) or _index_url(school))
    return _school_page(
        request, school, schools_with(request.user, SCHOOL_PERM), start_form=form, status=400
    )


def _check(request, pk: int, perm: str) -> FireSelfCheck:
    return access(
        FireSelfCheck.objects.select_related(
            "org",
            "org__school",
            "semester",
            "semester__school_year",
            "inspection",
            "signed_form",
            "received_by",
        ),
        request.user,
        pk,
        perm=perm,
    )


@login_required
def check_detail(request, pk: int):
    check = _check(request, pk, WATCH_PERM)
    today = timezone.localdate()
    row = selectors.row_for(
        check.org,
        check,
        check.semester,
        selectors.Rules(on=check.semester.start).of(check.org),
        today,
    )
    return render(
        request,
        "fire/check.html",
        {
            "check": check,
            "row": row,
            "answer_url": answer_url(check.inspection),
            "can_upload": (
                check.submitted
                and check.form_received_at is None
                and has_perm(request.user, SCHOOL_PERM, check.org)
            ),
            "upload_form": UploadForm(),
            "findings": check.inspection.findings.order_by("pk"),
        },
    )


@login_required
def form_pdf(request, pk: int):
    check = _check(request, pk, WATCH_PERM)
    response = HttpResponse(record_form_pdf(check), content_type="application/pdf")
    name = f"fire-self-check-{check.org.code}-{check.checked_on.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def upload(request, pk: int):
    check = _check(request, pk, SCHOOL_PERM)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            check = services.fire_form_receive(
                check=check, upload=form.cleaned_data["file"], by=request.user, request=request
            )
        except FireError as e:
            messages.error(request, str(e))
        else:
            if check.form_late:
                messages.warning(
                    request,
                    _("Signed form received, after its due day %(due)s: it counts as late.")
                    % {"due": check.form_due.isoformat()},
                )
            else:
                messages.success(request, _("Signed form received on time."))
    else:
        messages.error(request, _("Choose the scanned form to upload."))
    return redirect("fire:check", pk=check.pk)


@perm_required("obligations.manage")
def rule(request):
    """The form's deadline is a rule of the yearly plan: it is set on the plan page."""
    return redirect(reverse("obligations:plan") + "#rules-fire")
