from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anwen.exports.xlsx import Column, Exporter
from anwen.fire import selectors, services
from anwen.fire.forms import OverviewForm, RuleForm, StartForm, UploadForm
from anwen.fire.models import FireSelfCheck
from anwen.fire.record_form import record_form_pdf
from anwen.fire.services import FireError
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import access, has_perm, perm_required, scope_paths, visible_orgs
from anwen.paging import paginate

# School-level work (starting the check, sending the form) belongs to the school's principal and
# safety officer: the permission of logging the school's own records.
SCHOOL_PERM = "obligations.log"
WATCH_PERM = selectors.WATCH_PERM


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


OVERVIEW_COLUMNS = [
    Column(gettext_lazy("School"), lambda r: r.school.name, 34),
    Column(gettext_lazy("Centre"),
           lambda r: r.school.parent.name if r.school.parent else "", 24),
    Column(gettext_lazy("Status"), lambda r: r.label, 14),
    Column(gettext_lazy("Date of the self-check"),
           lambda r: r.check.checked_on.isoformat() if r.check else "", 14),
    Column(gettext_lazy("Signed form due"),
           lambda r: r.check.form_due.isoformat() if r.check else "", 14),
    Column(gettext_lazy("Form received at"),
           lambda r: _local(r.check.form_received_at) if r.check else "", 17),
    Column(gettext_lazy("legal representative"),
           lambda r: r.check.legal_representative if r.check else "", 12),
]


def schools_with(user, perm: str) -> list[Org]:
    if not has_perm(user, perm):
        return []
    return [s for s in visible_orgs(user).filter(kind=OrgKind.SCHOOL).order_by("path")
            if has_perm(user, perm, s)]


def _pick(request, schools: list[Org]) -> Org:
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        for school in schools:
            if str(school.pk) == wanted:
                return school
        raise Http404
    if not schools:
        raise Http404
    return schools[0]


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
        return _school_page(request, _pick(request, own), own)
    if not has_perm(user, WATCH_PERM):
        raise Http404
    return _overview_page(request)


def _school_page(request, school: Org, schools: list[Org], *, start_form=None,
                 upload_form=None, status=200):
    today = timezone.localdate()
    semester = selectors.current_semester(today, school)
    checks = list(selectors.checks_of(school))
    current = next((c for c in checks if semester and c.semester_id == semester.pk), None)
    rules = selectors.Rules()
    row = selectors.row_for(school, current, semester, rules.of(school), today) \
        if semester else None
    if start_form is None and current is None:
        me = getattr(request.user, "person", None)
        start_form = StartForm(org=school, initial={
            "checked_on": today, "participants": [me.pk] if me else []})
    return render(request, "fire/school.html", {
        "school": school, "schools": schools, "semester": semester, "current": current,
        "row": row, "state": row.status if row else None,
        "history": [selectors.row_for(school, c, c.semester, rules.of(school), today)
                    for c in checks],
        "answer_url": answer_url(current.inspection) if current else None,
        "start_form": start_form, "upload_form": upload_form or UploadForm(),
        "rule": rules.of(school),
        "last_day": selectors.last_day(semester, rules.of(school), school) if semester else None,
    }, status=status)


def _overview_page(request):
    today = timezone.localdate()
    semesters = selectors.semesters_until(today, next(iter(scope_paths(request.user)), None))
    form = OverviewForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    semester = next((s for s in semesters if s.pk == data.get("semester")), None) \
        or selectors.current_semester(today, next(iter(scope_paths(request.user)), None))
    if semester is None:
        return render(request, "fire/overview.html", {"form": form, "semesters": semesters})
    q = (data.get("q") or "").strip()
    result = selectors.overview(request.user, semester, today=today,
                                status=data.get("status") or None, q=q)
    if request.GET.get("format") == "xlsx":
        return export_response(request, Exporter(_("Fire safety self-checks"), OVERVIEW_COLUMNS,
                                                 result.rows), "fire-self-checks",
                               period=str(semester))
    return render(request, "fire/overview.html", {
        "form": form, "semesters": semesters, "semester": semester, "result": result,
        "page": paginate(request, result.rows), "q": q,
        "status": data.get("status") or "", "statuses": form.fields["status"].choices[1:],
        "can_set_rule": has_perm(request.user, "obligations.manage"),
    })


@perm_required(SCHOOL_PERM)
@require_POST
def start(request):
    school = _pick(request, schools_with(request.user, SCHOOL_PERM))
    form = StartForm(request.POST, org=school)
    if form.is_valid():
        try:
            check = services.fire_check_start(
                org=school, by=request.user, request=request,
                checked_on=form.cleaned_data["checked_on"],
                participants=list(form.cleaned_data["participants"]))
        except FireError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The self-check has begun: answer every item of the "
                                        "list, then submit it."))
            return redirect(answer_url(check.inspection) or _index_url(school))
    return _school_page(request, school, schools_with(request.user, SCHOOL_PERM),
                        start_form=form, status=400)


def _check(request, pk: int, perm: str) -> FireSelfCheck:
    return access(FireSelfCheck.objects.select_related(
        "org", "org__school", "semester", "semester__school_year", "inspection",
        "signed_form", "received_by"), request.user, pk, perm=perm)


@login_required
def check_detail(request, pk: int):
    check = _check(request, pk, WATCH_PERM)
    today = timezone.localdate()
    row = selectors.row_for(check.org, check, check.semester, selectors.Rules().of(check.org),
                            today)
    return render(request, "fire/check.html", {
        "check": check, "row": row,
        "answer_url": answer_url(check.inspection),
        "can_upload": (check.submitted and check.form_received_at is None
                       and has_perm(request.user, SCHOOL_PERM, check.org)),
        "upload_form": UploadForm(),
        "findings": check.inspection.findings.order_by("pk"),
    })


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
            check = services.fire_form_receive(check=check, upload=form.cleaned_data["file"],
                                               by=request.user, request=request)
        except FireError as e:
            messages.error(request, str(e))
        else:
            if check.form_late:
                messages.warning(request, _("Signed form received, after its due day %(due)s: "
                                            "it counts as late.") % {
                                                "due": check.form_due.isoformat()})
            else:
                messages.success(request, _("Signed form received on time."))
    else:
        messages.error(request, _("Choose the scanned form to upload."))
    return redirect("fire:check", pk=check.pk)


@perm_required("obligations.manage")
@require_http_methods(["GET", "POST"])
def rule(request):
    bureaus = [o for o in visible_orgs(request.user).filter(kind=OrgKind.BUREAU)
               if has_perm(request.user, "obligations.manage", o)]
    if not bureaus:
        raise Http404
    bureau = _pick(request, bureaus)
    current = services.rule_for(bureau)
    form = RuleForm(request.POST or None, initial={
        "report_days": current.report_days, "counting": current.counting,
        "missing_after_days": current.missing_after_days,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.fire_rule_save(owner=bureau, by=request.user, request=request,
                                    **form.cleaned_data)
        except FireError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Rule saved. Forms not yet received are now due by the "
                                        "new rule."))
            return redirect("fire:index")
    return render(request, "fire/rule.html", {"form": form, "bureau": bureau},
                  status=400 if form.errors else 200)

