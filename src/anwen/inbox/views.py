from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from anwen.inbox.selectors import inbox_for
from anwen.obligations import selectors as obligations
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import has_perm, scope_paths


def _schools_overdue(user) -> dict | None:
    """For a centre's or the bureau's empty list: where its schools' overdue work is (this
    month's missed periods, as the board counts them), so an empty list is no all-clear."""
    paths = scope_paths(user)
    kinds = set(Org.objects.filter(path__in=paths).values_list("kind", flat=True))
    if not kinds & {OrgKind.CENTRE, OrgKind.BUREAU, OrgKind.DEPARTMENT}:
        return None
    if not has_perm(user, "obligations.view"):
        return None
    today = timezone.localdate()
    win = obligations.month_to_date(today, next(iter(paths), None))
    missed = obligations.completion_total(
        user=user, start=win.start, end=win.end, today=today
    ).missed
    if not missed:
        return None
    return {
        "missed": missed,
        "centre": kinds == {OrgKind.CENTRE},
        "url": reverse("obligations:index")
        + "?"
        + urlencode({"period": "month", "date": win.start.isoformat()}),
    }


@login_required
def index(request):
    inbox = inbox_for(request.user)
    context = {"inbox": inbox}
    if not inbox.waiting:
        context["schools_overdue"] = _schools_overdue(request.user)
    return render(request, "inbox/index.html", context)
