"""The devices' own pages, beside the register's generic ones: the networked rates, and the
status update from a video platform's export (the register's one import path, status columns
only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anwen.registers import imports

from . import rates
from .registers import DEVICES, STATUS


@require_GET
@login_required
def rate_board(request):
    today = timezone.localdate()
    board = rates.networked_rates(request.user, today=today)
    if board is None:
        raise Http404
    return render(
        request,
        "devices/rates.html",
        {
            "board": board,
            "today": today,
            "list_url": reverse("registers:list", args=[DEVICES.key]),
            "manages": bool(imports.manageable(request.user, DEVICES)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def status_import(request):
    if not imports.manageable(request.user, DEVICES):
        raise Http404
    result = None
    file_error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_error = _("Choose the Excel (.xlsx) or CSV file to import.")
        else:
            result = imports.import_file(
                register=DEVICES, file=upload, by=request.user, request=request, only=STATUS
            )
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Status updated: %(updated)d devices changed, %(unchanged)d already up to date."
                    )
                    % {
                        "updated": result.updated.get(DEVICES.key, 0),
                        "unchanged": result.skipped.get(DEVICES.key, 0),
                    },
                )
                return redirect("registers:list", key=DEVICES.key)
    return render(
        request,
        "devices/status.html",
        {
            "register": DEVICES,
            "columns": imports.sheet_of(DEVICES, STATUS).columns,
            "result": result,
            "file_error": file_error,
        },
        status=400 if file_error or (result is not None and not result.ok) else 200,
    )
