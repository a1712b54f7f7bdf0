from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from anwen.http import id_param, int_param, redirect_next, safe_next
from anwen.inbox.selectors import inbox_summary
from anwen.inspections.models import Level
from anwen.inspections.selectors import inspection_list
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import has_perm, scope_q
from anwen.orgs.selectors import overview
from anwen.web.focus import QUERY_MAX, focus_choices, focus_of
from anwen.web.middleware import FOCUS_SESSION_KEY

# An agency's home lists this many of the joint inspections it was invited to.
INVITATIONS_SHOWN = 20


@login_required
def home(request):
    user = request.user
    ov = overview(user)
    context = {
        "ov": ov,
        "todo": inbox_summary(user),
        "can_see_people": has_perm(user, "orgs.view_people"),
    }
    if ov.level == OrgKind.AGENCY:
        # An agency has no schools or students of its own: what it has is the joint
        # inspections it was invited to (inspections' own rule decides which).
        invited = inspection_list(user=user, level=Level.JOINT)
        context["invitations"] = list(invited[:INVITATIONS_SHOWN])
        context["invitation_count"] = invited.count()
    return render(request, "web/home.html", context)


@require_POST
@login_required
def focus(request):
    """Narrow every list to one centre or school of the user's scope, or widen it again."""
    if request.POST.get("org"):
        pk = id_param(request.POST, "org")
        org = (
            Org.objects.filter(
                scope_q(request.user, full=True),
                is_active=True,
                kind__in=[OrgKind.CENTRE, OrgKind.SCHOOL],
                pk=pk,
            )
            .only("path")
            .first()
            if pk
            else None
        )
        if org is None:
            raise Http404
        request.session[FOCUS_SESSION_KEY] = org.path
    else:
        request.session.pop(FOCUS_SESSION_KEY, None)
    return redirect_next(request, "/")


# Matches the top bar's dropdown shows; the results page shows more, a page at a time.
DROPDOWN_SIZE = 8
RESULTS_PAGE_SIZE = 30


@login_required
def focus_search(request):
    """Find a centre or school to narrow the view to. From the top bar's search box: htmx asks
    for the dropdown of matches as the user types; without JavaScript the box is a plain form
    and this is a page of results. Either way a match is a button that posts to `focus`."""
    focus = focus_of(request.user)
    if focus is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    choices = focus_choices(request.user, q)
    context = {"focus": focus, "q": q, "next": safe_next(request) or "/"}
    if request.htmx:
        matches = list(choices[: DROPDOWN_SIZE + 1])
        context.update(matches=matches[:DROPDOWN_SIZE], more=len(matches) > DROPDOWN_SIZE)
        return render(request, "web/_focus_results.html", context)
    context["page"] = Paginator(choices, RESULTS_PAGE_SIZE).get_page(int_param(request.GET, "page"))
    return render(request, "web/focus_search.html", context)


@login_required
def ping(request):
    """The bare authenticated page: session, user, a few bytes. A monitor polls it, and the
    load scenario (benchmarks/load) reads every page's time against it."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
