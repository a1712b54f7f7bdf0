from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from anwen import audit
from anwen.exports.xlsx import Column, Exporter
from anwen.orgs import imports
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Person, SchoolType
from anwen.orgs.scope import access, access_org, has_perm, perm_required, scoped
from anwen.orgs.selectors import people_list as select_people
from anwen.orgs.selectors import position_list as select_positions
from anwen.orgs.selectors import school_list as select_schools
from anwen.paging import paginate

PAGE_SIZE = 50

SCHOOL_COLUMNS = [
    Column(gettext_lazy("Code"), lambda o: o.code),
    Column(gettext_lazy("School name"), lambda o: o.name, 34),
    Column(gettext_lazy("School type"), lambda o: o.school.get_school_type_display()),
    Column(gettext_lazy("Ownership"), lambda o: o.school.get_ownership_display()),
    Column(gettext_lazy("Parent"), lambda o: o.parent.name if o.parent else "", 24),
    Column(gettext_lazy("Enrolment"), lambda o: o.school.enrolment),
    Column(gettext_lazy("Boarders"), lambda o: o.school.boarders),
    Column(gettext_lazy("Gates"), lambda o: o.school.gates),
    Column(gettext_lazy("Area (m²)"), lambda o: o.school.area_m2),
    Column(gettext_lazy("Address"), lambda o: o.school.address, 36),
    Column(gettext_lazy("Longitude"), lambda o: o.school.longitude),
    Column(gettext_lazy("Latitude"), lambda o: o.school.latitude),
]
PEOPLE_COLUMNS = [
    Column(pgettext_lazy("person", "Name"), lambda p: p.name),
    Column(gettext_lazy("Gender"), lambda p: p.get_gender_display()),
    Column(gettext_lazy("Organisation"), lambda p: p.org.name, 34),
    Column(gettext_lazy("Positions"), lambda p: "、".join(x.name for x in p.positions.all()), 24),
    Column(gettext_lazy("Staff number"), lambda p: p.staff_no),
    Column(gettext_lazy("Mobile phone"), lambda p: p.phone),
]


@perm_required("orgs.view")
def school_list(request):
    school_type = request.GET.get("type", "")
    q = request.GET.get("q", "").strip()
    schools = select_schools(request.user, school_type=school_type or None, q=q)
    if request.GET.get("format") == "xlsx":
        return export_response(
            request, Exporter(_("School list"), SCHOOL_COLUMNS, schools), "schools"
        )
    page = paginate(request, schools, per_page=PAGE_SIZE)
    return render(
        request,
        "orgs/school_list.html",
        {
            "page": page,
            "q": q,
            "school_type": school_type,
            "types": SchoolType.choices,
        },
    )


@login_required
def org_detail(request, pk: int):
    org = access_org(request.user, pk)
    children = scoped(org.children.filter(is_active=True), request.user).select_related("school")
    school = getattr(org, "school", None) if org.kind == "school" else None
    can_see_people = has_perm(request.user, "orgs.view_people", org)
    return render(
        request,
        "orgs/org_detail.html",
        {
            "org": org,
            "school": school,
            "children": children,
            "can_see_people": can_see_people,
        },
    )


@perm_required("orgs.view_people")
def people_list(request):
    q = request.GET.get("q", "").strip()
    org = None
    if request.GET.get("org"):
        org = access_org(request.user, request.GET["org"], perm="orgs.view_people")
    people = select_people(request.user, org=org, q=q)
    if request.GET.get("format") == "xlsx":
        return export_response(
            request, Exporter(_("Staff list"), PEOPLE_COLUMNS, people), "staff", scope=org
        )
    page = paginate(request, people, per_page=PAGE_SIZE)
    return render(request, "orgs/people_list.html", {"page": page, "q": q, "org": org})


@login_required
def person_detail(request, pk: int):
    person = access(
        Person.objects.filter(is_active=True).select_related("org"),
        request.user,
        pk,
        perm="orgs.view_people",
    )
    # The page shows the person's mobile number: who looked at whose, and from where, is kept.
    with transaction.atomic():
        audit.record(
            actor=request.user, action="orgs.person.contact_viewed", obj=person, request=request
        )
    return render(request, "orgs/person_detail.html", {"person": person})


@perm_required("orgs.import")
@require_http_methods(["GET", "POST"])
def import_page(request):
    report = None
    file_error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            # At the field, where the eye is, not in the messages at the top.
            file_error = _("Choose an Excel file to import.")
        else:
            with transaction.atomic():
                report = imports.import_workbook(file=upload, by=request.user, request=request)
            if report.ok:
                messages.success(
                    request, _("Imported: %(summary)s.") % {"summary": report.summary()}
                )
                return redirect("orgs:import")
    return render(
        request,
        "orgs/import.html",
        {"report": report, "positions": select_positions(), "file_error": file_error},
        status=400 if file_error else 200,
    )


@perm_required("orgs.view")
def position_list(request):
    """The position library: the names the staff import and the forms accept."""
    return render(
        request,
        "orgs/positions.html",
        {"positions": select_positions(), "can_import": has_perm(request.user, "orgs.import")},
    )


@perm_required("orgs.import")
def import_template(request):
    content = imports.template_workbook()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="anwen-import-template.xlsx"'
    return response
