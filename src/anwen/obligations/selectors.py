"""Reads of the rhythm engine: completion and timeliness, computed by the database.

**Which periods a window holds.** A period belongs to the window (a day, week, month, semester
or year) in which it *starts*. A daily inspection of 3 November is in November; the week of
27 October – 2 November is in October; a yearly duty (1 January – 31 December) is in January
and in the year, not in the other months. Each period thus falls in exactly one window of a
kind, so windows add up (the months of a year give the year) and the assessment can sum them.

**The figures.** For the periods of a window, counted as of `today`:
- expected: all of them;
- done: fulfilled (`times` records reached), on time or late;
- on time / late: done by the end of the due day, or after it;
- missed: not done, and the due day has passed;
- open: not done, not yet due (so not counted against anyone yet);
- due (应完成) = done + missed: what should be done by now (and what was done early);
- completion rate = done / due; timeliness rate = on time / due.
Rates are None when nothing is due yet.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.models import Obligation, Period, Plan, Target
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import full_scope_paths, paths_q, with_perm, within_q

PRESETS = {
    "day": _("Day"),
    "week": _("Week"),
    "month": _("Month"),
    "semester": _("Semester"),
    "year": _("Year"),
}


# The days the board can show: a wider window is no school's history or future.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def _clamp(day: date) -> date:
    return min(max(day, FIRST_DAY), LAST_DAY)


@dataclass(frozen=True)
class Window:
    kind: str
    start: date
    end: date
    title: str = ""

    @property
    def previous_day(self) -> date:
        return _clamp(self.start - timedelta(days=1)) if self.start > FIRST_DAY else FIRST_DAY

    @property
    def next_day(self) -> date:
        return _clamp(self.end + timedelta(days=1)) if self.end < LAST_DAY else LAST_DAY


def _month_end(d: date) -> date:
    first_next = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return first_next - timedelta(days=1)


def window(kind: str, day: date, org=None) -> Window:
    """The day, week (Monday–Sunday), month, semester or calendar year around `day`. In a
    vacation the semester is the one that ended last (else the next one); without any
    semester in the calendar, the half year. Days outside FIRST_DAY..LAST_DAY are taken as the
    nearest of the two."""
    day = _clamp(day)
    if kind == "day":
        return Window(kind, day, day, day.isoformat())
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        sunday = monday + timedelta(days=6)
        return Window(kind, monday, sunday, f"{monday.isoformat()} – {sunday.isoformat()}")
    if kind == "month":
        first = day.replace(day=1)
        return Window(kind, first, _month_end(first), f"{day.year}-{day.month:02d}")
    if kind == "semester":
        semester = calendar.semester_of(day, org=org)
        if semester is None:
            around = list(
                calendar.semesters_between(
                    day - timedelta(days=200), day + timedelta(days=200), org=org
                )
            )
            before = [s for s in around if s.end < day]
            after = [s for s in around if s.start > day]
            semester = before[-1] if before else (after[0] if after else None)
        if semester is not None:
            return Window(kind, semester.start, semester.end, semester.title)
        if 2 <= day.month <= 7:
            return Window(
                kind, date(day.year, 2, 1), date(day.year, 7, 31), f"{day.year}-02 – {day.year}-07"
            )
        year = day.year if day.month >= 8 else day.year - 1
        return Window(kind, date(year, 8, 1), date(year + 1, 1, 31), f"{year}-08 – {year + 1}-01")
    if kind == "year":
        return Window(kind, date(day.year, 1, 1), date(day.year, 12, 31), str(day.year))
    raise ValueError(f"unknown window kind {kind!r}")


@dataclass
class Completion:
    """The figures of one row (a school, a centre, an obligation, or a total)."""

    key: int | None = None
    name: str = ""
    expected: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def due(self) -> int:
        return self.done + self.missed

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def rate_pct(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    @property
    def timeliness_pct(self) -> int | None:
        return None if self.timeliness is None else round(self.timeliness * 100)

    def add(self, other: "Completion") -> None:
        for name in ("expected", "done", "on_time", "late", "missed", "open"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


_FIGURES = ("expected", "done", "on_time", "late", "missed", "open")


def _figures(today: date) -> dict:
    # Prefixed: an annotation named like a field ("on_time") would shadow it in the filters.
    return {
        "n_expected": Count("pk"),
        "n_done": Count("pk", filter=Q(done_at__isnull=False)),
        "n_on_time": Count("pk", filter=Q(on_time=True)),
        "n_late": Count("pk", filter=Q(on_time=False)),
        "n_missed": Count("pk", filter=Q(done_at__isnull=True, due__lt=today)),
        "n_open": Count("pk", filter=Q(done_at__isnull=True, due__gte=today)),
    }


def _periods(
    start: date, end: date, obligation=None, obligation_codes=None, category: str | None = None
) -> QuerySet[Period]:
    qs = Period.objects.filter(start__gte=start, start__lte=end)
    if obligation is not None:
        # The same duty in every year's plan of the bureau: a window of last year shows last
        # year's obligation of that code.
        qs = qs.filter(
            obligation__code=obligation.code, obligation__plan__owner_id=obligation.plan.owner_id
        )
    if obligation_codes is not None:
        qs = qs.filter(obligation__code__in=list(obligation_codes))
    if category:
        qs = qs.filter(obligation__category=category)
    return qs


def _rows(
    qs: QuerySet, key: str, name: str, today: date, order: str, kind: str | None = None
) -> list[Completion]:
    rows = (
        qs.values(key, name, *([kind] if kind else [])).annotate(**_figures(today)).order_by(order)
    )
    out = []
    for r in rows:
        label = r[name]
        if kind and r[kind] == OrgKind.BUREAU:
            # Schools directly under the bureau are grouped by it: it is not a centre.
            label = str(_("Schools directly under the bureau"))
        out.append(Completion(key=r[key], name=label, **{f: r[f"n_{f}"] for f in _FIGURES}))
    return out


def completion(
    *,
    user,
    start: date,
    end: date,
    obligation: Obligation | None = None,
    group: str = "school",
    within: Org | None = None,
    category: str | None = None,
    today: date | None = None,
) -> list[Completion]:
    """Completion and timeliness of the schools in the user's scope where the user may view
    obligations, for the periods starting in start..end: one row per school
    (`group="school"`) or per centre (`group="centre"`, grouping schools by their parent).
    Aggregated by the database in one query."""
    today = today or timezone.localdate()
    qs = with_perm(
        _periods(start, end, obligation, category=category), user, "obligations.view"
    ).filter(org__kind=OrgKind.SCHOOL)
    if within is not None:
        qs = qs.filter(within_q(within, "org"))
    if group == "centre":
        return _rows(
            qs,
            "org__parent_id",
            "org__parent__name",
            today,
            "org__parent__path",
            kind="org__parent__kind",
        )
    return _rows(qs, "org_id", "org__name", today, "org__path")


def month_to_date(today: date, org=None) -> Window:
    """The month the board opens on: this month, or on the 1st (when nothing of the new month
    is due yet and every rate would read 100%) the month that just ended."""
    return window("month", today - timedelta(days=1) if today.day == 1 else today, org)


def completion_total(*, user, start: date, end: date, today: date | None = None) -> Completion:
    """The figures of every school in the user's scope (where the user may view obligations)
    for the periods starting in start..end, added up by the database: one query, whatever
    the number of schools."""
    today = today or timezone.localdate()
    qs = with_perm(_periods(start, end), user, "obligations.view").filter(org__kind=OrgKind.SCHOOL)
    r = qs.aggregate(**_figures(today))
    figures: dict[str, Any] = {f: r[f"n_{f}"] or 0 for f in _FIGURES}
    return Completion(name=str(_("Total")), **figures)


def total(rows: list[Completion]) -> Completion:
    whole = Completion(name=str(_("Total")))
    for row in rows:
        whole.add(row)
    return whole


def org_obligations(
    *, org: Org, start: date, end: date, today: date | None = None
) -> list[Completion]:
    """Per obligation, the figures of one org for the periods starting in start..end (the
    caller has checked access to `org`). `extra` holds the obligation's code, frequency,
    times, category and record kind."""
    today = today or timezone.localdate()
    rows = (
        _periods(start, end)
        .filter(org=org)
        .values(
            "obligation_id",
            "obligation__name",
            "obligation__code",
            "obligation__frequency",
            "obligation__times",
            "obligation__category",
            "obligation__record_kind",
            "obligation__sort_order",
        )
        .annotate(**_figures(today))
        .order_by("obligation__sort_order", "obligation__code")
    )
    return [
        Completion(
            key=r["obligation_id"],
            name=r["obligation__name"],
            extra={
                "code": r["obligation__code"],
                "frequency": r["obligation__frequency"],
                "times": r["obligation__times"],
                "category": r["obligation__category"],
                "record_kind": r["obligation__record_kind"],
            },
            **{f: r[f"n_{f}"] for f in _FIGURES},
        )
        for r in rows
    ]


def missed_periods(
    *, org: Org, start: date, end: date, today: date | None = None, limit: int = 500
) -> list[Period]:
    """The periods of one org starting in start..end that were not done by their due day,
    newest first, each with `subject_label` (the grid area, the member of staff …)."""
    today = today or timezone.localdate()
    periods = list(
        _periods(start, end)
        .filter(org=org, done_at__isnull=True, due__lt=today)
        .select_related("obligation", "assignee")
        .order_by("-start", "obligation__sort_order")[:limit]
    )
    _attach_labels(periods)
    return periods


def _attach_labels(periods: list[Period]) -> None:
    wanted = {(p.obligation_id, p.org_id, p.subject_id) for p in periods if p.subject_id}
    labels = {}
    if wanted:
        q = Q(pk__in=[])
        for ob, org in {(w[0], w[1]) for w in wanted}:
            q |= Q(
                obligation_id=ob,
                org_id=org,
                subject_id__in=[w[2] for w in wanted if w[:2] == (ob, org)],
            )
        labels = {
            (t.obligation_id, t.org_id, t.subject_id): t.label
            for t in Target.objects.filter(q).only("obligation_id", "org_id", "subject_id", "label")
        }
    for p in periods:
        # A display attribute of this list, not a field of the model.
        p.subject_label = labels.get(  # type: ignore[attr-defined]
            (p.obligation_id, p.org_id, p.subject_id), ""
        )


def completion_for_orgs(
    org_ids,
    start: date,
    end: date,
    obligation_codes=None,
    *,
    category: str | None = None,
    today: date | None = None,
) -> dict[int, Completion]:
    """For the assessment: org id -> figures for the periods starting in start..end, of the
    obligations with `obligation_codes` (all by default). No scoping: the caller decides."""
    today = today or timezone.localdate()
    qs = _periods(start, end, obligation_codes=obligation_codes, category=category).filter(
        org_id__in=list(org_ids)
    )
    rows = qs.values("org_id").annotate(**_figures(today)).order_by("org_id")
    return {
        r["org_id"]: Completion(key=r["org_id"], **{f: r[f"n_{f}"] for f in _FIGURES}) for r in rows
    }


# --- the plan ----------------------------------------------------------------------------------


def plans_for(user) -> QuerySet[Plan]:
    """The plans that apply to what the user sees: issued by an org above or inside the user's
    scope (a school sees its bureau's plan, a bureau its own)."""
    q = Q(pk__in=[])
    for root in full_scope_paths(user):
        ancestors = [pid for pid in root.split("/") if pid]
        q |= paths_q([root], "owner") | Q(owner_id__in=ancestors)
    return Plan.objects.filter(q).select_related("owner").order_by("owner__path", "-year", "code")


def free_code(plan: Plan, name: str) -> str:
    """A code for a new obligation of `plan` that no other of it has: the name as a slug when
    it has Latin letters or digits, else "item-<n>" (a Chinese name has none)."""
    taken = set(Obligation.objects.filter(plan=plan).values_list("code", flat=True))
    base = slugify(name)[:50]
    if base and base not in taken:
        return base
    stem = base or "item"
    n = len(taken) + 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def plan_obligations(plan: Plan) -> QuerySet[Obligation]:
    return plan.obligations.order_by("sort_order", "code")


def obligations_for(user) -> list[Obligation]:
    """The obligations of the published plans the user sees, one per bureau and code (the
    newest year's), for the board's filter."""
    seen: set[tuple[int, str]] = set()
    out = []
    for o in (
        Obligation.objects.filter(plan__in=plans_for(user), plan__is_active=True)
        .select_related("plan")
        .order_by("plan__owner_id", "-plan__year", "sort_order", "code")
    ):
        if (o.plan.owner_id, o.code) not in seen:
            seen.add((o.plan.owner_id, o.code))
            out.append(o)
    return sorted(out, key=lambda o: (o.plan.owner_id, o.sort_order, o.code))


def owed_loggable(org: Org) -> list[Obligation]:
    """Obligations in force that `org` owes and whose records are logged on the log form."""
    from anwen.obligations.registry import is_loggable

    obligations = (
        Obligation.objects.filter(
            targets__org=org, targets__is_active=True, is_active=True, plan__is_active=True
        )
        .select_related("plan")
        .distinct()
        .order_by("-plan__year", "sort_order", "code")
    )
    # Last year's plan and this year's both owe the gate log in January: offer it once, as
    # this year's plan names it.
    seen: set[str] = set()
    out = []
    for o in obligations:
        if is_loggable(o.record_kind) and o.record_kind not in seen:
            seen.add(o.record_kind)
            out.append(o)
    return sorted(out, key=lambda o: (o.sort_order, o.code))


def expected_attendees(org: Org, record_kinds) -> QuerySet | None:
    """The people expected at the sessions among `record_kinds` that take attendance (the
    bus crews' training and study), for the log form to tick; None when none does."""
    from anwen.obligations.registry import kind as record_kind
    from anwen.orgs.models import Person

    ids: set[int] = set()
    asked = False
    for code in record_kinds:
        declared = record_kind(code)
        if declared is not None and declared.attendance is not None:
            asked = True
            ids.update(p.pk for p in declared.attendance(org))
    if not asked:
        return None
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")
