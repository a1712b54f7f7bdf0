"""Writes of the rhythm engine: records that fulfil obligations, the plan and its edits, and
(re-exported from `periods`) the generation and counting of periods."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.errors import AppError
from anwen.obligations import plan2021
from anwen.obligations.bulk import insert_rows
from anwen.obligations.models import (
    Frequency,
    Obligation,
    Period,
    Plan,
    PlanRuleValue,
    Record,
    Target,
)
from anwen.obligations.periods import (
    EnsureResult,
    ensure_periods,
    period_due,
    recount,
    recount_periods,
)
from anwen.obligations.registry import is_loggable
from anwen.obligations.registry import kind as record_kind
from anwen.orgs.models import Org

__all__ = [
    "EnsureResult",
    "ObligationError",
    "ensure_periods",
    "obligation_create",
    "obligation_update",
    "periods_redue",
    "plan_clone",
    "plan_load",
    "plan_of_year",
    "plan_publish",
    "plan_rules_set",
    "record_add",
    "record_remove",
    "records_bulk_add",
    "recount",
    "routine_log",
]


class ObligationError(AppError):
    """A rule of the rhythm engine was broken; the message is for the user. `field` names the
    form field at fault, when there is one."""


# --- records -----------------------------------------------------------------------------------


def _source_fields(source, cache: dict | None = None) -> dict:
    if source is None:
        return {"source_type": None, "source_id": ""}
    model = type(source)
    if cache is not None and model in cache:
        content_type = cache[model]
    else:
        content_type = ContentType.objects.get_for_model(source)
        if cache is not None:
            cache[model] = content_type
    return {"source_type": content_type, "source_id": str(source.pk)}


def _count_towards(*, kind: str, org_id: int, subject_id: int, day: date) -> None:
    """Recount the periods a record of `kind` on `day` falls in (one per obligation that asks
    for that kind). The periods are locked first, so that two records arriving together are
    both counted on databases with row locks."""
    for obligation in Obligation.objects.filter(record_kind=kind):
        periods = Period.objects.filter(
            obligation=obligation, org_id=org_id, start__lte=day, end__gte=day
        )
        if obligation.per_subject:
            periods = periods.filter(subject_id=subject_id)
        if list(periods.select_for_update().values_list("pk", flat=True)):
            recount_periods(obligation, periods)


@transaction.atomic
def record_add(
    *,
    kind: str,
    org,
    occurred_on: date,
    by=None,
    subject_id: int = 0,
    note: str = "",
    source=None,
    evidence=(),
    submitted_at=None,
) -> Record:
    """Note that a record of `kind` exists for `org` (and subject) on `occurred_on`, and count it
    towards every period it falls in: a period is done when it holds `times` records, on time
    when that happened before the end of its due day. Call it inside the transaction that
    writes the record itself. Periods made later count the record when they are made."""
    record = Record.objects.create(
        kind=kind,
        org=org,
        subject_id=subject_id or 0,
        occurred_on=occurred_on,
        submitted_at=submitted_at or timezone.now(),
        by=by,
        note=note,
        **_source_fields(source),
    )
    if evidence:
        record.evidence.set(evidence)
    _count_towards(kind=kind, org_id=org.pk, subject_id=record.subject_id, day=occurred_on)
    return record


@transaction.atomic
def record_remove(*, record: Record, by) -> None:
    """Withdraw a record (a routine log entered by mistake); the periods it counted towards
    are recounted, and may become open or missed again."""
    kind, org_id, subject_id, day = (
        record.kind,
        record.org_id,
        record.subject_id,
        record.occurred_on,
    )
    audit.record(
        actor=by,
        action="obligations.record.removed",
        obj=record,
        org=record.org,
        data={"kind": kind, "occurred_on": day.isoformat(), "note": record.note},
    )
    record.delete()
    _count_towards(kind=kind, org_id=org_id, subject_id=subject_id, day=day)


RECORD_FIELDS = (
    "kind",
    "org_id",
    "subject_id",
    "occurred_on",
    "submitted_at",
    "by_id",
    "note",
    "source_type_id",
    "source_id",
)


@transaction.atomic
def records_bulk_add(rows: Iterable[dict]) -> int:
    """Write many records at once (demo history, imports) and recount the periods they touch,
    set-based. Each row: kind, org_id, occurred_on, and optionally subject_id, submitted_at,
    by_id, source (a model instance or None), note."""
    now = timezone.now()
    content_types: dict = {}
    touched: dict[str, list] = defaultdict(lambda: [set(), None, None])

    def tuples():
        for row in rows:
            day = row["occurred_on"]
            source = _source_fields(row.get("source"), content_types)
            entry = touched[row["kind"]]
            entry[0].add(row["org_id"])
            entry[1] = day if entry[1] is None or day < entry[1] else entry[1]
            entry[2] = day if entry[2] is None or day > entry[2] else entry[2]
            yield (
                row["kind"],
                row["org_id"],
                row.get("subject_id") or 0,
                day,
                row.get("submitted_at") or now,
                row.get("by_id"),
                row.get("note", ""),
                source["source_type"].pk if source["source_type"] else None,
                source["source_id"],
            )

    sent = insert_rows(Record, RECORD_FIELDS, tuples())
    for kind, (org_ids, low, high) in touched.items():
        obligations = list(Obligation.objects.filter(record_kind=kind))
        if obligations:
            recount(obligations=obligations, org_ids=sorted(org_ids), start=low, end=high)
    return sent


@transaction.atomic
def routine_log(
    *,
    kind: str,
    org,
    occurred_on: date,
    by,
    note: str = "",
    photo=None,
    present: Iterable | None = None,
    absent: int | None = None,
) -> Record:
    """Log a routine activity (a safety meeting, a gate duty, a dorm check …) that the school
    owes, with an optional photo, and count it towards its obligation. A session whose kind
    takes attendance (the bus drivers' training) names who was `present`, from the people
    the kind expects, and how many were `absent` (None: those expected and not present)."""
    from anwen.evidence.services import EvidenceError, evidence_store

    if not is_loggable(kind):
        raise ObligationError(_("This activity cannot be logged here."), field="kind")
    owed = Target.objects.filter(
        org=org,
        is_active=True,
        obligation__record_kind=kind,
        obligation__is_active=True,
        obligation__plan__is_active=True,
    )
    if not owed.exists():
        raise ObligationError(_("The school does not owe this activity."), field="kind")
    today = timezone.localdate()
    if occurred_on > today:
        raise ObligationError(_("The date lies in the future."), field="occurred_on")
    if occurred_on < today - timedelta(days=366):
        raise ObligationError(_("The date is more than a year ago."), field="occurred_on")
    attended = _attendance(kind, org, present, absent)
    evidence = []
    if photo is not None:
        try:
            evidence.append(evidence_store(upload=photo, org=org, by=by))
        except EvidenceError as error:
            raise ObligationError(str(error), field="photo") from None
    record = record_add(
        kind=kind, org=org, occurred_on=occurred_on, by=by, note=note, evidence=evidence
    )
    if attended is not None:
        from anwen.obligations.attendance import Attendance

        people, missing = attended
        Attendance.objects.create(record=record, absent=missing).present.set(people)
    audit.record(
        actor=by,
        action="obligations.record.logged",
        obj=record,
        org=org,
        data={
            "kind": kind,
            "occurred_on": occurred_on.isoformat(),
            "evidence": [str(f.pk) for f in evidence],
            **(
                {"present": [p.pk for p in attended[0]], "absent": attended[1]}
                if attended is not None
                else {}
            ),
        },
    )
    return record


def _attendance(kind: str, org, present, absent) -> tuple[list, int] | None:
    """(the people present, how many absent) for a kind that takes attendance, checked: the
    present are among those the kind expects in the org; None for other kinds."""
    declared = record_kind(kind)
    expects = declared.attendance if declared is not None else None
    if expects is None:
        if present or absent:
            raise ObligationError(
                _("Attendance is taken only for the sessions that ask for it."), field="present"
            )
        return None
    expected = {p.pk: p for p in expects(org)}
    people = list(present or ())
    if not people:
        raise ObligationError(_("Tick who attended the session."), field="present")
    for person in people:
        if person.pk not in expected:
            raise ObligationError(
                _("%(name)s is not expected at this session.") % {"name": person.name},
                field="present",
            )
    if absent is None:
        absent = len(expected) - len({p.pk for p in people})
    if not 0 <= absent <= 500:
        raise ObligationError(_("Enter how many were absent, from 0 to 500."), field="absent")
    return people, absent


# --- the plan ----------------------------------------------------------------------------------

_ITEM_FIELDS = {
    "code",
    "name",
    "description",
    "record_kind",
    "frequency",
    "times",
    "due_days",
    "due_counting",
    "org_kind",
    "school_types",
    "boarding_only",
    "condition",
    "role",
    "per_subject",
    "category",
    "is_default",
}


def _validated(obligation: Obligation) -> Obligation:
    try:
        obligation.full_clean(exclude=["plan", "generated_through"], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ObligationError(
            f"{obligation.code}: {field}: {'; '.join(messages)}", field=field
        ) from None
    if obligation.times < 1:
        raise ObligationError(_("At least one record is needed per period."), field="times")
    return obligation


@transaction.atomic
def plan_load(
    *,
    owner,
    year: int | None = None,
    code: str | None = None,
    by=None,
    starts_on: date | None = None,
    name: str | None = None,
    items: list[dict] | None = None,
) -> Plan:
    """Load a plan's obligations from data (plan 2021 by default) for the bureau `owner` and
    `year` (default: the year of `starts_on`, else this year): into the plan with `code`, else
    the bureau's plan of that year, else a new published one. Idempotent: obligations already
    there (by code) are kept as the bureau left them, only missing ones are added, starting on
    `starts_on` (default today)."""
    items = plan2021.OBLIGATIONS if items is None else items
    first_day = starts_on or timezone.localdate()
    year = year or first_day.year
    plans = Plan.objects.select_for_update().filter(owner=owner)
    plan = (
        plans.filter(code=code) if code else plans.filter(year=year).order_by("-is_active", "pk")
    ).first()
    created = plan is None
    if plan is None:
        published = Plan.objects.filter(owner=owner, year=year, is_active=True).exists()
        plan = Plan.objects.create(
            owner=owner,
            year=year,
            code=code or plan2021.plan_code(year),
            name=name or plan2021.plan_name(year),
            is_active=not published,
        )
    have = set(plan.obligations.values_list("code", flat=True))
    new = []
    for index, item in enumerate(items):
        unknown = set(item) - _ITEM_FIELDS
        if unknown:
            raise ObligationError(f"{item.get('code')}: unknown keys {sorted(unknown)}")
        if item["code"] in have:
            continue
        new.append(
            _validated(
                Obligation(plan=plan, starts_on=first_day, sort_order=(index + 1) * 10, **item)
            )
        )
    Obligation.objects.bulk_create(new)
    if created or new:
        audit.record(
            actor=by,
            action="obligations.plan.loaded",
            obj=plan,
            org=owner,
            data={
                "code": plan.code,
                "year": plan.year,
                "added": [o.code for o in new],
                "starts_on": first_day.isoformat(),
            },
        )
    return plan


# What an obligation copies into next year's plan: all but its identity, its start and the
# generator's watermark.
_CLONED = (*sorted(_ITEM_FIELDS), "is_active", "sort_order")


@transaction.atomic
def plan_clone(*, plan: Plan, year: int, by, request=None) -> Plan:
    """Copy `plan` (its obligations and every rule value) into a draft plan of the same bureau
    for `year`, to be edited and then published (`plan_publish`). The draft is in force
    nowhere; `plan` is not touched."""
    if not 2000 <= year <= 2100:
        raise ObligationError(_("Choose a year between 2000 and 2100."), field="year")
    if Plan.objects.select_for_update().filter(owner_id=plan.owner_id, year=year).exists():
        raise ObligationError(
            _("The bureau has a plan for %(year)d already.") % {"year": year}, field="year"
        )
    name = (
        plan.name.replace(str(plan.year), str(year))
        if str(plan.year) in plan.name
        else f"{year} {plan.name}"
    )[:120]
    code = plan2021.plan_code(year)
    if Plan.objects.filter(owner_id=plan.owner_id, code=code).exists():
        code = f"{plan.code[:30]}-{year}"
    try:
        with transaction.atomic():
            copy = Plan.objects.create(
                owner_id=plan.owner_id, year=year, code=code, name=name, is_active=False
            )
    except IntegrityError:  # the same clone asked twice at once
        raise ObligationError(
            _("The bureau has a plan for %(year)d already.") % {"year": year}, field="year"
        ) from None
    first_day = date(year, 1, 1)
    Obligation.objects.bulk_create(
        Obligation(
            plan=copy,
            starts_on=first_day,
            ends_on=o.ends_on if o.ends_on and o.ends_on >= first_day else None,
            **{f: getattr(o, f) for f in _CLONED},
        )
        for o in plan.obligations.order_by("sort_order", "code")
    )
    PlanRuleValue.objects.bulk_create(
        PlanRuleValue(plan=copy, key=v.key, value=v.value, updated_by=by)
        for v in plan.rule_values.all()
    )
    audit.record(
        actor=by,
        action="obligations.plan.cloned",
        obj=copy,
        org=copy.owner,
        request=request,
        data={
            "from": plan.pk,
            "from_year": plan.year,
            "year": year,
            "obligations": copy.obligations.count(),
        },
    )
    return copy


@transaction.atomic
def plan_publish(*, plan: Plan, by, request=None) -> Plan:
    """Put a draft plan in force for its year. The bureau's earlier plan stops at the end of
    the year before: its periods from this plan's first day on are dropped (the records stay,
    and count towards this plan's periods as they are made)."""
    plan = Plan.objects.select_for_update().select_related("owner").get(pk=plan.pk)
    if plan.is_active:
        raise ObligationError(_("The plan is published already."))
    if Plan.objects.filter(owner_id=plan.owner_id, year=plan.year, is_active=True).exists():
        raise ObligationError(
            _("The bureau has a published plan for %(year)d already.") % {"year": plan.year}
        )
    plan.is_active = True
    try:
        with transaction.atomic():
            plan.save(update_fields=["is_active"])
    except IntegrityError:  # another of the year's plans was published at the same moment
        raise ObligationError(
            _("The bureau has a published plan for %(year)d already.") % {"year": plan.year}
        ) from None
    first_day, eve = date(plan.year, 1, 1), date(plan.year, 1, 1) - timedelta(days=1)
    earlier = list(
        Obligation.objects.filter(
            plan__owner_id=plan.owner_id, plan__is_active=True, plan__year__lt=plan.year
        ).values_list("pk", flat=True)
    )
    dropped = Period.objects.filter(obligation__in=earlier, start__gte=first_day).delete()[0]
    Target.objects.filter(obligation__in=earlier, generated_through__gt=eve).update(
        generated_through=eve
    )
    Obligation.objects.filter(pk__in=earlier, generated_through__gt=eve).update(
        generated_through=eve
    )
    _rules_changed(plan, by, keys=None)
    today = timezone.localdate()
    if first_day <= today:
        ensure_periods(through=today, obligations=list(plan.obligations.all()))
    audit.record(
        actor=by,
        action="obligations.plan.published",
        obj=plan,
        org=plan.owner,
        request=request,
        data={"year": plan.year, "periods_dropped": dropped},
    )
    return plan


@transaction.atomic
def plan_of_year(*, owner, year: int, by=None) -> Plan:
    """The bureau's plan of `year`, made when missing: a copy of its latest earlier plan
    (published at once, so the bureau's edits carry on), else plan 2021 loaded afresh."""
    plan = Plan.objects.filter(owner=owner, year=year).order_by("-is_active", "pk").first()
    if plan is not None:
        return plan
    earlier = (
        Plan.objects.filter(owner=owner, year__lt=year, is_active=True).order_by("-year").first()
    )
    if earlier is None:
        return plan_load(
            owner=owner, year=year, by=by, starts_on=max(timezone.localdate(), date(year, 1, 1))
        )
    return plan_publish(plan=plan_clone(plan=earlier, year=year, by=by), by=by)


def _rules_changed(plan: Plan, by, keys) -> None:
    from anwen.obligations.plans import declared_rules

    for key, declaration in declared_rules().items():
        if declaration.on_change is not None and (keys is None or key in keys):
            declaration.on_change(plan=plan, by=by)


@transaction.atomic
def plan_rules_set(*, plan: Plan, by, values: dict, request=None) -> list[str]:
    """Give declared rules new values in `plan` (key -> value as the engine reads it: a
    DeadlineRule, a MonthDay, an int …). Each value is checked by its declaration; a refused
    one raises ObligationError naming the rule, and nothing is written. Returns the keys that
    changed; the engines that declared them follow (`PlanRule.on_change`)."""
    from anwen.obligations.plans import declared, plan_values

    plan = Plan.objects.select_for_update().select_related("owner").get(pk=plan.pk)
    before = plan_values(plan)
    changed: dict[str, tuple] = {}
    for key, value in values.items():
        declaration = declared(key)
        if declaration is None:
            raise ObligationError(_("No such rule: %(key)s.") % {"key": key}, field=key)
        try:
            raw = declaration.clean(value)
        except ValidationError as error:
            raise ObligationError(
                f"{declaration.label}：{'；'.join(error.messages)}", field=key
            ) from None
        old = declaration.kind.to_json(before[key])
        if raw != old:
            changed[key] = (old, raw)
            PlanRuleValue.objects.update_or_create(
                plan=plan, key=key, defaults={"value": raw, "updated_by": by}
            )
    if changed:
        _rules_changed(plan, by, keys=set(changed))
        audit.record(
            actor=by,
            action="obligations.plan.rules_changed",
            obj=plan,
            org=plan.owner,
            request=request,
            data={"year": plan.year, "changes": {k: list(v) for k, v in changed.items()}},
        )
    return list(changed)


# Fields the plan page may change; everything else is the plan's structure.
EDITABLE = (
    "name",
    "description",
    "frequency",
    "times",
    "due_days",
    "due_counting",
    "org_kind",
    "school_types",
    "boarding_only",
    "condition",
    "role",
    "is_active",
)
_APPLICABILITY = {"org_kind", "school_types", "boarding_only", "condition"}


@transaction.atomic
def obligation_update(*, obligation: Obligation, by, changes: dict) -> Obligation:
    """Change an obligation of the plan. The new rhythm applies from today: periods that are
    done or already missed stay as history; the ones still open are remade by the new rule."""
    obligation = (
        Obligation.objects.select_for_update().select_related("plan__owner").get(pk=obligation.pk)
    )
    before = {f: getattr(obligation, f) for f in EDITABLE}
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ObligationError(_("This field cannot be changed here."), field=field)
        setattr(obligation, field, value)
    _validated(obligation)
    diff = {
        f: [before[f], getattr(obligation, f)]
        for f in EDITABLE
        if before[f] != getattr(obligation, f)
    }
    if obligation.is_default:
        # The bureau looked at a shipped default and saved it: from now on it is the bureau's.
        obligation.is_default = False
        diff["is_default"] = [True, False]
    if not diff:
        return obligation
    obligation.save()
    today = timezone.localdate()
    open_now = Period.objects.filter(obligation=obligation, done_at__isnull=True, due__gte=today)
    if "frequency" in diff or ("is_active" in diff and not obligation.is_active):
        # Open periods of the old rhythm (or of a suspended duty) are no longer owed.
        open_now.delete()
    if "frequency" in diff or ("is_active" in diff and obligation.is_active):
        # Restart every target from today, so the new rhythm does not reach into the past.
        (
            Target.objects.filter(obligation=obligation, generated_through__isnull=False).update(
                generated_through=today - timedelta(days=1)
            )
        )
    if {"due_days", "due_counting"} & diff.keys():
        _redue(obligation, Period.objects.filter(obligation=obligation, due__gte=today))
    if {"times", "due_days", "due_counting"} & diff.keys():
        recount_periods(
            obligation,
            Period.objects.filter(
                obligation=obligation, end__gte=today - timedelta(days=400), due__gte=today
            ),
        )
    if obligation.is_active and (
        _APPLICABILITY & diff.keys() or "frequency" in diff or "is_active" in diff
    ):
        ensure_periods(through=today, obligations=[obligation])
    audit.record(
        actor=by,
        action="obligations.obligation.updated",
        obj=obligation,
        org=obligation.plan.owner,
        data={"changes": diff},
    )
    return obligation


@transaction.atomic
def periods_redue(*, owner: Org, record_kinds: Iterable[str], year: int) -> int:
    """Recompute the due day, and so the timeliness, of `year`'s periods of the owner's
    obligations fulfilled by `record_kinds`: the producing app's own deadline changed (the
    bureau moved the letters' deadline), and the year's figures follow it. Earlier years keep
    the deadline they had."""
    changed = 0
    for obligation in Obligation.objects.filter(
        plan__owner=owner, record_kind__in=list(record_kinds)
    ):
        periods = Period.objects.filter(obligation=obligation, start__year=year)
        changed += _redue(obligation, periods)
        recount_periods(obligation, periods)
    return changed


def _redue(obligation: Obligation, periods) -> int:
    """Give `periods` the due day the obligation's rule gives them now: one UPDATE per
    distinct span."""
    changed = 0
    for start, end in set(periods.values_list("start", "end")):
        changed += periods.filter(start=start, end=end).update(
            due=period_due(obligation, start, end)
        )
    return changed


@transaction.atomic
def obligation_create(*, plan: Plan, by, fields: dict) -> Obligation:
    """Add an obligation to a plan (a duty the bureau adds to the nine ones, a routine system
    of its own). Its periods start today."""
    if plan.obligations.filter(code=fields.get("code", "")).exists():
        raise ObligationError(_("An obligation with this code exists in the plan."), field="code")
    last = plan.obligations.order_by("-sort_order").values_list("sort_order", flat=True).first()
    obligation = _validated(
        Obligation(plan=plan, starts_on=timezone.localdate(), sort_order=(last or 0) + 10, **fields)
    )
    if obligation.frequency not in Frequency.values:
        raise ObligationError(_("Choose a frequency."), field="frequency")
    try:
        with transaction.atomic():
            obligation.save()
    except IntegrityError:
        # The same form sent twice: the first one made it between our check and our insert.
        raise ObligationError(
            _("An obligation with this code exists in the plan."), field="code"
        ) from None
    ensure_periods(through=timezone.localdate(), obligations=[obligation])
    audit.record(
        actor=by,
        action="obligations.obligation.created",
        obj=obligation,
        org=plan.owner,
        data={
            "code": obligation.code,
            "record_kind": obligation.record_kind,
            "frequency": obligation.frequency,
        },
    )
    return obligation
