from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from anwen.http import id_param, redirect_next
from anwen.inbox.selectors import inbox_summary
from anwen.inspections.models import Level
from anwen.inspections.selectors import inspection_list
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import has_perm, scope_q
from anwen.orgs.selectors import overview
from anwen.web.middleware import FOCUS_SESSION_KEY

# An agency's home lists this many of the joint inspections it was invited to.
INVITATIONS_SHOWN = 20


@login_required
def home(request):
    user = request.user
    ov = overview(user)
    context = {"ov": ov, "todo": inbox_summary(user),
               "can_see_people": has_perm(user, "orgs.view_people")}
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
        org = (Org.objects.filter(scope_q(request.user, full=True), is_active=True,
                                  kind__in=[OrgKind.CENTRE, OrgKind.SCHOOL], pk=pk)
               .only("path").first() if pk else None)
        if org is None:
            raise Http404
        request.session[FOCUS_SESSION_KEY] = org.path
    else:
        request.session.pop(FOCUS_SESSION_KEY, None)
    return redirect_next(request, "/")
