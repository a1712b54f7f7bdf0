"""The audit trail page: bureau administrators only ("audit.view"); everyone else gets 404."""


from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anwen import audit
from anwen.audit import exports, selectors
from anwen.audit.chain import summary, verify_chain
from anwen.audit.forms import EventFilterForm
from anwen.audit.models import AuditEvent
from anwen.exports.xlsx import XLSX
from anwen.orgs.scope import perm_required

PAGE_SIZE = 50


auditor_required = perm_required(selectors.PERM)


@auditor_required
def index(request):
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        events = selectors.event_list(user=request.user, **form.filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, events, form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/index.html", {"form": form, "page": page})


def _export(request, events, filters: dict) -> HttpResponse:
    content = exports.xlsx_bytes(events.iterator(chunk_size=2000))
    # Who took a copy of the trail, and of which part, is itself part of the trail.
    audit.record(actor=request.user, action="audit.trail.exported", request=request, data={
        "format": "xlsx",
        **{key: str(value) for key, value in filters.items() if value},
    })
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.xlsx"'
    return response


@auditor_required
@require_POST
def verify(request):
    result = verify_chain()
    (messages.success if result.ok else messages.error)(request, summary(result))
    return redirect("audit:index")
