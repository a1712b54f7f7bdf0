"""The page where a bureau clerk imports the items the supervision platform (互联网+督查)
handed down, and its blank template. The view guards (the bureaus where the user registers
petitions; any other answers 404), hands the file to `platform_import`, and shows each problem
or the counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anwen.errors import AppError

from . import platform_import
from .petitions import PETITION
from .views import _registering_orgs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bureaus(user):
    orgs = _registering_orgs(user, PETITION)
    if not orgs:
        raise Http404
    return orgs


@require_http_methods(["GET", "POST"])
@login_required
def platform(request):
    orgs = _bureaus(request.user)
    report = None
    file_error = ""
    chosen = str(orgs[0].pk)
    if request.method == "POST":
        chosen = request.POST.get("org") or chosen
        org = next((o for o in orgs if str(o.pk) == chosen), None)
        if org is None:  # another district's bureau, or none: as if it did not exist
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            file_error = _("Choose the platform's Excel or JSON export.")
        else:
            try:
                with transaction.atomic():
                    report = platform_import.import_items(
                        file=upload, org=org, by=request.user, request=request
                    )
            except AppError as exc:
                report = platform_import.Report()
                report.refuse(str(exc))
            if report.ok:
                messages.success(
                    request,
                    _("Imported from the supervision platform: %(summary)s.")
                    % {"summary": report.summary()},
                )
                return redirect("cases:index")
    return render(
        request,
        "cases/import.html",
        {"orgs": orgs, "chosen": chosen, "report": report, "file_error": file_error},
        status=400 if file_error else 200,
    )


@require_GET
@login_required
def platform_template(request):
    _bureaus(request.user)
    response = HttpResponse(platform_import.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="anwen-platform-items.xlsx"'
    return response


# Spliced into the cases urls (`cases:platform_import`, `cases:platform_template`).
urlpatterns = [
    path("import/platform/", platform, name="platform_import"),
    path("import/platform/template.xlsx", platform_template, name="platform_template"),
]
