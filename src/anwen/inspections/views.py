"""Screens of the inspections app: today's area checks on the phone, the checklist screen, the
lists of inspections and findings, grid areas, checklists and their versions, commendations
and accountability records. Each view: guard, validate, one service, redirect or render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anwen import calendar
from anwen.evidence.forms import PHOTO_KINDS
from anwen.evidence.services import EvidenceError, evidence_store
from anwen.exports.xlsx import Column, Exporter, period_between
from anwen.forms import is_id
from anwen.inspections import selectors, services
from anwen.inspections.access import (
    PURPOSES_OF_LEVEL,
    access_inspection,
    can_add_finding,
    can_answer,
    can_hold_accountable,
    is_invited,
    other_level,
    runs_school_checks,
)
from anwen.inspections.forms import (
    AccountabilityFilter,
    AccountabilityForm,
    AreaForm,
    DetailsForm,
    FindingFilter,
    FindingForm,
    InspectionFilter,
    ItemForm,
    NewInspectionForm,
    PublishForm,
    TemplateForm,
    checklist_answers,
)
from anwen.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    GridArea,
    Inspection,
    Level,
    Purpose,
    Status,
)
from anwen.inspections.services import InspectionError
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import access, has_perm, paths_with, perm_required, person_of, school_for
from anwen.paging import offers_choice, paginate

PAGE_SIZE = 50
ANY_PERMS = ("inspections.view", "inspections.do", "inspections.join", "inspections.lead")
SELF_STARTS = (Purpose.OFFICE_WEEKLY, Purpose.LEADERSHIP_MONTHLY, Purpose.OTHER)
LEAD_STARTS = (
    Purpose.SCREENING,
    Purpose.SPOT,
    Purpose.JOINT,
    Purpose.BUS_MONTHLY,
    Purpose.OTHER,
)


def any_perm_required(*perms):
    """Log in first; 404 unless a role grants one of `perms` somewhere."""

    def decorator(view):
        @login_required
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not any(has_perm(request.user, perm) for perm in perms):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def _day(value) -> str:
    return value.isoformat() if value else ""


INSPECTION_COLUMNS = [
    Column(gettext_lazy("Date"), lambda i: _day(i.inspected_on), 12),
    Column(gettext_lazy("School"), lambda i: i.org.name, 30),
    Column(gettext_lazy("Inspection"), lambda i: i.get_purpose_display(), 18),
    Column(gettext_lazy("Level"), lambda i: i.get_level_display(), 14),
    Column(gettext_lazy("Conducted by"), lambda i: i.lead_org.name, 26),
    Column(gettext_lazy("Grid area"), lambda i: i.area.name if i.area else "", 16),
    Column(gettext_lazy("Checklist"), lambda i: str(i.version), 26),
    Column(gettext_lazy("Status"), lambda i: i.get_status_display()),
    Column(gettext_lazy("Findings"), lambda i: i.finding_count),
    Column(
        gettext_lazy("Submitted at"),
        lambda i: (
            timezone.localtime(i.submitted_at).strftime("%Y-%m-%d %H:%M") if i.submitted_at else ""
        ),
        18,
    ),
]
FINDING_COLUMNS = [
    Column(gettext_lazy("Date"), lambda f: _day(f.inspection.inspected_on), 12),
    Column(gettext_lazy("School"), lambda f: f.org.name, 30),
    Column(gettext_lazy("Level"), lambda f: f.get_level_display(), 14),
    Column(gettext_lazy("Conducted by"), lambda f: f.inspection.lead_org.name, 26),
    Column(gettext_lazy("Category"), lambda f: f.category, 18),
    Column(gettext_lazy("Problem"), lambda f: f.description, 50),
    Column(gettext_lazy("Place"), lambda f: f.location, 18),
]
ACCOUNTABILITY_COLUMNS = [
    Column(gettext_lazy("Date"), lambda a: _day(a.issued_on), 12),
    Column(gettext_lazy("School"), lambda a: a.org.name, 30),
    Column(gettext_lazy("Kind"), lambda a: a.get_kind_display(), 14),
    Column(gettext_lazy("Content"), lambda a: a.text, 60),
    Column(gettext_lazy("Issued by"), lambda a: a.issuer.name, 26),
]


def _page(request, qs):
    return paginate(request, qs, per_page=PAGE_SIZE)


def _chunks(qs, size: int = 2000):
    """A long export in slices, so that per-slice lookups stay one query each."""
    batch = []
    for row in qs.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _start_purposes(user) -> list[str]:
    purposes: list[str] = []
    if selectors.self_check_schools(user).exists():
        purposes += SELF_STARTS
    if has_perm(user, "inspections.lead"):
        purposes += [p for p in LEAD_STARTS if p not in purposes]
    return purposes


# --- lists -------------------------------------------------------------------------------------


@any_perm_required(*ANY_PERMS)
def index(request):
    user = request.user
    schools = selectors.filter_schools(user)
    form = InspectionFilter(request.GET or None, schools=schools)
    inspections = selectors.inspection_list(user=user, **form.values())
    if request.GET.get("format") == "xlsx":
        rows = (
            row for chunk in _chunks(inspections) for row in selectors.with_finding_counts(chunk)
        )
        return export_response(
            request,
            Exporter(_("Inspection records"), INSPECTION_COLUMNS, rows),
            "inspections",
            total=inspections.count(),
        )
    page = _page(request, inspections)
    page.object_list = selectors.with_finding_counts(page.object_list)
    return render(
        request,
        "inspections/index.html",
        {
            "form": form,
            "page": page,
            "can_start": bool(_start_purposes(user)),
            "can_do": has_perm(user, "inspections.do"),
            "can_watch": has_perm(user, "inspections.view"),
            "can_join": has_perm(user, "inspections.join"),
            "show_school_filter": offers_choice(schools),
            # Many schools: a phone card is titled by the school, not by the date they share.
            "many_schools": schools[:2].count() > 1,
        },
    )


@any_perm_required("inspections.view", "inspections.join")
def findings(request):
    user = request.user
    schools = selectors.filter_schools(user)
    form = FindingFilter(request.GET or None, schools=schools)
    values = form.values()
    rows = selectors.finding_list(
        user=user,
        level=values.get("level", ""),
        org=values.get("org"),
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Findings"), FINDING_COLUMNS, rows),
            "findings",
            scope=values.get("org"),
            period=period_between(values.get("date_from"), values.get("date_to")),
        )
    return render(
        request,
        "inspections/findings.html",
        {
            "form": form,
            "page": _page(request, rows.prefetch_related("photos")),
            "show_school_filter": offers_choice(schools),
        },
    )


@perm_required("inspections.view")
def accountabilities(request):
    user = request.user
    schools = selectors.filter_schools(user)
    form = AccountabilityFilter(request.GET or None, schools=schools)
    values = form.cleaned_data if form.is_valid() else {}
    rows = selectors.accountability_list(
        user=user, org=values.get("school"), kind=values.get("kind") or ""
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Commendations and accountability"), ACCOUNTABILITY_COLUMNS, rows),
            "accountability",
            scope=values.get("school"),
        )
    return render(
        request,
        "inspections/accountability.html",
        {"form": form, "page": _page(request, rows), "show_school_filter": offers_choice(schools)},
    )


# --- today's area checks (phone) ---------------------------------------------------------------


@perm_required("inspections.do")
def today(request):
    day = timezone.localdate()
    areas = selectors.my_areas(request.user, today=day)
    managed = list(selectors.managed_schools(request.user)[:5])
    school_rows = [(school, selectors.school_areas(school, today=day)) for school in managed]
    drafts = (
        Inspection.objects.filter(created_by=request.user, status=Status.DRAFT)
        .exclude(purpose=Purpose.AREA_DAILY)
        .select_related("org")
        .order_by("-inspected_on")[:10]
    )
    return render(
        request,
        "inspections/today.html",
        {
            "areas": areas,
            "today": day,
            "school_rows": school_rows,
            "drafts": drafts,
            "rest_day": not calendar.is_working_day(
                day, org=areas[0].org if areas else (managed[0] if managed else None)
            ),
            "done": sum(1 for a in areas if a.today_check and a.today_check.status == "submitted"),
        },
    )


def _refused(form, exc) -> None:
    """Show a service's refusal on the field it names, else above the form."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


def _access_area(user, pk, *, write: bool = False, check: bool = False) -> GridArea:
    """An area to manage (`write`), to check today (`check`: its owner, or the school's own
    safety office; never an office above the school) or to look at."""
    area = access(GridArea.objects.select_related("org", "owner", "checklist"), user, pk)
    if check:
        manages = runs_school_checks(user, area.org)
    else:
        manages = has_perm(user, "inspections.manage", area.org)
    if manages:
        return area
    if write:
        raise Http404
    person = person_of(user)
    if (
        person is None
        or area.owner_id != person.pk
        or not has_perm(user, "inspections.do", area.org)
    ):
        raise Http404
    return area


@login_required
def area_check(request, pk: int):
    """Open today's check of an area: resume the one started today, or show the empty list;
    the first save starts it."""
    area = _access_area(request.user, pk, check=True)
    day = timezone.localdate()
    existing = Inspection.objects.filter(
        area=area, inspected_on=day, purpose=Purpose.AREA_DAILY
    ).first()
    if existing is not None:
        if request.method == "POST":
            return _checklist_post(request, existing)
        return redirect("inspections:detail", existing.pk)
    if request.method == "POST":
        try:
            inspection = services.inspection_start(
                org=area.org,
                purpose=Purpose.AREA_DAILY,
                level=Level.SELF,
                by=request.user,
                area=area,
                inspected_on=day,
            )
        except InspectionError as exc:
            messages.error(request, str(exc))
            return redirect("inspections:today")
        return _checklist_post(request, inspection)
    version = services.current_version(area.checklist)
    if version is None or not area.is_active:
        messages.error(request, _("This area has no checklist in use: ask the safety office."))
        return redirect("inspections:today")
    return render(
        request,
        "inspections/check.html",
        {
            "area": area,
            "inspection": None,
            "version": version,
            "today": day,
            "groups": selectors.checklist_groups(version),
            "action": request.path,
            "can_answer": True,
        },
    )


# --- one inspection ----------------------------------------------------------------------------


def _save_answers(request, inspection: Inspection) -> dict[int, str]:
    items = list(inspection.version.items.all())
    answers, errors = checklist_answers(request.POST, request.FILES, items)
    for item, (result, note, upload) in answers.items():
        try:
            # Check first, then store the photo and the answer together: a refused answer
            # leaves no photo behind in the school's files.
            with transaction.atomic():
                locked = services.inspection_lock(inspection=inspection, by=request.user)
                photos = []
                if upload is not None:
                    try:
                        photos = [
                            evidence_store(
                                upload=upload, org=locked.org, by=request.user, kinds=PHOTO_KINDS
                            )
                        ]
                    except EvidenceError as exc:
                        errors[item.pk] = str(exc)
                services.inspection_answer(
                    inspection=locked,
                    by=request.user,
                    item=item,
                    result=result,
                    note=note,
                    photos=photos,
                )
        except InspectionError as exc:
            errors[item.pk] = errors.get(item.pk) or str(exc)
    return errors


def _checklist_post(request, inspection: Inspection):
    if not can_answer(request.user, inspection):
        raise Http404
    action = request.POST.get("action", "save")
    summary = request.POST.get("summary")
    if summary is not None and inspection.area_id is None:
        # Kept whichever button was pressed, like the answers.
        try:
            services.inspection_set_details(inspection=inspection, by=request.user, summary=summary)
        except InspectionError as exc:
            messages.error(request, str(exc))
            return redirect("inspections:detail", inspection.pk)
    errors = _save_answers(request, inspection)
    message = ""
    if not errors and action == "all_pass":
        try:
            count = services.inspection_answer_all_pass(inspection=inspection, by=request.user)
        except InspectionError as exc:
            messages.error(request, str(exc))
            return redirect("inspections:detail", inspection.pk)
        messages.success(
            request,
            _("%(count)s unanswered items marked as passed. Check them and submit.")
            % {"count": count},
        )
        return redirect("inspections:detail", inspection.pk)
    if not errors and action == "submit":
        try:
            services.inspection_submit(inspection=inspection, by=request.user, summary=summary)
        except InspectionError as exc:
            errors, message = exc.items, str(exc)
        else:
            messages.success(request, _("Inspection submitted."))
            if inspection.area_id:
                return redirect("inspections:today")
            return redirect("inspections:detail", inspection.pk)
    if not errors:
        messages.success(request, _("Answers saved. Submit when every item is answered."))
        return redirect("inspections:detail", inspection.pk)
    if not message:
        message = (
            next(iter(errors.values()))
            if len(errors) == 1
            else _("%(count)s items need attention: see the marked items below.")
            % {"count": len(errors)}
        )
    inspection.refresh_from_db()
    return _render_detail(request, inspection, errors=errors, message=message, posted=request.POST)


def _render_detail(
    request,
    inspection: Inspection,
    *,
    errors=None,
    message="",
    posted=None,
    finding_form=None,
    accountability_form=None,
    details_form=None,
):
    user = request.user
    answering = can_answer(user, inspection)
    context = {
        "inspection": inspection,
        "area": inspection.area,
        "version": inspection.version,
        "groups": selectors.checklist_groups(inspection.version, inspection, errors, posted),
        "counts": selectors.answer_counts(inspection),
        "error_message": message,
        "can_answer": answering,
        "action": reverse("inspections:detail", args=[inspection.pk]),
        "findings": inspection.findings.prefetch_related("photos").order_by("pk"),
        "participants": inspection.participants.order_by("name"),
        "invited": inspection.invited.order_by("path"),
        "invited_view": is_invited(user, inspection),
        "today": timezone.localdate(),
    }
    if can_add_finding(user, inspection):
        context["finding_form"] = finding_form or FindingForm()
    if can_hold_accountable(user, inspection.org):
        context["accountability_form"] = accountability_form or AccountabilityForm()
        context["accountabilities"] = inspection.accountabilities.select_related("issuer")
    if answering and inspection.area_id is None:
        context["details_form"] = details_form or DetailsForm(
            people=selectors.home_people(user),
            initial={
                "summary": inspection.summary,
                "participants": list(inspection.participants.all()),
            },
        )
    return render(
        request, "inspections/check.html" if answering else "inspections/detail.html", context
    )


@login_required
def detail(request, pk: int):
    inspection = access_inspection(request.user, pk)
    if request.method == "POST":
        if request.POST.get("action") == "details":
            return _details_post(request, inspection)
        return _checklist_post(request, inspection)
    return _render_detail(request, inspection)


def _details_post(request, inspection: Inspection):
    if not can_answer(request.user, inspection):
        raise Http404
    form = DetailsForm(request.POST, people=selectors.home_people(request.user))
    if form.is_valid():
        try:
            services.inspection_set_details(
                inspection=inspection,
                by=request.user,
                summary=form.cleaned_data["summary"],
                participants=form.cleaned_data["participants"],
            )
        except InspectionError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:detail", inspection.pk)
    return _render_detail(request, inspection, details_form=form)


@login_required
def finding_new(request, pk: int):
    inspection = access_inspection(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can_add_finding(request.user, inspection):
        raise Http404
    form = FindingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # Check first, then store the photos and the finding together: a refusal leaves
            # no photo behind in the school's files.
            with transaction.atomic():
                claim(form.cleaned_data["once"])
                locked = services.inspection_lock(
                    inspection=inspection, by=request.user, finding=True
                )
                photos = [
                    evidence_store(
                        upload=upload, org=locked.org, by=request.user, kinds=PHOTO_KINDS
                    )
                    for upload in form.cleaned_data["photos"]
                ]
                services.finding_add(
                    inspection=locked,
                    by=request.user,
                    description=form.cleaned_data["description"],
                    category=form.cleaned_data["category"],
                    location=form.cleaned_data["location"],
                    photos=photos,
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("inspections:detail", inspection.pk)
        except (InspectionError, EvidenceError) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect("inspections:detail", inspection.pk)
    return _render_detail(request, inspection, finding_form=form)


@login_required
def accountability_new(request, pk: int):
    inspection = access_inspection(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can_hold_accountable(request.user, inspection.org):
        raise Http404
    form = AccountabilityForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                claim(data.pop("once"))
                services.accountability_add(
                    org=inspection.org, by=request.user, inspection=inspection, **data
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("inspections:detail", inspection.pk)
        except InspectionError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Record saved."))
            return redirect("inspections:detail", inspection.pk)
    return _render_detail(request, inspection, accountability_form=form)


@any_perm_required("inspections.manage", "inspections.lead")
def new(request):
    user = request.user
    purposes = _start_purposes(user)
    schools = (selectors.self_check_schools(user) | selectors.led_schools(user)).distinct()
    form = NewInspectionForm(
        request.POST or None,
        purposes=purposes,
        schools=schools,
        people=selectors.home_people(user),
        agencies=selectors.agencies_for(user),
        me=person_of(user),
        initial={"purpose": request.GET.get("purpose", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        purpose = data["purpose"]
        level = next(level for level, kinds in PURPOSES_OF_LEVEL.items() if purpose in kinds)
        if purpose == Purpose.OTHER:
            level = other_level(user, data["school"])
        try:
            inspection = services.inspection_start(
                org=data["school"],
                purpose=purpose,
                level=level,
                by=user,
                inspected_on=data["inspected_on"],
                participants=data["participants"],
                invited=data.get("invited") or (),
            )
        except InspectionError as exc:
            _refused(form, exc)
        else:
            if getattr(inspection, "resumed", False):
                messages.info(
                    request,
                    _(
                        "You already started this inspection today: here it "
                        "is, with what was saved."
                    ),
                )
            else:
                messages.success(request, _("Inspection started: answer the checklist."))
            return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/new.html", {"form": form})


# --- grid areas --------------------------------------------------------------------------------


@perm_required("inspections.view")
def areas(request):
    school = school_for(request, *selectors.AREA_PERMS)
    can_manage = has_perm(request.user, "inspections.manage", school)
    form = None
    if can_manage:
        form = AreaForm(
            request.POST or None,
            staff=selectors.school_staff(school),
            checklists=selectors.area_checklists(school),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.area_create(org=school, by=request.user, **form.cleaned_data)
            except InspectionError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Grid area added."))
                return redirect(f"{reverse('inspections:areas')}?{urlencode({'org': school.pk})}")
    elif request.method == "POST":
        raise Http404
    schools = selectors.area_schools(request.user)
    return render(
        request,
        "inspections/areas.html",
        {
            "school": school,
            "areas": selectors.school_areas(school, today=timezone.localdate()),
            "form": form,
            "can_manage": can_manage,
            "schools": schools if offers_choice(schools) else None,
        },
    )


@perm_required("inspections.manage")
def area_edit(request, pk: int):
    area = _access_area(request.user, pk, write=True)
    form = AreaForm(
        request.POST or None,
        staff=selectors.school_staff(area.org),
        checklists=selectors.area_checklists(area.org),
        initial={
            "name": area.name,
            "kind": area.kind,
            "owner": area.owner,
            "checklist": area.checklist,
        },
    )
    back = f"{reverse('inspections:areas')}?{urlencode({'org': area.org_id})}"
    if request.method == "POST":
        try:
            if request.POST.get("action") in ("deactivate", "activate"):
                services.area_set_active(
                    area=area, by=request.user, active=request.POST["action"] == "activate"
                )
                messages.success(request, _("Saved."))
                return redirect(back)
            if form.is_valid():
                services.area_update(area=area, by=request.user, **form.cleaned_data)
                messages.success(request, _("Grid area saved."))
                return redirect(back)
        except InspectionError as exc:
            _refused(form, exc)
    return render(request, "inspections/area_edit.html", {"area": area, "form": form, "back": back})


# --- checklists --------------------------------------------------------------------------------


@any_perm_required("inspections.view", "inspections.manage")
def templates(request):
    user = request.user
    # A checklist belongs to the org where the user runs inspections (the bureau's standard
    # lists, a school's own).
    owners = Org.objects.filter(path__in=paths_with(user, "inspections.manage"), is_active=True)
    form = None
    if owners.exists():
        form = TemplateForm(
            request.POST or None, owners=owners, templates=selectors.template_list(user)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                template = services.template_create(
                    owner=data["owner"],
                    by=user,
                    code=data["code"],
                    name=data["name"],
                    purpose=data["purpose"],
                    copy_from=data["copy_from"],
                )
            except InspectionError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Checklist created: add its items, then publish."))
                return redirect("inspections:template_detail", template.pk)
    elif request.method == "POST":
        raise Http404
    rows = selectors.template_list(user)
    return render(
        request,
        "inspections/templates.html",
        {
            "page": _page(request, rows),
            "form": form,
            "can_load_standard": _standard_owners(user).exists(),
        },
    )


def _standard_owners(user):
    """The bureaus whose standard checklists this user keeps: the standard lists live at the
    bureau, and its schools' daily, weekly, monthly and fire checks start from them."""
    return Org.objects.filter(
        path__in=paths_with(user, "inspections.manage"), is_active=True, kind=OrgKind.BUREAU
    )


@login_required
@require_POST
def standard_load(request):
    owners = list(_standard_owners(request.user))
    if not owners:
        raise Http404
    added = 0
    for owner in owners:
        before = ChecklistTemplate.objects.filter(owner=owner).count()
        services.standard_templates_load(owner=owner, by=request.user)
        added += ChecklistTemplate.objects.filter(owner=owner).count() - before
    messages.success(
        request,
        _("Standard checklists loaded: %(n)d added; the lists already there are left as they are.")
        % {"n": added},
    )
    return redirect("inspections:templates")


def _access_template(user, pk) -> ChecklistTemplate:
    try:
        return selectors.template_list(user).get(pk=pk)
    except (ChecklistTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@any_perm_required("inspections.view", "inspections.manage")
def template_detail(request, pk: int):
    user = request.user
    template = _access_template(user, pk)
    can_edit = has_perm(user, "inspections.manage", template.owner)
    item_form = ItemForm(request.POST or None) if can_edit else None
    publish_form = PublishForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "draft":
                services.version_draft(template=template, by=user)
                messages.success(request, _("New version started: change it, then publish."))
                return redirect("inspections:template_detail", template.pk)
            draft = template.versions.filter(published_at__isnull=True).first()
            if draft is None:
                raise InspectionError(_("Start a new version first."))
            if action == "add" and item_form is not None and item_form.is_valid():
                data = dict(item_form.cleaned_data)
                with transaction.atomic():
                    claim(data.pop("once"))
                    services.item_add(version=draft, by=user, **data)
                messages.success(request, _("Item added."))
                return redirect("inspections:template_detail", template.pk)
            if action == "remove":
                wanted = request.POST.get("item", "")
                item = draft.items.filter(pk=wanted).first() if is_id(wanted) else None
                if item is None:
                    raise Http404
                services.item_remove(item=item, by=user)
                messages.success(request, _("Item removed."))
                return redirect("inspections:template_detail", template.pk)
            if action == "publish" and publish_form is not None and publish_form.is_valid():
                services.version_publish(
                    version=draft, by=user, note=publish_form.cleaned_data["note"]
                )
                messages.success(request, _("Version published: new inspections use it."))
                return redirect("inspections:template_detail", template.pk)
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("inspections:template_detail", template.pk)
        except InspectionError as exc:
            messages.error(request, str(exc))
    versions = selectors.template_versions(template)
    current = next((v for v in versions if v.published_at), None)
    draft = next((v for v in versions if v.published_at is None), None)
    return render(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "current": current,
            "draft": draft,
            "current_groups": selectors.checklist_groups(current) if current else [],
            "draft_items": draft.items.order_by("sort_order", "pk") if draft else [],
            "can_edit": can_edit,
            "item_form": item_form,
            "publish_form": publish_form,
        },
    )


@perm_required("inspections.manage")
def item_edit(request, pk: int):
    user = request.user
    try:
        item = ChecklistItem.objects.select_related("version__template__owner").get(
            pk=pk, version__template__in=selectors.template_list(user)
        )
    except (ChecklistItem.DoesNotExist, ValueError):
        raise Http404 from None
    template = item.version.template
    if not has_perm(user, "inspections.manage", template.owner) or item.version.published_at:
        raise Http404
    form = ItemForm(
        request.POST or None,
        initial={
            "category": item.category,
            "text": item.text,
            "guidance": item.guidance,
            "weight": item.weight,
            "evidence": item.evidence,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data.pop("once")  # an edit is idempotent: the token is for adding
            services.item_update(item=item, by=user, **data)
        except InspectionError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect("inspections:template_detail", template.pk)
    return render(
        request, "inspections/item_edit.html", {"item": item, "form": form, "template": template}
    )
