"""The guards' own page: the schools short of guards (the register's list, form and import are
the generic register pages)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from anwen.exports.xlsx import Column, Exporter
from anwen.orgs.exporting import export_response
from anwen.registers.selectors import visible_paths

from . import selectors
from .registers import GUARDS


@require_GET
@login_required
def shortfall(request):
    paths = visible_paths(request.user, GUARDS)
    if not paths:
        raise Http404
    today = timezone.localdate()
    result = selectors.shortfall(paths, today=today)
    if request.GET.get("format") == "xlsx":
        exporter = Exporter(
            title=_("Schools short of guards"),
            columns=[
                Column(_("Centre"), lambda r: r.school.parent.name if r.school.parent else "", 24),
                Column(_("School"), lambda r: r.school.name, 28),
                Column(_("School code"), lambda r: r.school.code, 14),
                Column(_("Required"), lambda r: r.required, 10),
                Column(_("Counted"), lambda r: r.counted, 10),
                Column(_("Short by"), lambda r: r.missing, 10),
            ],
            rows=result.short,
        )
        return export_response(request, exporter, "guards-shortfall")
    list_url = reverse("registers:list", kwargs={"key": GUARDS.key})
    return render(
        request,
        "guards/shortfall.html",
        {"result": result, "list_url": list_url, "today": today},
    )
