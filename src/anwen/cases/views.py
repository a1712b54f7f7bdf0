"""Pages of the case engine, one set for every case type: the list, the registration page of a
type, a case with its clocks, chronology and the steps the user may take. Each view guards,
validates, calls one service, redirects. A new case type needs none of its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anwen.errors import AppError
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm, paths_q, paths_with
from anwen.paging import paginate
from anwen.workflow.engine import chronology, refusal

from . import selectors, services
from .exports import export_cases
from .forms import RegisterForm, StepForm
from .steps import ASKED
from .types import case_types, type_of


def _registering_orgs(user, case_type) -> list[Org]:
    paths = paths_with(user, case_type.register_perm)
    orgs = Org.objects.filter(kind__in=case_type.org_kinds, is_active=True)
    return list(orgs.filter(paths_q(paths)).order_by("path")) if paths else []


@login_required
def index(request):
    # The org tree's people (cases.view) and the people cases are handed to (cases.handle).
    # Those named on one case (a carer, a police officer it was shared with) too.
    if not (
        has_perm(request.user, "cases.view")
        or has_perm(request.user, "cases.handle")
        or selectors.visible_cases(request.user).filter(selectors.handled_q(request.user)).exists()
    ):
        raise Http404
    g = request.GET
    types = case_types()
    chosen = g.get("type", "") if g.get("type", "") in types else ""
    states = types[chosen].states.choices if chosen else []
    state = g.get("state", "") if any(v == g.get("state") for v, _l in states) else ""
    rows = selectors.case_list(
        request.user,
        type=chosen,
        state=state,
        overdue=g.get("overdue") == "1",
        mine=g.get("mine") == "1",
        open_only=g.get("open") == "1",
        q=g.get("q", ""),
    )
    if g.get("format") == "xlsx":
        return export_cases(request, rows)
    page = paginate(request, rows)
    cases = list(page.object_list)
    clocks = selectors.clocks_of(cases)
    readable = selectors.readable_ids(request.user, cases)  # one query for the page
    items = [
        {
            "case": c,
            "type": types[c.type],
            "state": types[c.type].workflow.state_label(c.state),
            "clocks": [k for k in clocks[c.pk] if k.state != "stopped"],
            "readable": c.pk in readable,
        }
        for c in cases
    ]
    registrable = [t for t in types.values() if _registering_orgs(request.user, t)]
    return render(
        request,
        "cases/index.html",
        {
            "page": page,
            "items": items,
            "types": types.values(),
            "chosen": chosen,
            "states": states,
            "state": state,
            "registrable": registrable,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def register(request, type_code: str):
    case_type = case_types().get(type_code)
    if case_type is None:
        raise Http404
    orgs = _registering_orgs(request.user, case_type)
    if not orgs:
        raise Http404
    form = RegisterForm(request.POST or None, case_type=case_type, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        face, private = form.details()
        earlier = None
        if d.get("same_matter"):
            earlier = (
                selectors.visible_cases(request.user, full=True)
                .filter(number=d["same_matter"].strip().upper(), type=case_type.code)
                .first()
            )
            if earlier is None:
                form.add_error("same_matter", _("There is no such case among those you see."))
                return render(
                    request, "cases/register.html", {"form": form, "case_type": case_type}
                )
        try:
            with transaction.atomic():
                claim(d["once"])
                case = services.case_register(
                    case_type=case_type,
                    org=form.org,
                    by=request.user,
                    subject=d["subject"],
                    content=d["content"],
                    channel=d.get("channel", ""),
                    received_at=d["received_at"],
                    people={"name": d.get("name", ""), "phone": d.get("phone", "")},
                    details=face,
                    private=private,
                    repeat_of=earlier,
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("cases:index")
        except AppError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Registered as %(number)s.") % {"number": case.number})
            return redirect("cases:detail", case.pk)
    return render(request, "cases/register.html", {"form": form, "case_type": case_type})


@login_required
def detail(request, pk):
    case = selectors.access_case(request.user, pk)
    case_type = type_of(case)
    readable = selectors.may_read(request.user, case)
    if readable and case_type.confidential:
        services.log_view(case=case, by=request.user, request=request)
    workflow = case_type.workflow
    steps = [
        # Prefixed by the step, so the forms of one page keep their fields apart.
        (t, StepForm(case=case, user=request.user, case_type=case_type, name=t.name, prefix=t.name))
        for t in workflow.available(case, request.user)
    ]
    # The step that moves the case on is the one drawn open first; a step that keeps the stage
    # (a hearing, urging), handing it over again once it is under way, and a danger step follow
    # it, folded.
    # A leader asked for an extension decides it first.
    asked = ASKED in case.details
    steps.sort(
        key=lambda s: (
            s[0].danger,
            not (asked and s[0].name == "extend"),
            s[0].target in (None, case.state)
            or (s[0].name == "assign" and case.state != workflow.initial),
        )
    )
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "case_type": case_type,
            "state": workflow.state_label(case.state),
            "channel_label": (
                dict(case_type.channels.choices).get(case.channel, "") if case_type.channels else ""
            ),
            "readable": readable,
            "clocks": selectors.clocks_of([case])[case.pk],
            "events": chronology(workflow, case),
            "steps": steps,
            "repeats": selectors.repeats_of(request.user, case) if readable else None,
            "fields": [
                (f, (case.private if f.private else case.details).get(f.name))
                for f in case_type.fields
                if readable or not f.private
            ],
            "now": timezone.now(),
        },
    )


@login_required
def step(request, pk, name: str):
    case = selectors.access_case(request.user, pk)  # 404 before 405: existence never leaks
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case_type = type_of(case)
    if name not in {t.name for t in case_type.workflow.transitions}:
        raise Http404
    transition = case_type.workflow.transition(name)
    reason = refusal(case_type.workflow, case, transition, request.user)
    if reason is not None:
        messages.error(request, str(reason))
        return redirect("cases:detail", case.pk)
    form = StepForm(
        request.POST, case=case, user=request.user, case_type=case_type, name=name, prefix=name
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("cases:detail", case.pk)
    d = form.cleaned_data
    try:
        with transaction.atomic():
            claim(d.get("once", ""))
            services.case_step(case=case, name=name, by=request.user, note=d["note"], cleaned=d)
    except AlreadySent as exc:
        messages.info(request, str(exc))
    except AppError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect("cases:detail", case.pk)
