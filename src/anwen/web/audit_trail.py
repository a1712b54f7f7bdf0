"""The audit trail page at /audit/: bureau administrators ("audit.view") and platform
administrators (`calendar.selectors.edits_national`); everyone else gets 404. It reads the
trail through the org scope, so it lives up here with the other views: `audit` itself imports
no other app.

Each district sees only its own events: those recorded under its orgs, account events included
(accounts records them under the account's own org). Events tied to no org belong to no
district (a failed login under a name nobody has, an address block, a command run on the
server): only platform administrators see them, together with what their roles show.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
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
from anwen.calendar.selectors import edits_national
from anwen.exports.xlsx import Exporter, period_between
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm, scope_paths
from anwen.paging import paginate

PAGE_SIZE = 50


def visible_q(user) -> Q:
    """Events under the orgs where the user holds "audit.view"; events tied to no org for
    platform administrators only."""
    q = Q(pk__in=[])
    for org in Org.objects.filter(path__in=scope_paths(user)):
        if has_perm(user, PERM, org):
            q |= Q(org_path__startswith=org.path)
    if edits_national(user):
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


def auditor_required(view):
    """Log in first, then 404 unless the user audits a district or the platform."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (has_perm(request.user, PERM) or edits_national(request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


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
