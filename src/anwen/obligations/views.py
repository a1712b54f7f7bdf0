from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from anwen.exports.xlsx import Column, Exporter, period_between
from anwen.obligations import selectors, services
from anwen.obligations.forms import (
    BoardForm,
    LogForm,
    ObligationCreateForm,
    ObligationForm,
    PlanCloneForm,
    PlanRulesForm,
)
from anwen.obligations.models import Frequency, Obligation, Period, Plan, Record
from anwen.obligations.plans import choose_plan, plan_values, rules_by_engine
from anwen.obligations.registry import conditions, is_loggable, kinds, subject_providers
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org, OrgKind, SchoolType
from anwen.orgs.scope import (
    access,
    access_org,
    has_perm,
    perm_required,
    schools_with,
    scope_paths,
)
from anwen.paging import paginate


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


ROW_COLUMNS = [
    Column(gettext_lazy("Name"), lambda r: r.name, 34),
    Column(gettext_lazy("Expected"), lambda r: r.expected),
    Column(gettext_lazy("Due so far"), lambda r: r.due),
    Column(gettext_lazy("Done"), lambda r: r.done),
    Column(gettext_lazy("On time"), lambda r: r.on_time),
    Column(gettext_lazy("Late"), lambda r: r.late),
    Column(gettext_lazy("Missed"), lambda r: r.missed),
    Column(gettext_lazy("Not yet due"), lambda r: r.open),
    Column(gettext_lazy("Completion rate"), lambda r: _pct(r.rate_pct)),
    Column(gettext_lazy("Timeliness rate"), lambda r: _pct(r.timeliness_pct)),
]
MISSED_COLUMNS = [
    Column(gettext_lazy("Obligation"), lambda p: p.obligation.name, 30),
    Column(gettext_lazy("Subject"), lambda p: p.subject_label, 20),
    Column(gettext_lazy("Responsible"), lambda p: p.assignee.name if p.assignee else ""),
    Column(gettext_lazy("From"), lambda p: p.start.isoformat()),
    Column(gettext_lazy("Until"), lambda p: p.end.isoformat()),
    Column(gettext_lazy("Due"), lambda p: p.due.isoformat()),
    Column(gettext_lazy("Records"), lambda p: f"{p.records}/{p.obligation.times}"),
]


def _board_query(kind: str, day: date, obligation_id, **extra) -> str:
    params = {"period": kind, "date": day.isoformat()}
    if obligation_id:
        params["obligation"] = obligation_id
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


def _board_context(request):
    obligations = list(selectors.obligations_for(request.user))
    form = BoardForm(request.GET or None, obligations=obligations)
    kind, day, obligation_id = form.values()
    obligation = next((o for o in obligations if o.pk == obligation_id), None)
    today = timezone.localdate()
    fell_back = False
    if kind == "month" and not request.GET.get("date") and today.day == 1:
        # On the 1st nothing of the new month is due yet, and every rate would read 100%:
        # open on the month that just ended, and say so.
        day, fell_back = today - timedelta(days=1), True
    win = selectors.window(kind, day, next(iter(scope_paths(request.user)), None))
    note, other = _window_note(win, today, fell_back, obligation_id)
    return {
        "form": form,
        "kind": kind,
        "day": day,
        "window": win,
        "obligation": obligation,
        "presets": selectors.PRESETS,
        "window_note": note,
        "other_window": other,
        "prev_query": _board_query(kind, win.previous_day, obligation_id),
        "next_query": _board_query(kind, win.next_day, obligation_id),
        "query": _board_query(kind, day, obligation_id),
    }


def _window_note(win, today: date, fell_back: bool, obligation_id) -> tuple[str, tuple | None]:
    """What the board shows, in words, and the month one tap away (label, query)."""
    if win.kind != "month":
        return _("Showing %(title)s.") % {"title": win.title}, None
    this_month = selectors.window("month", today)
    last_month = selectors.window("month", this_month.previous_day)
    to_last = (_("Last month"), _board_query("month", last_month.start, obligation_id))
    to_this = (_("This month"), _board_query("month", today, obligation_id))
    if fell_back:
        return (
            _("This month has only just begun: showing last month, %(title)s.")
            % {"title": win.title},
            to_this,
        )
    if win.start == this_month.start:
        return (
            _("Showing this month to date: %(start)s – %(today)s.")
            % {"start": win.start.isoformat(), "today": today.isoformat()},
            to_last,
        )
    if win.start == last_month.start:
        return _("Showing last month, %(title)s.") % {"title": win.title}, to_this
    return _("Showing %(title)s.") % {"title": win.title}, to_this


@perm_required("obligations.view")
def index(request):
    """The completion board: per centre (bureau), per school (centre, or a centre picked by the
    bureau), or per obligation (a school)."""
    today = timezone.localdate()
    ctx = _board_context(request)
    win, obligation = ctx["window"], ctx["obligation"]
    roots = list(Org.objects.filter(path__in=scope_paths(request.user)).order_by("path"))
    if len(roots) == 1 and roots[0].kind == OrgKind.SCHOOL:
        return _school_page(request, roots[0], ctx, today)
    within = None
    if request.GET.get("centre"):
        within = access_org(request.user, request.GET["centre"], perm="obligations.view")
    group = "school"
    if within is None and any(r.kind in (OrgKind.BUREAU, OrgKind.DEPARTMENT) for r in roots):
        group = "centre"
    rows = selectors.completion(
        user=request.user,
        start=win.start,
        end=win.end,
        obligation=obligation,
        group=group,
        within=within,
        today=today,
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Obligation completion"), ROW_COLUMNS, rows),
            "obligations",
            scope=within,
            period=period_between(win.start, win.end),
        )
    for r in rows:
        r.extra["url"] = (
            f"?{ctx['query']}&centre={r.key}"
            if group == "centre"
            else reverse("obligations:school", args=[r.key]) + f"?{ctx['query']}"
        )
        r.extra["missed_url"] = r.extra["url"] + ("" if group == "centre" else "#missed")
    ctx.update(
        {
            "rows": rows,
            "page": paginate(request, rows),
            "total": selectors.total(rows),
            "group": group,
            "within": within,
            "today": today,
        }
    )
    return render(request, "obligations/index.html", ctx)


def _school_page(request, school: Org, ctx: dict, today: date):
    win = ctx["window"]
    rows = selectors.org_obligations(org=school, start=win.start, end=win.end, today=today)
    if ctx["obligation"] is not None:
        rows = [r for r in rows if r.extra["code"] == ctx["obligation"].code]
    missed = selectors.missed_periods(org=school, start=win.start, end=win.end, today=today)
    if ctx["obligation"] is not None:
        missed = [p for p in missed if p.obligation.code == ctx["obligation"].code]
    if request.GET.get("format") == "xlsx":
        if request.GET.get("list") == "missed":
            return export_response(
                request,
                Exporter(_("Missed periods"), MISSED_COLUMNS, missed),
                "missed-periods",
                scope=school,
                period=period_between(win.start, win.end),
            )
        return export_response(
            request,
            Exporter(_("Obligation completion"), ROW_COLUMNS, rows),
            "obligations",
            scope=school,
            period=period_between(win.start, win.end),
        )
    frequencies = dict(Frequency.choices)
    can_log = has_perm(request.user, "obligations.log", school)
    for r in rows:
        r.extra["frequency_label"] = frequencies.get(r.extra["frequency"], r.extra["frequency"])
        r.extra["loggable"] = is_loggable(r.extra["record_kind"])
        r.extra["missed_url"] = f"#missed-{r.extra['code']}"
    ctx.update(
        {
            "school": school,
            "rows": rows,
            "total": selectors.total(rows),
            "missed": missed,
            "missed_groups": _missed_groups(missed, school, can_log),
            "today": today,
            "can_log": can_log,
        }
    )
    return render(request, "obligations/school.html", ctx)


def _missed_groups(missed: list[Period], school: Org, can_log: bool) -> list[dict]:
    """The missed periods per task, in the plan's order, each period with `late_url`: the log
    form on its last day where the school may still record it late (a late record fulfils
    the period, counted as late)."""
    groups: dict[str, dict] = {}
    for p in sorted(missed, key=lambda p: (p.obligation.sort_order, p.obligation.code)):
        group = groups.setdefault(
            p.obligation.code, {"code": p.obligation.code, "name": p.obligation.name, "periods": []}
        )
        late = can_log and is_loggable(p.obligation.record_kind)
        # A display attribute of this page, not a field of the model.
        p.late_url = (  # type: ignore[attr-defined]
            reverse("obligations:log")
            + "?"
            + urlencode(
                {
                    "org": str(school.pk),
                    "kind": p.obligation.record_kind,
                    "date": p.end.isoformat(),
                }
            )
            if late
            else ""
        )
        group["periods"].append(p)
    for group in groups.values():
        group["periods"].sort(key=lambda p: p.start, reverse=True)
    return list(groups.values())


@perm_required("obligations.view")
def school(request, pk: int):
    org = access_org(request.user, pk, perm="obligations.view")
    if org.kind != OrgKind.SCHOOL:
        raise Http404
    today = timezone.localdate()
    return _school_page(request, org, _board_context(request), today)


# --- logging routine activities ----------------------------------------------------------------


def _attendance_of(record: Record):
    try:
        return record.attendance
    except ObjectDoesNotExist:
        return None


def _present(record: Record) -> str:
    attendance = _attendance_of(record)
    return "、".join(p.name for p in attendance.present.all()) if attendance else ""


def _absent(record: Record) -> int | str:
    attendance = _attendance_of(record)
    return attendance.absent if attendance else ""


LOG_COLUMNS = [
    Column(gettext_lazy("Date"), lambda r: r.occurred_on.isoformat()),
    Column(gettext_lazy("Activity"), lambda r: r.kind_label, 28),
    Column(gettext_lazy("Note"), lambda r: r.note, 40),
    # The bus crews' sessions take attendance (SM8.3); other activities leave these empty.
    Column(gettext_lazy("Present"), lambda r: _present(r), 24),
    Column(gettext_lazy("Absent"), lambda r: _absent(r)),
    Column(gettext_lazy("Logged by"), lambda r: str(r.by) if r.by else ""),
    Column(
        gettext_lazy("Logged at"),
        lambda r: timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
    ),
]


@perm_required("obligations.log")
@require_http_methods(["GET", "POST"])
def log(request):
    schools = schools_with(request.user, "obligations.log")
    if not schools:
        raise Http404
    wanted = request.POST.get("org") or request.GET.get("org")
    if wanted:
        # A school the user may not log for does not exist for them: never fall back to
        # another school, which would write the record there.
        school = next((s for s in schools if str(s.pk) == str(wanted)), None)
        if school is None:
            raise Http404
    else:
        school = schools[0]
    today = timezone.localdate()
    owed = selectors.owed_loggable(school)
    labels = _kind_labels(owed)
    choices = [(o.record_kind, labels[o.record_kind]) for o in owed]
    attendees = selectors.expected_attendees(school, [o.record_kind for o in owed])
    initial = {"occurred_on": request.GET.get("date") or today, "kind": request.GET.get("kind")}
    if request.method == "POST":
        form = LogForm(request.POST, request.FILES, kind_choices=choices, attendees=attendees)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    claim(data["once"])
                    services.routine_log(
                        kind=data["kind"],
                        org=school,
                        occurred_on=data["occurred_on"],
                        by=request.user,
                        note=data["note"],
                        photo=data.get("photo"),
                        present=data.get("present"),
                        absent=data.get("absent"),
                    )
            except AlreadySent as exc:
                messages.info(request, str(exc))
                return redirect(reverse("obligations:log") + "?" + urlencode({"org": school.pk}))
            except services.ObligationError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(
                    request,
                    _("Logged: %(activity)s on %(date)s.")
                    % {"activity": labels[data["kind"]], "date": data["occurred_on"].isoformat()},
                )
                return redirect(reverse("obligations:log") + "?" + urlencode({"org": school.pk}))
    else:
        form = LogForm(initial=initial, kind_choices=choices, attendees=attendees)
    records = (
        Record.objects.filter(org=school, kind__in=list(labels), source_type__isnull=True)
        .select_related("by", "attendance")
        .prefetch_related("evidence", "attendance__present")
        .order_by("-occurred_on", "-submitted_at")
    )
    if request.GET.get("format") == "xlsx":
        rows = list(records[:5000])
        for r in rows:
            r.kind_label = labels.get(r.kind, r.kind)
        return export_response(
            request,
            Exporter(_("Routine activity log"), LOG_COLUMNS, rows),
            "routine-log",
            scope=school,
        )
    recent = list(records[:30])
    for r in recent:
        r.kind_label = labels.get(r.kind, r.kind)
        r.files = [(f.name, _evidence_url(f)) for f in r.evidence.all()]
    current = (
        Period.objects.filter(org=school, obligation__in=owed, start__lte=today, end__gte=today)
        .select_related("obligation")
        .order_by("obligation__sort_order")
    )
    for p in current:
        p.kind_label = labels.get(p.obligation.record_kind, p.obligation.name)
    return render(
        request,
        "obligations/log.html",
        {
            "form": form,
            "school": school,
            "schools": schools,
            "recent": recent,
            "current": current,
            "today": today,
        },
    )


def _evidence_url(evidence) -> str:
    try:
        return reverse("evidence:file", args=[evidence.pk])
    except NoReverseMatch:  # the evidence pages are not installed
        return ""


def _kind_labels(obligations) -> dict[str, str]:
    """What the log form calls each activity: the plan's name for it, as the inbox does."""
    registered = kinds()
    out = {}
    for o in obligations:
        if o.record_kind not in out:
            out[o.record_kind] = o.name or str(getattr(registered.get(o.record_kind), "label", ""))
    return out


@perm_required("obligations.log")
def log_delete(request, pk: int):
    record = access(Record.objects.select_related("org"), request.user, pk, perm="obligations.log")
    if record.source_type_id is not None or not is_loggable(record.kind):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.record_remove(record=record, by=request.user)
    messages.success(request, _("The log entry was withdrawn."))
    return redirect(reverse("obligations:log") + "?" + urlencode({"org": record.org_id}))


# --- the plan ----------------------------------------------------------------------------------


def _frequency_label(value: str) -> str:
    return str(dict(Frequency.choices).get(value, value))


def _due_rule(o: Obligation) -> str:
    if not o.due_days:
        return _("By the last day")
    if o.due_counting == "working":
        return ngettext("%(n)d working day after", "%(n)d working days after", o.due_days) % {
            "n": o.due_days
        }
    return ngettext("%(n)d day after", "%(n)d days after", o.due_days) % {"n": o.due_days}


def _applies(o: Obligation) -> str:
    parts = [str(OrgKind(o.org_kind).label)]
    if o.school_types:
        names = dict(SchoolType.choices)
        parts.append("、".join(str(names.get(t, t)) for t in o.school_types))
    if o.boarding_only:
        parts.append(_("boarding only"))
    if o.condition:
        known = conditions().get(o.condition)
        parts.append(str(known.label) if known else o.condition)
    return " · ".join(parts)


def _owed_by(o: Obligation) -> str:
    if o.per_subject:
        provider = subject_providers().get(o.per_subject)
        return str(provider.label) if provider else o.per_subject
    return o.get_role_display() if o.role else _("The organisation as a whole")


def _kind_label(o: Obligation) -> str:
    known = kinds().get(o.record_kind)
    return str(known.label) if known else o.record_kind


PLAN_COLUMNS = [
    Column(gettext_lazy("Code"), lambda o: o.code, 22),
    Column(gettext_lazy("Name"), lambda o: o.name, 34),
    Column(gettext_lazy("Category"), lambda o: o.get_category_display(), 16),
    Column(gettext_lazy("Fulfilled by"), _kind_label, 24),
    Column(gettext_lazy("Frequency"), lambda o: _frequency_label(o.frequency)),
    Column(gettext_lazy("Records per period"), lambda o: o.times),
    Column(gettext_lazy("Deadline"), _due_rule, 18),
    Column(gettext_lazy("Applies to"), _applies, 24),
    Column(gettext_lazy("Owed by"), _owed_by, 18),
    Column(gettext_lazy("From"), lambda o: o.starts_on.isoformat()),
    Column(gettext_lazy("In force"), lambda o: _("Yes") if o.is_active else _("No")),
    Column(gettext_lazy("Description"), lambda o: o.description, 60),
]


def _chosen_plan(request, plans: list[Plan]) -> Plan | None:
    """The plan asked for, else the one in force this year (published, this year's or the
    latest before), else the first."""
    wanted = request.POST.get("plan") or request.GET.get("plan")
    if wanted:
        return next((p for p in plans if str(p.pk) == wanted), None)
    year = timezone.localdate().year
    for owner in dict.fromkeys(p.owner_id for p in plans):
        chosen = choose_plan([p for p in plans if p.owner_id == owner and p.is_active], year)
        if chosen is not None:
            return chosen
    return plans[0] if plans else None


def _plan_page(
    request,
    chosen: Plan | None,
    plans: list[Plan],
    *,
    rules_form=None,
    clone_form=None,
    status: int = 200,
):
    # Display attributes are set on each row below.
    obligations: list[Any] = list(selectors.plan_obligations(chosen)) if chosen else []
    for o in obligations:
        o.kind_label, o.frequency_label = _kind_label(o), _frequency_label(o.frequency)
        o.due_rule, o.applies, o.owed_by = _due_rule(o), _applies(o), _owed_by(o)
        o.kind_known = o.record_kind in kinds() or is_loggable(o.record_kind)
    can_manage = chosen is not None and has_perm(request.user, "obligations.manage", chosen.owner)
    groups = []
    if chosen is not None:
        values = plan_values(chosen)
        if rules_form is None and can_manage:
            rules_form = PlanRulesForm(values=values)
        groups = [
            (engine, label, [(r, r.kind.display(values[r.key])) for r in rules])
            for engine, label, rules in rules_by_engine()
        ]
        if clone_form is None and can_manage:
            clone_form = PlanCloneForm(initial={"year": chosen.year + 1})
    return render(
        request,
        "obligations/plan.html",
        {
            "plans": plans,
            "plan": chosen,
            "obligations": obligations,
            "can_manage": can_manage,
            "rule_groups": groups,
            "rules_form": rules_form,
            "clone_form": clone_form,
            "unconfirmed": sum(1 for o in obligations if o.is_default),
        },
        status=status,
    )


@perm_required("obligations.view")
def plan(request):
    plans = list(selectors.plans_for(request.user))
    chosen = _chosen_plan(request, plans)
    if request.GET.get("plan") and chosen is None:
        raise Http404
    if request.GET.get("format") == "xlsx":
        obligations = list(selectors.plan_obligations(chosen)) if chosen else []
        return export_response(
            request,
            Exporter(_("Work plan"), PLAN_COLUMNS, obligations),
            "plan",
            period=chosen.name if chosen else "",
        )
    return _plan_page(request, chosen, plans)


def _managed_plan(request, pk: int) -> Plan:
    return access(
        Plan.objects.select_related("owner"),
        request.user,
        pk,
        field="owner",
        perm="obligations.manage",
    )


@perm_required("obligations.manage")
def plan_rules(request, pk: int):
    chosen = _managed_plan(request, pk)  # before the method: another's plan is just missing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PlanRulesForm(request.POST, values=plan_values(chosen))
    fields_valid = form.is_valid()
    # The types' own checks run on every field that was valid, so a refusal lists every bad
    # item at once, not one per attempt.
    values = form.values()
    if fields_valid:
        if form.is_valid():  # the types' own checks may have added errors
            try:
                changed = services.plan_rules_set(
                    plan=chosen, by=request.user, values=values, request=request
                )
            except services.ObligationError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(
                    request,
                    _("The plan's rules are saved.") if changed else _("Nothing was changed."),
                )
                return redirect(reverse("obligations:plan") + f"?plan={chosen.pk}#rules")
    return _plan_page(
        request, chosen, list(selectors.plans_for(request.user)), rules_form=form, status=400
    )


@perm_required("obligations.manage")
def plan_clone(request, pk: int):
    chosen = _managed_plan(request, pk)  # before the method: another's plan is just missing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PlanCloneForm(request.POST)
    if form.is_valid():
        try:
            copy = services.plan_clone(
                plan=chosen, year=form.cleaned_data["year"], by=request.user, request=request
            )
        except services.ObligationError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request,
                _("The plan for %(year)d was made as a draft: edit it, then publish it.")
                % {"year": copy.year},
            )
            return redirect(reverse("obligations:plan") + f"?plan={copy.pk}")
    return _plan_page(
        request, chosen, list(selectors.plans_for(request.user)), clone_form=form, status=400
    )


@perm_required("obligations.manage")
def plan_publish(request, pk: int):
    chosen = _managed_plan(request, pk)  # before the method: another's plan is just missing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.plan_publish(plan=chosen, by=request.user, request=request)
    except services.ObligationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The plan for %(year)d is published: it is in force for its year.")
            % {"year": chosen.year},
        )
    return redirect(reverse("obligations:plan") + f"?plan={chosen.pk}")


@perm_required("obligations.manage")
@require_http_methods(["GET", "POST"])
def obligation_edit(request, pk: int):
    obligation = access(
        Obligation.objects.select_related("plan__owner"),
        request.user,
        pk,
        field="plan__owner",
        perm="obligations.manage",
    )
    if request.method == "POST":
        form = ObligationForm(request.POST)
        if form.is_valid():
            try:
                services.obligation_update(
                    obligation=obligation, by=request.user, changes=form.changes()
                )
            except services.ObligationError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(
                    request, _("The obligation was saved; the new rhythm applies from today.")
                )
                return redirect(reverse("obligations:plan") + f"?plan={obligation.plan_id}")
    else:
        form = ObligationForm(initial={f: getattr(obligation, f) for f in services.EDITABLE})
    return render(
        request,
        "obligations/obligation_form.html",
        {
            "form": form,
            "obligation": obligation,
            "plan": obligation.plan,
            "kind_label": _kind_label(obligation),
            "owed_by": _owed_by(obligation),
        },
    )


@perm_required("obligations.manage")
@require_http_methods(["GET", "POST"])
def obligation_add(request):
    plans = [
        p
        for p in selectors.plans_for(request.user)
        if has_perm(request.user, "obligations.manage", p.owner)
    ]
    named = request.POST.get("plan") or request.GET.get("plan")
    # A plan named but not among the user's is missing, as on the plan page: never a quiet
    # fall back to the first plan (which may be the one in force).
    chosen = (
        next((p for p in plans if str(p.pk) == named), None)
        if named
        else (plans[0] if plans else None)
    )
    if chosen is None:
        raise Http404
    if request.method == "POST":
        form = ObligationCreateForm(request.POST, plan=chosen)
        if form.is_valid():
            try:
                services.obligation_create(plan=chosen, by=request.user, fields=form.changes())
            except services.ObligationError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("The obligation was added; it is owed from today."))
                return redirect(reverse("obligations:plan") + f"?plan={chosen.pk}")
    else:
        form = ObligationCreateForm(
            initial={
                "times": 1,
                "due_days": 0,
                "is_active": True,
                "org_kind": OrgKind.SCHOOL,
                "category": "nine_ones",
                "frequency": Frequency.MONTHLY,
            }
        )
    return render(
        request,
        "obligations/obligation_form.html",
        {
            "form": form,
            "plan": chosen,
            "plans": plans,
            "adding": True,
        },
    )
