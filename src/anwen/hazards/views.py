"""Pages of the hazards engine: the list, a hazard with its chronology and the steps the user
may take, the phone report page. Each view guards, validates, calls one service, redirects."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from anwen.errors import AppError
from anwen.evidence.forms import PHOTO_KINDS
from anwen.evidence.services import evidence_store
from anwen.exports.xlsx import CHUNK, Column, Exporter
from anwen.forms import is_id
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org, OrgKind, Person
from anwen.orgs.scope import has_perm, schools_with, scoped
from anwen.paging import offers_choice, paginate
from anwen.workflow.engine import refusal

from . import board, selectors, services
from .forms import AssignForm, HazardFilter, NoteForm, PlanForm, ReportForm, SubmitFixForm
from .lifecycle import HAZARD
from .models import Hazard, HazardState

COLUMNS = [
    Column(gettext_lazy("Found on"), lambda h: h.found_on.isoformat(), 12),
    Column(gettext_lazy("School"), lambda h: h.org.name, 30),
    Column(gettext_lazy("Hazard"), lambda h: h.title, 50),
    Column(gettext_lazy("Grade"), lambda h: h.get_grade_display(), 10),
    Column(gettext_lazy("Category"), lambda h: h.get_category_display(), 14),
    Column(gettext_lazy("Campaign theme"), lambda h: h.get_theme_display(), 14),
    Column(gettext_lazy("Place"), lambda h: h.place, 18),
    Column(
        gettext_lazy("Person responsible"),
        lambda h: h.responsible.name if h.responsible else "",
        14,
    ),
    Column(gettext_lazy("Measures"), lambda h: h.measures, 40),
    Column(gettext_lazy("Deadline"), lambda h: h.deadline.isoformat() if h.deadline else "", 12),
    Column(gettext_lazy("State"), lambda h: h.get_state_display(), 12),
]


# The two lists of SM4.1, in the columns an office prints and files.
PROBLEM_COLUMNS = [
    Column(gettext_lazy("No."), lambda h: h.row_no, 6),
    Column(gettext_lazy("School"), lambda h: h.org.name, 30),
    Column(gettext_lazy("Found on"), lambda h: h.found_on.isoformat(), 12),
    Column(gettext_lazy("Source"), lambda h: h.get_source_display(), 14),
    Column(gettext_lazy("Place"), lambda h: h.place, 18),
    Column(gettext_lazy("Problem (hazard) found"), lambda h: h.title, 50),
    Column(gettext_lazy("Category"), lambda h: h.get_category_display(), 14),
    Column(gettext_lazy("Grade"), lambda h: h.get_grade_display(), 10),
    Column(gettext_lazy("State"), lambda h: h.get_state_display(), 12),
]
MEASURE_COLUMNS = [
    Column(gettext_lazy("No."), lambda h: h.row_no, 6),
    Column(gettext_lazy("School"), lambda h: h.org.name, 30),
    Column(gettext_lazy("Problem (hazard) found"), lambda h: h.title, 40),
    Column(gettext_lazy("Measure"), lambda h: h.measures, 40),
    # A number, so the office's Excel adds the column up (a Decimal would be written as text).
    Column(
        gettext_lazy("Fund estimate (yuan)"),
        lambda h: float(h.fund_estimate) if h.fund_estimate is not None else "",
        12,
    ),
    Column(
        gettext_lazy("Person responsible"),
        lambda h: h.responsible.name if h.responsible else "",
        14,
    ),
    Column(gettext_lazy("Deadline"), lambda h: h.deadline.isoformat() if h.deadline else "", 12),
    Column(
        gettext_lazy("Re-check result"),
        lambda h: h.get_state_display(),
        14,
    ),
]
EXPORTS = {
    "xlsx": (gettext_lazy("Hazards"), COLUMNS, "hazards"),
    "problems": (gettext_lazy("Problem-hazard list"), PROBLEM_COLUMNS, "hazard-problems"),
    "measures": (gettext_lazy("Rectification-measure list"), MEASURE_COLUMNS, "hazard-measures"),
}


def _schools(user):
    return scoped(Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True), user).order_by("path")


@login_required
def index(request):
    user = request.user
    schools = _schools(user)
    form = HazardFilter(request.GET or None, schools=schools, centres=board.centres(user))
    values = form.values()
    ignored = form.ignored()
    for sentence in ignored:
        messages.warning(request, sentence)
    today = timezone.localdate()
    rows = selectors.hazard_list(
        user,
        today=today,
        state=values.get("state", ""),
        grade=values.get("grade", ""),
        category=values.get("category", ""),
        theme=values.get("theme", ""),
        kind=values.get("kind", ""),
        overdue=bool(values.get("overdue")),
        open_only=bool(values.get("open")),
        org=values.get("school"),
        centre=values.get("centre"),
    )
    export = EXPORTS.get(request.GET.get("format", ""))
    # A list filed as "the major hazards of S1" must be that list: with a filter ignored the
    # page shows why, and no sheet of something else is handed out.
    if export is not None and not ignored:
        title, columns, name = export
        numbered = columns is not COLUMNS  # the two lists number their rows 1, 2, 3 …
        return export_response(
            request,
            # Counted for the limit, then read in chunks.
            Exporter(title, columns, _numbered(rows) if numbered else rows),
            name,
            total=rows.count() if numbered else None,
            scope=values.get("school") or values.get("centre"),
            filters_text=_filters_in_words(form),
        )
    return render(
        request,
        "hazards/index.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "today": today,
            "show_school_filter": offers_choice(schools),
            # One school's own staff need no school column (a line of every phone card).
            "show_school": schools.count() != 1,
            "show_centre_filter": offers_choice(form.fields["centre"].queryset),
            "may_report": bool(schools_with(user, "inspections.do")),
            "themes": selectors.theme_figures(user, today=today),
        },
    )


def _numbered(rows):
    """The rows a chunk at a time, each with its place in the list (`row_no`): the 序号 of a
    printed list counts 1, 2, 3 …, not the database's ids."""
    for number, hazard in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        hazard.row_no = number
        yield hazard


def _filters_in_words(form: HazardFilter) -> str:
    """The filters chosen, as the form names them ("状态：整改中；仅看未销号"), for the title
    block of a printed list: a clerk filing it reads words, not `open=on`."""
    words = []
    for name, value in form.values().items():
        if value in ("", None, False):
            continue
        field = form.fields[name]
        if value is True:
            words.append(str(field.label))
            continue
        if isinstance(value, Org):  # a school or centre chosen: its name
            shown = value.name
        else:
            shown = dict(getattr(field, "choices", None) or []).get(value, value)
        words.append(f"{field.label}：{shown}")
    return "；".join(words)


def _people(hazard: Hazard):
    return Person.objects.filter(org=hazard.org, is_active=True).order_by("name")


def _forms(hazard: Hazard, user) -> dict[str, Any]:
    """An empty form for each step the user may take now (ids apart: one page holds them all)."""
    out: dict[str, Any] = {}
    for t in HAZARD.available(hazard, user):
        if t.name == "assign":
            out[t.name] = AssignForm(
                auto_id=f"id_{t.name}_%s",
                people=_people(hazard),
                initial={
                    "responsible": hazard.responsible_id,
                    "grade": hazard.grade,
                    "category": hazard.category,
                    "theme": hazard.theme,
                    "kind": hazard.kind,
                    "measures": hazard.measures,
                    "fund_estimate": hazard.fund_estimate,
                },
            )
        elif t.name == "plan":
            out[t.name] = PlanForm(
                auto_id=f"id_{t.name}_%s",
                initial={
                    "goal": hazard.plan_goal,
                    "plan_measures": hazard.plan_measures,
                    "funds": hazard.plan_funds,
                    "people": hazard.plan_people,
                    "time_limit": hazard.plan_time_limit,
                    "interim": hazard.plan_interim,
                },
            )
        elif t.name == "submit":
            out[t.name] = SubmitFixForm(auto_id=f"id_{t.name}_%s")
        else:
            out[t.name] = NoteForm(auto_id=f"id_{t.name}_%s")
        if t.note_required:  # send back, reopen: the reason is the point of the step
            note = out[t.name].fields["note"]
            note.label = _("Reason (required)")
            note.widget.attrs["required"] = True
    return out


# Steps whose form sets what the step requires (the person responsible, the plan): whether
# they may go ahead is known only once the form is sent.
_FORM_DECIDES = frozenset({"assign", "plan"})
# What a step's form brings with it, taken as given when the page asks whether a step could
# go ahead now: the after-photos come with the submitted fix.
_FORM_BRINGS = {"photos_after": True}


def _waits_for(hazard: Hazard, t, user):
    """Why step `t` cannot be taken yet however its form is filled in (a major hazard's
    re-checks, a fixer verifying their own fix, a plan still missing), or None. The page
    says it instead of offering a button the engine would refuse."""
    if t.name in _FORM_DECIDES:
        return None
    for requirement in t.requires:
        problem = requirement(user, hazard, _FORM_BRINGS)
        if problem:
            return problem
    return None


def _done_before(hazard: Hazard, name: str) -> bool:
    """A step that may be taken again but needs no doing now (a second assignment, a plan
    already complete, a re-check already passed): offered folded, not as the next step."""
    return {
        "assign": hazard.state != HazardState.REPORTED,
        "plan": hazard.plan_complete,
        "recheck_centre": hazard.centre_rechecked_at is not None,
        "recheck_bureau": hazard.bureau_rechecked_at is not None,
    }.get(name, False)


def _story(events) -> None:
    """Each event's details in words (`e.details`): to whom it was assigned and by when, to
    whom an overdue hazard was escalated, whether it was closed on time."""
    people = dict(
        Person.objects.filter(
            pk__in={e.data.get("responsible") for e in events if is_id(e.data.get("responsible"))}
        ).values_list("pk", "name")
    )
    ladder = dict(services.ESCALATION_STEPS)
    for e in events:
        data = e.data or {}
        details = []
        if e.name == "assign":
            if data.get("responsible") in people:
                details.append(_("to %(person)s") % {"person": people[data["responsible"]]})
            if data.get("due"):
                details.append(_("deadline %(date)s") % {"date": data["due"]})
        elif e.name == "escalated" and data.get("step") in ladder:
            details.append(_("reported to %(whom)s") % {"whom": ladder[data["step"]]})
            e.note = ""  # the escalation's note only names the step again
        elif e.name == "reminded" and data.get("deadline"):
            details.append(_("deadline %(date)s") % {"date": data["deadline"]})
        elif e.name == "submit" and data.get("photos_after"):
            details.append(
                ngettext("%(n)d photo after", "%(n)d photos after", data["photos_after"])
                % {"n": data["photos_after"]}
            )
        elif e.name == "verify" and "on_time" in data:
            details.append(_("on time") if data["on_time"] else _("after the deadline"))
        e.details = "，".join(details)


@login_required
def detail(request, pk):
    hazard = selectors.access_hazard(request.user, pk)
    forms = _forms(hazard, request.user)
    # The plan's form only where a plan belongs; the re-checks only for a major hazard.
    hidden = set() if hazard.is_major else {"plan", "recheck_centre", "recheck_bureau"}
    steps = []
    primary_taken = False
    for t in HAZARD.available(hazard, request.user):
        if t.name in hidden:
            continue
        waits = _waits_for(hazard, t, request.user)
        # The one step to take next is open; the others (again, back, reopen) are folded.
        primary = not (primary_taken or waits or t.danger or _done_before(hazard, t.name))
        primary_taken = primary_taken or primary
        steps.append({"t": t, "form": forms[t.name], "waits": waits, "primary": primary})
    events = services.chronology(hazard)
    _story(events)
    sent_back = next((e for e in reversed(events) if e.name in ("send_back", "reopen")), None)
    return render(
        request,
        "hazards/detail.html",
        {
            "hazard": hazard,
            "events": events,
            "steps": steps,
            # Why the hazard is being rectified again, where the person fixing it looks first.
            "sent_back": sent_back if hazard.state == HazardState.RECTIFYING else None,
            "today": timezone.localdate(),
            "photos_before": hazard.photos_before.all(),
            "photos_after": hazard.photos_after.all(),
        },
    )


def _assign(request, hazard: Hazard) -> tuple[Any, Callable[[], Any]]:
    form = AssignForm(request.POST, people=_people(hazard))

    def run():
        d = form.cleaned_data
        return services.hazard_assign(
            hazard=hazard,
            by=request.user,
            responsible=d["responsible"],
            grade=d["grade"],
            category=d["category"],
            theme=d["theme"],
            kind=d["kind"],
            measures=d["measures"],
            fund_estimate=d["fund_estimate"],
            deadline=d["deadline"],
            note=d["note"],
        )

    return form, run


def _plan(request, hazard: Hazard):
    form = PlanForm(request.POST)

    def run():
        d = form.cleaned_data
        return services.hazard_plan(
            hazard=hazard,
            by=request.user,
            goal=d["goal"],
            measures=d["plan_measures"],
            funds=d["funds"],
            people=d["people"],
            time_limit=d["time_limit"],
            interim=d["interim"],
        )

    return form, run


def _submit(request, hazard: Hazard):
    form = SubmitFixForm(request.POST, request.FILES)

    def run():
        d = form.cleaned_data
        # Check the step first: a refused fix leaves no photo in the school's files.
        reason = refusal(HAZARD, hazard, HAZARD.transition("submit"), request.user)
        if reason is not None:
            raise services.HazardError(reason)
        photos = [
            evidence_store(upload=u, org=hazard.org, by=request.user, kinds=PHOTO_KINDS)
            for u in d["photos"]
        ]
        return services.hazard_submit_fix(
            hazard=hazard, by=request.user, note=d["note"], photos=photos
        )

    return form, run


def _simple(service: Callable[..., Any], **extra: Any):
    def build(request, hazard: Hazard):
        form = NoteForm(request.POST)

        def run():
            return service(hazard=hazard, by=request.user, note=form.cleaned_data["note"], **extra)

        return form, run

    return build


STEPS: dict[str, Callable[..., tuple[Any, Callable[[], Any]]]] = {
    "assign": _assign,
    "plan": _plan,
    "start": _simple(services.hazard_start),
    "submit": _submit,
    "recheck_centre": _simple(services.hazard_recheck, level="centre"),
    "recheck_bureau": _simple(services.hazard_recheck, level="bureau"),
    "verify": _simple(services.hazard_verify),
    "send_back": _simple(services.hazard_send_back),
    "reopen": _simple(services.hazard_reopen),
}


@login_required
def step(request, pk, name: str):
    hazard = selectors.access_hazard(request.user, pk)  # 404 before 405: existence never leaks
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    build = STEPS.get(name)
    if build is None:
        raise Http404
    form, run = build(request, hazard)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("hazards:detail", hazard.pk)
    try:
        with transaction.atomic():
            claim(form.cleaned_data.get("once", ""))
            run()
    except AlreadySent as exc:
        messages.info(request, str(exc))
    except AppError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": HAZARD.transition(name).label})
    return redirect("hazards:detail", hazard.pk)


@require_http_methods(["GET", "POST"])
@login_required
def report(request):
    """The phone page: a photo from the camera, the place, one sentence."""
    schools = schools_with(request.user, "inspections.do")
    if not schools:
        # A centre, bureau or agency officer reports for no school: their findings are
        # recorded in an inspection, which raises the hazards. Say so, rather than a 404.
        return render(
            request,
            "hazards/report_elsewhere.html",
            {"may_inspect": has_perm(request.user, "inspections.lead")},
        )
    choices = Org.objects.filter(pk__in=[s.pk for s in schools]).order_by("path")
    # Bound on every POST, even an empty one (a phone that lost the body on a bad line): the
    # reporter then reads what is missing instead of a blank form again.
    posted = request.method == "POST"
    form = ReportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        schools=choices,
        initial={"school": schools[0].pk},
    )
    if posted and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                claim(d["once"])
                photos = [
                    evidence_store(upload=u, org=d["school"], by=request.user, kinds=PHOTO_KINDS)
                    for u in d["photos"]
                ]
                hazard = services.hazard_report(
                    org=d["school"],
                    by=request.user,
                    title=d["title"],
                    place=d["place"],
                    photos=photos,
                    category=d["category"],
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("hazards:index")
        except AppError as exc:
            form.add_error(
                getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields else None,
                str(exc),
            )
        else:
            messages.success(request, _("Hazard reported. Thank you."))
            return redirect("hazards:detail", hazard.pk)
    return render(request, "hazards/report.html", {"form": form, "one_school": len(schools) == 1})
