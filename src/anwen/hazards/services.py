"""Writes of the hazards engine. Every step of a hazard's life goes through the workflow
declaration (`lifecycle.HAZARD`), which locks the row, refuses illegal moves and writes the
event and the audit row; the functions here only say what each step changes."""

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anwen.errors import AppError
from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, OrgKind, Person, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import has_perm
from anwen.workflow import engine
from anwen.workflow.grants import grant
from anwen.workflow.models import Event

from .lifecycle import (
    HAZARD,
    bureau_of,
    centre_of,
    rectify_due,
    responsible_user,
    supervises,
)
from .models import Category, Grade, Hazard, HazardState, Kind, Source, Theme
from .rules import ESCALATE_EVERY, REMIND_DAYS

log = logging.getLogger(__name__)


class HazardError(AppError):
    """A hazard service refused; the message is for the user."""


# --- notifications -----------------------------------------------------------------------------


def _announce(
    *, key: str, recipients: Iterable, title: str, body: str = "", link: str = ""
) -> None:
    """Every notice of the hazards engine goes out through here: the outbox, once per event,
    person and channel. Called inside the transaction that wrote the event, so a notice is
    queued exactly when its event is (a rolled-back step tells nobody)."""
    from anwen.outbox.services import announce

    people = [u for u in recipients if u is not None]
    announce(key=key, recipients=people, title=str(title), body=str(body), link=link)


def _link(hazard: Hazard) -> str:
    from django.urls import reverse

    return reverse("hazards:detail", args=[hazard.pk])


# --- raising -----------------------------------------------------------------------------------

_CATEGORY_WORDS = (
    (Category.FIRE, ("消防", "火", "灭火", "疏散", "fire")),
    (Category.ELECTRICAL, ("电", "线路", "插座", "electric")),
    (Category.FOOD, ("食品", "食堂", "餐", "厨", "food")),
    (Category.WATER, ("溺水", "水域", "池塘", "water")),
    (Category.TRAFFIC, ("交通", "校车", "车辆", "traffic")),
    (Category.BUILDING, ("校舍", "建筑", "房屋", "墙", "building")),
    (Category.EQUIPMENT, ("设施", "设备", "器材", "equipment")),
    (Category.SURROUNDINGS, ("周边", "surround")),
)


def category_from_text(text: str) -> str:
    """The category a checklist's own category name ("消防安全", "用电安全") falls into."""
    text = (text or "").lower()
    for category, words in _CATEGORY_WORDS:
        if any(w in text for w in words):
            return category
    return Category.OTHER


def _clean_choice(value: str, choices, field: str, *, blank: bool = True) -> str:
    if (value == "" and blank) or value in choices.values:
        return value
    raise HazardError(gettext_lazy("Choose one of the listed values."), field=field)


@transaction.atomic
def hazard_raise(
    *,
    org: Org,
    source: str,
    title: str,
    by=None,
    description: str = "",
    category: str = Category.OTHER,
    theme: str = "",
    kind: str = "",
    grade: str = Grade.GENERAL,
    place: str = "",
    area=None,
    found_on: date | None = None,
    origin_type: str = "",
    origin_id: int | None = None,
    photos: Iterable = (),
    grant_orgs: Iterable[Org] = (),
    grant_users: Iterable = (),
) -> Hazard:
    """Open a hazard. Raised from a record (`origin_type`, `origin_id`) it is opened once: the
    second call returns the first hazard. `grant_orgs` / `grant_users` keep seeing it though
    they are outside the school's tree (the joint inspection's agency, the inspector)."""
    if org.kind != OrgKind.SCHOOL:
        raise HazardError(gettext_lazy("A hazard belongs to a school."))
    title = " ".join((title or "").split())[:200]
    if not title:
        raise HazardError(gettext_lazy("Say in one sentence what is wrong."), field="title")
    _clean_choice(source, Source, "source", blank=False)
    _clean_choice(category, Category, "category", blank=False)
    _clean_choice(theme, Theme, "theme")
    _clean_choice(kind, Kind, "kind")
    _clean_choice(grade, Grade, "grade", blank=False)
    if origin_id is not None:
        existing = Hazard.objects.filter(origin_type=origin_type, origin_id=origin_id).first()
        if existing is not None:
            return existing
    hazard = Hazard.objects.create(
        org=org,
        source=source,
        title=title,
        description=description.strip(),
        category=category,
        theme=theme,
        kind=kind,
        grade=grade,
        place=place.strip()[:120],
        area=area,
        found_on=found_on or timezone.localdate(),
        reported_by=by if getattr(by, "pk", None) else None,
        origin_type=origin_type,
        origin_id=origin_id,
    )
    photos = list(photos)
    if photos:
        hazard.photos_before.set(photos)
    engine.start(HAZARD, hazard, by=by, data={"source": source, "origin": origin_type})
    for other in grant_orgs:
        grant(record_type=HAZARD.code, record_id=hazard.pk, org=other, reason="found")
    for user in grant_users:
        if getattr(user, "pk", None):
            grant(record_type=HAZARD.code, record_id=hazard.pk, user=user, reason="found")
    _announce(
        key=f"hazard:{hazard.pk}:reported",
        recipients=_school_managers(hazard),
        title=_("New hazard at %(school)s: %(title)s")
        % {"school": org.name, "title": hazard.title},
        link=_link(hazard),
    )
    return hazard


def hazard_report(
    *,
    org: Org,
    by,
    title: str,
    place: str = "",
    photos: Iterable = (),
    category: str = Category.OTHER,
) -> Hazard:
    """A direct report from the phone page: a photo, the place, one sentence."""
    if not has_perm(by, "inspections.do", org):
        raise HazardError(gettext_lazy("You may not report hazards for this school."))
    return hazard_raise(
        org=org,
        source=Source.REPORT,
        title=title,
        by=by,
        place=place,
        photos=photos,
        category=category,
    )


# --- the steps ---------------------------------------------------------------------------------


def hazard_assign(
    *,
    hazard: Hazard,
    by,
    responsible: Person,
    grade: str | None = None,
    category: str | None = None,
    theme: str | None = None,
    kind: str | None = None,
    measures: str = "",
    fund_estimate: Decimal | None = None,
    deadline: date | None = None,
    note: str = "",
) -> Hazard:
    """Name the person responsible (a member of the school's staff), the grade, measures and
    funds; the deadline follows the plan's rule for the grade unless one is given."""
    if responsible.org_id != hazard.org_id or not responsible.is_active:
        raise HazardError(
            gettext_lazy("The person responsible must be on this school's staff."),
            field="responsible",
        )
    if grade is not None:
        _clean_choice(grade, Grade, "grade", blank=False)
    if category is not None:
        _clean_choice(category, Category, "category", blank=False)
    if theme is not None:
        _clean_choice(theme, Theme, "theme")
    if kind is not None:
        _clean_choice(kind, Kind, "kind")
    if fund_estimate is not None and fund_estimate < 0:
        raise HazardError(gettext_lazy("Funds cannot be negative."), field="fund_estimate")
    if deadline is not None and deadline < hazard.found_on:
        raise HazardError(
            gettext_lazy("The deadline cannot be before the day it was found."), field="deadline"
        )

    def change(h: Hazard) -> list[str]:
        # A major hazard is reported upward and closed only after their re-check; the school
        # cannot make that go away by calling it general. Read on the locked row.
        if grade is not None and grade != Grade.MAJOR and h.is_major and not supervises(by, h):
            raise HazardError(
                gettext_lazy(
                    "Only the centre or the bureau may downgrade a major hazard to a general one."
                ),
                field="grade",
            )
        h.responsible = responsible
        fields = ["responsible"]
        for name, value in (
            ("grade", grade),
            ("category", category),
            ("theme", theme),
            ("kind", kind),
        ):
            if value is not None:
                setattr(h, name, value)
                fields.append(name)
        h.measures = measures.strip()
        h.fund_estimate = fund_estimate
        fields += ["measures", "fund_estimate"]
        if deadline is not None:
            # Earlier than the plan's rule, as the school likes; later (a deadline that never
            # falls due, and never escalates) only with the centre or the bureau above it.
            limit = rectify_due(h, timezone.localdate())
            if deadline > limit and not supervises(by, h):
                raise HazardError(
                    gettext_lazy(
                        "The plan gives this hazard until %(limit)s; only the centre or the "
                        "bureau may allow a later deadline."
                    )
                    % {"limit": limit.isoformat()},
                    field="deadline",
                )
            h.deadline = deadline
            fields.append("deadline")
        return fields

    with transaction.atomic():
        event = engine.fire(
            HAZARD,
            hazard,
            "assign",
            by=by,
            note=note,
            data={"responsible": responsible.pk, "grade": grade or hazard.grade},
            change=change,
        )
        _announce(
            key=f"hazard:{hazard.pk}:event:{event.pk}",
            recipients=[responsible.user],
            title=_("A hazard to rectify by %(due)s: %(title)s")
            % {"due": hazard.deadline, "title": hazard.title},
            link=_link(hazard),
        )
    return hazard


def hazard_plan(
    *,
    hazard: Hazard,
    by,
    goal: str,
    measures: str,
    funds: str,
    people: str,
    time_limit: date | None,
    interim: str,
) -> Hazard:
    """Save the six-part plan of a major hazard (重大隐患治理方案)."""

    def change(h: Hazard) -> list[str]:
        h.plan_goal, h.plan_measures, h.plan_funds = goal.strip(), measures.strip(), funds.strip()
        h.plan_people, h.plan_interim = people.strip(), interim.strip()
        h.plan_time_limit = time_limit
        if time_limit is not None and time_limit < h.found_on:
            raise HazardError(
                gettext_lazy("The time limit cannot be before the day it was found."),
                field="time_limit",
            )
        if not h.plan_complete:
            raise HazardError(gettext_lazy("Fill in all six parts of the plan."))
        return [
            "plan_goal",
            "plan_measures",
            "plan_funds",
            "plan_people",
            "plan_time_limit",
            "plan_interim",
        ]

    engine.fire(HAZARD, hazard, "plan", by=by, change=change)
    return hazard


def hazard_start(*, hazard: Hazard, by, note: str = "") -> Hazard:
    engine.fire(HAZARD, hazard, "start", by=by, note=note)
    return hazard


def hazard_submit_fix(*, hazard: Hazard, by, note: str, photos: Iterable) -> Hazard:
    """The fix is done: what was done, and photos after it."""
    photos = list(photos)

    def change(h: Hazard) -> list[str]:
        h.fixed_by = by
        h.fix_note = note.strip()
        if photos:
            h.photos_after.add(*photos)
        return ["fixed_by", "fix_note"]

    with transaction.atomic():
        event = engine.fire(
            HAZARD,
            hazard,
            "submit",
            by=by,
            note=note,
            data={"photos_after": len(photos)},
            change=change,
        )
        _announce(
            key=f"hazard:{hazard.pk}:event:{event.pk}",
            recipients=[u for u in _school_managers(hazard) if u.pk != by.pk],
            title=_("A fix to verify: %(title)s") % {"title": hazard.title},
            link=_link(hazard),
        )
    return hazard


def hazard_recheck(*, hazard: Hazard, by, level: str, note: str = "") -> Hazard:
    """The centre's or the bureau's re-check of a major hazard's fix (`level` "centre" or
    "bureau")."""
    field = {"centre": "centre_rechecked_at", "bureau": "bureau_rechecked_at"}.get(level)
    if field is None:
        raise HazardError(gettext_lazy("There is no such step."))

    def change(h: Hazard) -> list[str]:
        setattr(h, field, timezone.now())
        return [field]

    engine.fire(HAZARD, hazard, f"recheck_{level}", by=by, note=note, change=change)
    return hazard


def hazard_verify(*, hazard: Hazard, by, note: str = "") -> Hazard:
    """Verified and closed (销号) by someone other than the fixer."""

    def change(h: Hazard) -> list[str]:
        h.closed_at = timezone.now()
        return ["closed_at"]

    with transaction.atomic():
        event = engine.fire(HAZARD, hazard, "verify", by=by, note=note, change=change)
        _announce(
            key=f"hazard:{hazard.pk}:event:{event.pk}",
            recipients=[_responsible_user(hazard)],
            title=_("Hazard closed: %(title)s") % {"title": hazard.title},
            link=_link(hazard),
        )
    return hazard


def hazard_send_back(*, hazard: Hazard, by, note: str) -> Hazard:
    """Not fixed: back to rectification, with the reason."""

    def change(h: Hazard) -> list[str]:
        h.centre_rechecked_at = h.bureau_rechecked_at = None
        return ["centre_rechecked_at", "bureau_rechecked_at"]

    with transaction.atomic():
        event = engine.fire(HAZARD, hazard, "send_back", by=by, note=note, change=change)
        _announce(
            key=f"hazard:{hazard.pk}:event:{event.pk}",
            recipients=[_responsible_user(hazard), hazard.fixed_by],
            title=_("Fix sent back: %(title)s") % {"title": hazard.title},
            body=note,
            link=_link(hazard),
        )
    return hazard


def hazard_reopen(*, hazard: Hazard, by, note: str) -> Hazard:
    """It came back: open again, with a new deadline counted from today."""

    def change(h: Hazard) -> list[str]:
        h.closed_at = h.centre_rechecked_at = h.bureau_rechecked_at = None
        h.fixed_by = None
        h.escalation = 0
        return ["closed_at", "centre_rechecked_at", "bureau_rechecked_at", "fixed_by", "escalation"]

    engine.fire(HAZARD, hazard, "reopen", by=by, note=note, change=change)
    return hazard


# --- who is told -------------------------------------------------------------------------------


def _responsible_user(hazard: Hazard):
    return responsible_user(hazard)


def _users_with_roles(org: Org | None, roles: Iterable[str]) -> list:
    if org is None:
        return []
    return [
        a.user
        for a in RoleAssignment.objects.filter(org=org, role__in=list(roles)).select_related("user")
    ]


def _school_managers(hazard: Hazard) -> list:
    return _users_with_roles(hazard.org, [RoleName.PRINCIPAL, RoleName.SAFETY_OFFICER])


ESCALATION_STEPS = (
    (1, gettext_lazy("the person responsible")),
    (2, gettext_lazy("the principal")),
    (3, gettext_lazy("the centre")),
    (4, gettext_lazy("the bureau")),
)


def _escalation_recipients(hazard: Hazard, step: int) -> list:
    if step == 1:
        user = _responsible_user(hazard)
        return [user] if user is not None else _school_managers(hazard)
    if step == 2:
        return _users_with_roles(hazard.org, [RoleName.PRINCIPAL])
    if step == 3:
        return _users_with_roles(centre_of(hazard), [RoleName.CENTRE_OFFICER])
    return _users_with_roles(bureau_of(hazard), [RoleName.BUREAU_OFFICER])


# --- the periodic job --------------------------------------------------------------------------


def escalate_overdue(*, today: date | None = None) -> dict:
    """Remind the responsible person of deadlines coming up, and climb the ladder for
    overdue hazards: the responsible person the day after the deadline, then the principal,
    the centre and the bureau, a step every `hazards.escalate_every` days. Each step is
    claimed with a conditional update and written with its event and its notices in one
    transaction: run twice, or killed half-way, no step and no notice happens twice."""
    today = today or timezone.localdate()
    rules = Rules(on=today)
    open_q = Q(state__in=[s for s in HazardState if s != HazardState.CLOSED])
    candidates = (
        Hazard.objects.filter(open_q, deadline__isnull=False, escalation__lt=4)
        .filter(deadline__lt=today + timedelta(days=60))
        .select_related("org", "responsible__user")
        .order_by("deadline", "pk")
    )
    reminded = escalated = 0
    for hazard in candidates.iterator():
        deadline = hazard.deadline
        assert deadline is not None  # noqa: S101 - filtered above
        if deadline >= today:
            if deadline - today <= timedelta(days=rules.get(REMIND_DAYS, org=hazard.org)):
                reminded += _remind(hazard)
            continue
        every = rules.get(ESCALATE_EVERY, org=hazard.org)
        overdue_days = (today - deadline).days
        due_step = min(4, 1 + (overdue_days - 1) // every)
        for step in range(hazard.escalation + 1, due_step + 1):
            if _escalate(hazard, step):
                escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def _remind(hazard: Hazard) -> int:
    with transaction.atomic():
        key = f"remind:{hazard.deadline}"
        event = engine.note_step(
            HAZARD,
            hazard,
            "reminded",
            data={"deadline": str(hazard.deadline)},
            key=key,
        )
        if event is None:
            return 0
        _announce(
            key=f"hazard:{hazard.pk}:event:{event.pk}",
            recipients=[_responsible_user(hazard)],
            title=_("Hazard due on %(due)s: %(title)s")
            % {"due": hazard.deadline, "title": hazard.title},
            link=_link(hazard),
        )
    return 1


def _escalate(hazard: Hazard, step: int) -> bool:
    with transaction.atomic():
        claimed = Hazard.objects.filter(
            pk=hazard.pk, escalation=step - 1, state__in=list(_OPEN)
        ).update(escalation=step)
        if claimed != 1:
            return False
        hazard.escalation = step
        to = dict(ESCALATION_STEPS)[step]
        event = engine.note_step(
            HAZARD,
            hazard,
            "escalated",
            note=str(to),
            data={"step": step, "deadline": str(hazard.deadline)},
            key=f"escalate:{step}:{hazard.deadline}",
        )
        if event is None:
            return False
        _announce(
            key=f"hazard:{hazard.pk}:event:{event.pk}",
            recipients=_escalation_recipients(hazard, step),
            title=_("Overdue hazard at %(school)s (due %(due)s): %(title)s")
            % {"school": hazard.org.name, "due": hazard.deadline, "title": hazard.title},
            link=_link(hazard),
        )
    return True


_OPEN = [s for s in HazardState if s != HazardState.CLOSED]


def chronology(hazard: Hazard) -> list[Event]:
    return engine.chronology(HAZARD, hazard)
