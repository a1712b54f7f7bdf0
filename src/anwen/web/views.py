from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anwen.cases import selectors as cases
from anwen.duties import selectors as duties
from anwen.fire import selectors as fire
from anwen.fire.models import CheckStatus
from anwen.http import id_param, int_param, redirect_next, safe_next
from anwen.inbox.selectors import inbox_summary
from anwen.inspections.models import Level
from anwen.inspections.selectors import inspection_list
from anwen.obligations import selectors as obligations
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import has_perm, scope_paths, scope_q
from anwen.orgs.selectors import overview
from anwen.registers import expiry
from anwen.registers import selectors as registers
from anwen.web.focus import QUERY_MAX, focus_choices, focus_of
from anwen.web.middleware import FOCUS_SESSION_KEY

# An agency's home lists this many of the joint inspections it was invited to.
INVITATIONS_SHOWN = 20


@dataclass
class Figure:
    """One big number of the home page, a link to the list behind it."""

    value: str
    unit: str
    label: str
    url: str
    state: str = ""  # the colour class of its label: missed, late, done …


def safety_figures(user, today: date) -> list[Figure]:
    """The month-to-date safety figures of a bureau's or a centre's home, each one a link to
    its list. A fixed number of queries whatever the number of schools: one aggregate of the
    periods, the fire overview's four, the letters' two."""
    figures = []
    if has_perm(user, "obligations.view"):
        win = obligations.month_to_date(today, next(iter(scope_paths(user)), None))
        t = obligations.completion_total(user=user, start=win.start, end=win.end, today=today)
        board = (
            reverse("obligations:index")
            + "?"
            + urlencode({"period": "month", "date": win.start.isoformat()})
        )
        figures += [
            Figure(
                "—" if t.rate_pct is None else f"{t.rate_pct}%",
                "",
                _("Completion rate, %(month)s") % {"month": win.title},
                board,
            ),
            Figure(str(t.missed), _("periods"), _("Overdue, not done"), board, "missed"),
        ]
    semester = fire.current_semester(today, next(iter(scope_paths(user)), None))
    if semester is not None and has_perm(user, fire.WATCH_PERM):
        result = fire.overview(user, semester, today=today)
        for status, state, label in (
            (CheckStatus.MISSING, "missed", _("Fire self-checks missing")),
            (CheckStatus.LATE, "late", _("Fire self-check forms late")),
        ):
            figures.append(
                Figure(
                    str(result.count(status)),
                    _("schools"),
                    label,
                    reverse("fire:index") + "?" + urlencode({"status": status}),
                    state,
                )
            )
    if has_perm(user, "cases.view"):
        late = cases.case_list(user, overdue=True).count()
        figures.append(
            Figure(
                str(late),
                _("cases"),
                _("Cases past a time limit"),
                reverse("cases:index") + "?" + urlencode({"overdue": 1}),
                "missed" if late else "done",
            )
        )
    if has_perm(user, "registers.view"):
        paths = registers.expiry_paths(user)
        lapsed = sum(s["expired"] for s in expiry.summary(paths, today=today)) if paths else 0
        figures.append(
            Figure(
                str(lapsed),
                _("items"),
                _("Certificates, checks and inspections expired"),
                reverse("registers:expiring") + "?" + urlencode({"state": expiry.EXPIRED}),
                "missed" if lapsed else "done",
            )
        )
    if has_perm(user, "duties.view"):
        letters = duties.total(duties.sign_rates(user=user, year=today.year))
        figures.append(
            Figure(
                "—" if letters.rate is None else f"{letters.rate:g}%",
                "",
                _("Responsibility letters signed, %(year)d") % {"year": today.year},
                reverse("duties:index") + "?" + urlencode({"year": today.year}),
            )
        )
    return figures


@login_required
def home(request):
    user = request.user
    ov = overview(user)
    context = {
        "ov": ov,
        "todo": inbox_summary(user),
        "can_see_people": has_perm(user, "orgs.view_people"),
    }
    if ov.level in (OrgKind.BUREAU, OrgKind.CENTRE, OrgKind.DEPARTMENT):
        context["figures"] = safety_figures(user, timezone.localdate())
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
