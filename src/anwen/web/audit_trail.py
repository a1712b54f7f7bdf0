"""The audit trail page at /audit/: bureau administrators only ("audit.view"); everyone else
gets 404. It reads the trail through the org scope, so it lives up here with the other views:
`audit` itself imports no other app."""

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anwen.audit import exports
from anwen.audit.chain import summary, verify_chain
from anwen.audit.forms import EventFilterForm
from anwen.audit.models import AuditEvent
from anwen.audit.selectors import PERM, events_between
from anwen.exports.xlsx import Exporter, period_between
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm, perm_required, scope_paths
from anwen.paging import paginate

PAGE_SIZE = 50


def visible_q(user) -> Q:
    """Events under the orgs where the user holds "audit.view". Events tied to no org (logins,
    district-wide loads) only for those who hold it at a district's root, the bureau."""
    q = Q(pk__in=[])
    for org in Org.objects.filter(path__in=scope_paths(user)):
        if has_perm(user, PERM, org):
            q |= Q(org_path__startswith=org.path)
            if org.parent_id is None:
                q |= Q(org_path="")
    return q


def event_list(*, user, start=None, end=None, actor: str = "", action: str = "") -> QuerySet:
    """The events `user` may see, newest first."""
    events = events_between(start=start, end=end).filter(visible_q(user))
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if action:
        events = events.filter(action__startswith=action)
    return events.order_by("-id")


auditor_required = perm_required(PERM)


@auditor_required
def index(request: HttpRequest) -> HttpResponseBase:
    form = EventFilterForm(request.GET or None)
    events: QuerySet[AuditEvent]
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        events = event_list(user=request.user, **form.filters())
    if request.GET.get("format") == "xlsx":
        # Who took a copy of the trail, and of which part, is itself part of the trail.
        filters = form.filters()
        return export_response(
            request,
            Exporter(_("Audit trail"), exports.COLUMNS, events.iterator(chunk_size=2000)),
            "audit-trail",
            period=period_between(filters.get("start"), filters.get("end")),
        )
    page = paginate(request, events, per_page=PAGE_SIZE)
    return render(request, "audit/index.html", {"form": form, "page": page})


@auditor_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    result = verify_chain()
    (messages.success if result.ok else messages.error)(request, summary(result))
    return redirect("audit:index")


app_name = "audit"
urlpatterns = [
    path("", index, name="index"),
    path("verify/", verify, name="verify"),
]
