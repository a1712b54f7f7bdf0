from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from anwen.inbox.selectors import inbox_summary
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import scope_q
from anwen.orgs.selectors import overview
from anwen.web.middleware import FOCUS_SESSION_KEY


@login_required
def home(request):
    return render(request, "web/home.html",
                  {"ov": overview(request.user), "todo": inbox_summary(request.user)})


@require_POST
@login_required
def focus(request):
    """Narrow every list to one centre or school of the user's scope, or widen it again."""
    pk = request.POST.get("org", "")
    if pk:
        org = (Org.objects.filter(scope_q(request.user, full=True), is_active=True,
                                  kind__in=[OrgKind.CENTRE, OrgKind.SCHOOL], pk=pk)
               .only("path").first() if pk.isdigit() else None)
        if org is None:
            raise Http404
        request.session[FOCUS_SESSION_KEY] = org.path
    else:
        request.session.pop(FOCUS_SESSION_KEY, None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return redirect(target)
