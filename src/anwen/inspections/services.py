"""Writes of the inspections engine: checklists and their versions, grid areas, inspections at
four levels with their answers and findings, and the commendations and accountability records
that inspections lead to.

Every function checks that `by` may do what it asks and raises InspectionError (a message for
the user) when not; the views only turn that error into a message.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.errors import AppError
from anwen.inspections import standard
from anwen.inspections.access import (
    CENTRE_LED,
    LEVEL_OF_PURPOSE,
    PURPOSES_OF_LEVEL,
    can_add_finding,
    can_answer,
    can_hold_accountable,
    runs_school_checks,
)
from anwen.inspections.models import (
    Accountability,
    AccountabilityKind,
    Answer,
    AreaKind,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    EvidenceRule,
    Finding,
    GridArea,
    Inspection,
    Level,
    Purpose,
    Result,
    Status,
)
from anwen.orgs.models import Org, OrgKind, Person
from anwen.orgs.scope import ancestor_ids, has_perm, paths_with, person_of

__all__ = [
    "MAX_DAYS_BACK",
    "RECORD_KINDS",
    "InspectionError",
    "accountability_add",
    "area_create",
    "area_set_active",
    "area_update",
    "current_version",
    "earliest_inspection_day",
    "finding_add",
    "inspection_answer",
    "inspection_answer_all_pass",
    "inspection_lock",
    "inspection_set_details",
    "inspection_start",
    "inspection_submit",
    "item_add",
    "item_remove",
    "item_update",
    "standard_template",
    "standard_templates_load",
    "template_create",
    "too_early_message",
    "version_draft",
    "version_publish",
]

# How far back an inspection may be dated: a check entered late, not one that would fill
# obligation periods long closed.
MAX_DAYS_BACK = 31

# The obligations record kind each purpose writes when an inspection is submitted. The fire
# app registers its own kind; "other" inspections fulfil no obligation.
RECORD_KINDS: dict[str, str] = {
    Purpose.AREA_DAILY: "inspections.area_daily",
    Purpose.OFFICE_WEEKLY: "inspections.office_weekly",
    Purpose.LEADERSHIP_MONTHLY: "inspections.leadership_monthly",
    Purpose.FIRE_SELF: "fire.self_check",
    Purpose.SCREENING: "inspections.screening",
    Purpose.SPOT: "inspections.spot",
    Purpose.JOINT: "inspections.joint",
}
# Purposes whose record fulfils an obligation of the org that led it, not of the school: each
# centre's monthly school-bus inspection.
LEAD_RECORD_KINDS: dict[str, str] = {Purpose.BUS_MONTHLY: "inspections.bus_monthly"}
# Purposes whose findings belong to a campaign of the hazards engine (SM4.3).
HAZARD_THEMES: dict[str, str] = {Purpose.BUS_MONTHLY: "school_bus"}


class InspectionError(AppError):
    """A rule of the inspections engine was broken; the message is for the user.

    `field` names the form field at fault; `items` maps checklist item ids to what is wrong
    with each (a refused submission names every item at fault)."""

    def __init__(
        self, message: str, *, field: str | None = None, items: dict[int, str] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.items = items or {}


# --- checklists --------------------------------------------------------------------------------


def current_version(template: ChecklistTemplate) -> ChecklistVersion | None:
    """The latest published version: the one new inspections answer."""
    return (
        ChecklistVersion.objects.filter(template=template, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def standard_template(
    org: Org, purpose: str, *, code: str | None = None
) -> ChecklistTemplate | None:
    """The checklist for `purpose` that applies to `org`: the nearest one owned by the org itself
    or an org above it (a school's own list before its bureau's standard list), in use and
    published. `code` picks one list among several of the same purpose (daily area lists)."""
    templates = ChecklistTemplate.objects.filter(
        owner_id__in=ancestor_ids(org),
        purpose=purpose,
        is_active=True,
        versions__published_at__isnull=False,
    )
    if code is not None:
        templates = templates.filter(code=code)
    return templates.order_by("-owner__depth", "code").distinct().first()


def _check_manage(by, owner: Org) -> None:
    if by is not None and not has_perm(by, "inspections.manage", owner):
        raise InspectionError(
            _("You may not change the checklists of %(org)s.") % {"org": owner.name}
        )


@transaction.atomic
def standard_templates_load(*, owner: Org, by=None) -> list[ChecklistTemplate]:
    """Create the standard checklists (standard.py) under `owner`, each with a published
    version 1. Lists already there (by code) are left as they are, so it can run again."""
    _check_manage(by, owner)
    now = timezone.now()
    existing = {t.code: t for t in ChecklistTemplate.objects.filter(owner=owner)}
    out = []
    created = []
    for spec in standard.STANDARDS:
        template = existing.get(spec.code)
        if template is None:
            try:
                with transaction.atomic():
                    template = _standard_create(owner, spec, now)
            except IntegrityError:
                # A second load at the same time made it first: keep that one.
                template = ChecklistTemplate.objects.get(owner=owner, code=spec.code)
            else:
                created.append(spec.code)
        out.append(template)
    if created:
        audit.record(
            actor=by,
            action="inspections.template.standard_loaded",
            org=owner,
            data={"codes": created},
        )
    return out


def _standard_create(owner: Org, spec: standard.Standard, now) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.create(
        owner=owner, code=spec.code, name=spec.name, purpose=spec.purpose
    )
    version = ChecklistVersion.objects.create(template=template, number=1, published_at=now)
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                version=version,
                category=category,
                text=text,
                guidance=guidance,
                weight=weight,
                evidence=evidence,
                sort_order=index,
            )
            for index, (category, text, guidance, weight, evidence) in enumerate(spec.items)
        ]
    )
    return template


def _template_code_taken(owner: Org, code: str) -> bool:
    return ChecklistTemplate.objects.filter(owner=owner, code=code).exists()


@transaction.atomic
def template_create(
    *,
    owner: Org,
    by,
    code: str,
    name: str,
    purpose: str,
    copy_from: ChecklistTemplate | None = None,
) -> ChecklistTemplate:
    """A new checklist of `owner`, with a draft version 1 (empty, or the items of the current
    version of `copy_from`)."""
    _check_manage(by, owner)
    if purpose not in Purpose.values:
        raise InspectionError(_("Choose what the checklist is for."), field="purpose")
    taken = InspectionError(
        _("%(org)s already has a checklist with the code %(code)s.")
        % {"org": owner.name, "code": code},
        field="code",
    )
    if _template_code_taken(owner, code):
        raise taken
    try:
        with transaction.atomic():
            template = ChecklistTemplate.objects.create(
                owner=owner, code=code, name=name, purpose=purpose
            )
    except IntegrityError:
        # The same form sent twice at once: the other one made it.
        raise taken from None
    version = ChecklistVersion.objects.create(template=template, number=1)
    source = current_version(copy_from) if copy_from is not None else None
    if source is not None:
        _copy_items(source, version)
    audit.record(
        actor=by,
        action="inspections.template.created",
        obj=template,
        org=owner,
        data={"code": code, "purpose": purpose, "copied_from": copy_from.pk if copy_from else None},
    )
    return template


def _copy_items(source: ChecklistVersion, target: ChecklistVersion) -> None:
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                version=target,
                category=i.category,
                text=i.text,
                guidance=i.guidance,
                weight=i.weight,
                evidence=i.evidence,
                sort_order=i.sort_order,
            )
            for i in source.items.order_by("sort_order", "pk")
        ]
    )


@transaction.atomic
def version_draft(*, template: ChecklistTemplate, by) -> ChecklistVersion:
    """The draft version of the template to edit: the one open already, or a new one copied
    from the current version. Inspections keep answering the current version until the draft
    is published."""
    _check_manage(by, template.owner)
    ChecklistTemplate.objects.select_for_update().filter(pk=template.pk).first()
    draft = template.versions.filter(published_at__isnull=True).order_by("-number").first()
    if draft is not None:
        return draft
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ChecklistVersion.objects.create(template=template, number=number)
    source = current_version(template)
    if source is not None:
        _copy_items(source, draft)
    audit.record(
        actor=by,
        action="inspections.template.draft_started",
        obj=template,
        org=template.owner,
        data={"version": number},
    )
    return draft


def _check_draft(version: ChecklistVersion, by) -> ChecklistVersion:
    """The version read again and locked for the caller's transaction, checked to be still a
    draft: an object read before (another tab, a publish at the same time) may be stale."""
    version = (
        ChecklistVersion.objects.select_for_update(of=("self",))
        .select_related("template__owner")
        .get(pk=version.pk)
    )
    _check_manage(by, version.template.owner)
    if version.published_at is not None:
        raise InspectionError(
            _("Version %(number)s is published and can no longer change: start a new version.")
            % {"number": version.number}
        )
    return version


def _item_fields(category: str, text: str, weight: int, evidence: str) -> None:
    if not category.strip():
        raise InspectionError(_("Give the item a category."), field="category")
    if not text.strip():
        raise InspectionError(_("Say what to check."), field="text")
    if not 1 <= int(weight) <= 10:
        raise InspectionError(_("The weight is a whole number from 1 to 10."), field="weight")
    if evidence not in EvidenceRule.values:
        raise InspectionError(_("Choose an evidence rule."), field="evidence")


@transaction.atomic
def item_add(
    *,
    version: ChecklistVersion,
    by,
    category: str,
    text: str,
    guidance: str = "",
    weight: int = 1,
    evidence: str = EvidenceRule.PHOTO_ON_FAIL,
) -> ChecklistItem:
    version = _check_draft(version, by)
    _item_fields(category, text, weight, evidence)
    last = version.items.aggregate(n=Max("sort_order"))["n"]
    item = ChecklistItem.objects.create(
        version=version,
        category=category.strip(),
        text=text.strip(),
        guidance=guidance.strip(),
        weight=weight,
        evidence=evidence,
        sort_order=0 if last is None else last + 1,
    )
    audit.record(
        actor=by,
        action="inspections.template.item_added",
        obj=version.template,
        org=version.template.owner,
        data={"version": version.number, "text": item.text},
    )
    return item


@transaction.atomic
def item_update(
    *,
    item: ChecklistItem,
    by,
    category: str,
    text: str,
    guidance: str = "",
    weight: int = 1,
    evidence: str = EvidenceRule.PHOTO_ON_FAIL,
) -> ChecklistItem:
    version = _check_draft(item.version, by)
    _item_fields(category, text, weight, evidence)
    item.version = version
    before = item.text
    item.category, item.text, item.guidance = category.strip(), text.strip(), guidance.strip()
    item.weight, item.evidence = weight, evidence
    item.save()
    audit.record(
        actor=by,
        action="inspections.template.item_changed",
        obj=item.version.template,
        org=item.version.template.owner,
        data={"version": item.version.number, "before": before, "text": item.text},
    )
    return item


@transaction.atomic
def item_remove(*, item: ChecklistItem, by) -> None:
    version = _check_draft(item.version, by)
    audit.record(
        actor=by,
        action="inspections.template.item_removed",
        obj=version.template,
        org=version.template.owner,
        data={"version": version.number, "text": item.text},
    )
    item.delete()


@transaction.atomic
def version_publish(*, version: ChecklistVersion, by, note: str = "") -> ChecklistVersion:
    """Make the draft the current version: inspections started from now on answer it; those
    started before keep the version they answered."""
    version = _check_draft(version, by)
    if not version.items.exists():
        raise InspectionError(_("A checklist without items cannot be published."))
    version.published_at = timezone.now()
    version.note = note.strip()[:200]
    version.save(update_fields=["published_at", "note"])
    audit.record(
        actor=by,
        action="inspections.template.published",
        obj=version.template,
        org=version.template.owner,
        data={"version": version.number, "note": note},
    )
    return version


# --- grid areas --------------------------------------------------------------------------------


def _area_checklist(org: Org, kind: str, checklist: ChecklistTemplate | None) -> ChecklistTemplate:
    if checklist is None:
        checklist = standard_template(
            org, Purpose.AREA_DAILY, code=standard.AREA_LISTS.get(kind)
        ) or standard_template(org, Purpose.AREA_DAILY)
        if checklist is None:
            raise InspectionError(
                _(
                    "No daily area checklist is available yet: ask the bureau "
                    "to load the standard checklists."
                ),
                field="checklist",
            )
        return checklist
    if (
        checklist.purpose != Purpose.AREA_DAILY
        or not checklist.is_active
        or checklist.owner_id not in ancestor_ids(org)
    ):
        raise InspectionError(
            _("Choose a daily area checklist of this school or its bureau."), field="checklist"
        )
    if current_version(checklist) is None:
        raise InspectionError(
            _("The checklist %(name)s has no published version yet.") % {"name": checklist.name},
            field="checklist",
        )
    return checklist


def _area_fields(org: Org, name: str, kind: str, owner: Person) -> str:
    name = name.strip()
    if not name:
        raise InspectionError(_("Give the area a name."), field="name")
    if kind not in AreaKind.values:
        raise InspectionError(_("Choose the kind of area."), field="kind")
    if owner.org_id != org.pk or not owner.is_active:
        raise InspectionError(
            _("The owner must be a member of staff of %(org)s.") % {"org": org.name}, field="owner"
        )
    return name


def _area_name_taken(org: Org, name: str, *, exclude: int | None = None) -> bool:
    return GridArea.objects.filter(org=org, name=name).exclude(pk=exclude).exists()  # type: ignore[misc]  # pk=None excludes none


def _area_name_error(org: Org, name: str) -> InspectionError:
    return InspectionError(
        _("%(org)s already has an area called %(name)s.") % {"org": org.name, "name": name},
        field="name",
    )


@transaction.atomic
def area_create(
    *,
    org: Org,
    by,
    name: str,
    kind: str,
    owner: Person,
    checklist: ChecklistTemplate | None = None,
    since: date | None = None,
) -> GridArea:
    """Add a grid area (网格) to a school's campus, with its owner and daily checklist (by
    default the bureau's standard list for its kind)."""
    if org.kind != OrgKind.SCHOOL:
        raise InspectionError(_("Grid areas belong to a school."))
    if not has_perm(by, "inspections.manage", org):
        raise InspectionError(
            _("You may not manage the grid areas of %(org)s.") % {"org": org.name}
        )
    name = _area_fields(org, name, kind, owner)
    if _area_name_taken(org, name):
        raise _area_name_error(org, name)
    checklist = _area_checklist(org, kind, checklist)
    last = GridArea.objects.filter(org=org).aggregate(n=Max("sort_order"))["n"]
    try:
        with transaction.atomic():
            area = GridArea.objects.create(
                org=org,
                name=name,
                kind=kind,
                owner=owner,
                checklist=checklist,
                since=since or timezone.localdate(),
                sort_order=0 if last is None else last + 1,
            )
    except IntegrityError:
        # The same form sent twice at once: the other one made it.
        raise _area_name_error(org, name) from None
    audit.record(
        actor=by,
        action="inspections.area.created",
        obj=area,
        org=org,
        data={"name": name, "kind": kind, "owner": owner.name, "checklist": checklist.code},
    )
    return area


@transaction.atomic
def area_update(
    *, area: GridArea, by, name: str, kind: str, owner: Person, checklist: ChecklistTemplate | None
) -> GridArea:
    org = area.org
    if not has_perm(by, "inspections.manage", org):
        raise InspectionError(
            _("You may not manage the grid areas of %(org)s.") % {"org": org.name}
        )
    name = _area_fields(org, name, kind, owner)
    if _area_name_taken(org, name, exclude=area.pk):
        raise _area_name_error(org, name)
    checklist = _area_checklist(org, kind, checklist)
    before = {
        "name": area.name,
        "kind": area.kind,
        "owner": area.owner.name,
        "checklist": area.checklist.code,
    }
    area.name, area.kind, area.owner, area.checklist = name, kind, owner, checklist
    try:
        with transaction.atomic():
            area.save(update_fields=["name", "kind", "owner", "checklist"])
    except IntegrityError:
        raise _area_name_error(org, name) from None
    audit.record(
        actor=by,
        action="inspections.area.changed",
        obj=area,
        org=org,
        data={
            "before": before,
            "name": name,
            "kind": kind,
            "owner": owner.name,
            "checklist": checklist.code,
        },
    )
    return area


@transaction.atomic
def area_set_active(*, area: GridArea, by, active: bool) -> GridArea:
    """Take an area out of use (it owes no more daily checks) or back into use (from today)."""
    if not has_perm(by, "inspections.manage", area.org):
        raise InspectionError(
            _("You may not manage the grid areas of %(org)s.") % {"org": area.org.name}
        )
    if area.is_active == active:
        return area
    area.is_active = active
    fields = ["is_active"]
    if active:
        area.since = timezone.localdate()
        fields.append("since")
    area.save(update_fields=fields)
    audit.record(
        actor=by,
        action="inspections.area.activated" if active else "inspections.area.deactivated",
        obj=area,
        org=area.org,
        data={"name": area.name},
    )
    return area


# --- inspections -------------------------------------------------------------------------------


def _lead_org(org: Org, level: str, by, lead_org: Org | None, purpose: str = "") -> Org:
    """The org that conducts the inspection: the school itself for a self-check, a centre above
    it for a screening (and for the joint inspections centres lead: the monthly school-bus
    inspection), the bureau above it for a spot check or a joint inspection."""
    if level == Level.SELF:
        if lead_org is not None and lead_org.pk != org.pk:
            raise InspectionError(_("A school's self-check is conducted by the school itself."))
        return org
    by_centre = level == Level.CENTRE or purpose in CENTRE_LED
    wanted = OrgKind.CENTRE if by_centre else OrgKind.BUREAU
    above = Org.objects.filter(pk__in=ancestor_ids(org), kind=wanted, is_active=True)
    if lead_org is not None:
        above = above.filter(pk=lead_org.pk)
    for candidate in above.order_by("-depth"):
        if has_perm(by, "inspections.lead", candidate):
            return candidate
    if by_centre:
        raise InspectionError(
            _("Only the education centre of %(org)s screens it.") % {"org": org.name}
        )
    raise InspectionError(
        _("Only the bureau above %(org)s conducts spot checks and joint inspections there.")
        % {"org": org.name}
    )


def finding_text(item_text: str, note: str = "") -> str:
    """The problem a failed item records: the checklist states what should hold ("灭火器在位、
    压力正常"), so the finding says it was not met, then what the inspector saw."""
    text = _("Not met: “%(item)s”") % {"item": item_text}
    return f"{text}：{note}" if note else text


def earliest_inspection_day(today: date) -> date:
    """The earliest day an inspection started today may be dated (MAX_DAYS_BACK)."""
    return today - timedelta(days=MAX_DAYS_BACK)


def too_early_message() -> str:
    return _("An inspection cannot be dated more than %(days)s days ago.") % {"days": MAX_DAYS_BACK}


def _check_may_start(*, org: Org, purpose: str, level: str, by, area: GridArea | None) -> None:
    if org.kind != OrgKind.SCHOOL or not org.is_active:
        raise InspectionError(_("Only a school is inspected."))
    if level not in Level.values or purpose not in Purpose.values:
        raise InspectionError(_("Unknown level or purpose of inspection."))
    if purpose not in PURPOSES_OF_LEVEL[level]:
        raise InspectionError(
            _("A %(purpose)s is not done at the level “%(level)s”.")
            % {"purpose": Purpose(purpose).label, "level": Level(level).label}
        )
    if purpose == Purpose.AREA_DAILY:
        if area is None or area.org_id != org.pk:
            raise InspectionError(_("A daily area check needs a grid area of the school."))
        if not area.is_active:
            raise InspectionError(_("The area %(name)s is no longer in use.") % {"name": area.name})
        person = person_of(by)
        owns = (
            person is not None
            and area.owner_id == person.pk
            and has_perm(by, "inspections.do", org)
        )
        if not owns and not runs_school_checks(by, org):
            raise InspectionError(
                _("Only the owner of %(name)s does its daily check.") % {"name": area.name}
            )
    elif level == Level.SELF and not runs_school_checks(by, org):
        raise InspectionError(
            _("Only the school's safety office and leadership run this inspection.")
        )


def _participants(org: Org, lead: Org, participants: Iterable[Person]) -> list[Person]:
    people = list(participants)
    for person in people:
        if not person.is_active or not (
            person.org.path.startswith(org.path) or person.org.path.startswith(lead.path)
        ):
            raise InspectionError(
                _("%(name)s is not a member of staff of the school or of the inspecting office.")
                % {"name": person.name},
                field="participants",
            )
    return people


def _invited(lead: Org, level: str, invited: Iterable[Org]) -> list[Org]:
    agencies = list(invited)
    if level != Level.JOINT:
        if agencies:
            raise InspectionError(_("Only a joint inspection invites agencies."), field="invited")
        return agencies
    if not agencies:
        raise InspectionError(
            _("Invite at least one agency to a joint inspection."), field="invited"
        )
    # The district's agencies sit under its bureau: a centre leading a joint inspection
    # invites them from there.
    bureaus = list(
        Org.objects.filter(pk__in=[*ancestor_ids(lead), lead.pk], kind=OrgKind.BUREAU).values_list(
            "path", flat=True
        )
    ) or [lead.path]
    for agency in agencies:
        if agency.kind != OrgKind.AGENCY or not any(agency.path.startswith(p) for p in bureaus):
            raise InspectionError(
                _("%(name)s is not an agency of this district.") % {"name": agency.name},
                field="invited",
            )
    return agencies


def _open_draft(*, org: Org, purpose: str, level: str, inspected_on: date, by) -> Inspection | None:
    draft = Inspection.objects.filter(
        org=org,
        purpose=purpose,
        level=level,
        inspected_on=inspected_on,
        created_by=by,
        status=Status.DRAFT,
        area__isnull=True,
    ).first()
    if draft is not None:
        draft.resumed = True  # type: ignore[attr-defined]
    return draft


@transaction.atomic
def inspection_start(
    *,
    org: Org,
    purpose: str,
    level: str,
    by,
    lead_org: Org | None = None,
    area: GridArea | None = None,
    template: ChecklistTemplate | None = None,
    inspected_on: date | None = None,
    participants: Iterable[Person] = (),
    invited: Iterable[Org] = (),
) -> Inspection:
    """Start an inspection of a school on the current version of its checklist: `template`'s,
    or the area's, or the standard list for the purpose found under the school's bureau.
    A second start of an area's daily check on the same day, or of an inspection the same
    inspector already has open (same school, kind, level and day), returns the one already
    there, with `resumed = True` (the form was sent twice: one draft, not two)."""
    today = timezone.localdate()
    inspected_on = inspected_on or today
    if inspected_on > today:
        raise InspectionError(
            _("An inspection cannot be dated in the future."), field="inspected_on"
        )
    if inspected_on < earliest_inspection_day(today):
        raise InspectionError(too_early_message(), field="inspected_on")
    if purpose in LEVEL_OF_PURPOSE and not level:
        level = LEVEL_OF_PURPOSE[purpose]
    _check_may_start(org=org, purpose=purpose, level=level, by=by, area=area)
    if purpose == Purpose.AREA_DAILY and area is not None:  # _check_may_start saw it is there
        GridArea.objects.select_for_update().filter(pk=area.pk).first()
        existing = Inspection.objects.filter(
            area=area, inspected_on=inspected_on, purpose=purpose
        ).first()
        if existing is not None:
            return existing
    lead = _lead_org(org, level, by, lead_org, purpose)
    if area is None:
        draft = _open_draft(org=org, purpose=purpose, level=level, inspected_on=inspected_on, by=by)
        if draft is not None:
            return draft
    people = _participants(org, lead, participants)
    agencies = _invited(lead, level, invited)

    if template is None:
        template = area.checklist if area is not None else standard_template(org, purpose)
    if template is None:
        raise InspectionError(
            _(
                "There is no checklist for a %(purpose)s yet: ask the bureau to "
                "load the standard checklists."
            )
            % {"purpose": Purpose(purpose).label}
        )
    if template.owner_id not in ancestor_ids(org):
        raise InspectionError(
            _("The checklist %(name)s does not apply to %(org)s.")
            % {"name": template.name, "org": org.name},
            field="template",
        )
    version = current_version(template)
    if version is None:
        raise InspectionError(
            _("The checklist %(name)s has no published version yet.") % {"name": template.name},
            field="template",
        )
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                org=org,
                level=level,
                lead_org=lead,
                purpose=purpose,
                version=version,
                area=area,
                inspected_on=inspected_on,
                created_by=by,
            )
    except IntegrityError:
        # Two taps at once: the other one won; resume it.
        if area is not None:
            return Inspection.objects.get(area=area, inspected_on=inspected_on, purpose=purpose)
        draft = _open_draft(org=org, purpose=purpose, level=level, inspected_on=inspected_on, by=by)
        if draft is None:
            raise
        return draft
    if people:
        inspection.participants.set(people)
    if agencies:
        inspection.invited.set(agencies)
    audit.record(
        actor=by,
        action="inspections.inspection.started",
        obj=inspection,
        org=org,
        data={
            "purpose": purpose,
            "level": level,
            "lead_org": lead.pk,
            "area": area.pk if area else None,
            "version": version.pk,
            "inspected_on": inspected_on.isoformat(),
            "participants": [p.pk for p in people],
            "invited": [a.pk for a in agencies],
        },
    )
    return inspection


def _check_open(inspection: Inspection) -> None:
    if inspection.status != Status.DRAFT:
        raise InspectionError(_("This inspection has been submitted and can no longer change."))


def _locked(inspection: Inspection) -> Inspection:
    # of=self: PostgreSQL refuses to lock the nullable side of the outer join (no area).
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("org", "lead_org", "area", "version")
        .get(pk=inspection.pk)
    )


@transaction.atomic
def inspection_lock(*, inspection: Inspection, by, finding: bool = False) -> Inspection:
    """The inspection read again and locked for the caller's transaction, checked to be still
    open and writable by `by` (answering it, or with `finding`, adding a free finding to it).
    Call it inside `transaction.atomic()` before storing photos for it, so that a refusal
    stores nothing. Raises InspectionError."""
    inspection = _locked(inspection)
    _check_open(inspection)
    if finding:
        if inspection.level == Level.SELF:
            raise InspectionError(
                _("A school's own check records problems as failed items of its checklist.")
            )
        if not can_add_finding(by, inspection):
            raise InspectionError(_("You may not add findings to this inspection."))
    elif not can_answer(by, inspection):
        raise InspectionError(_("You may not answer this inspection."))
    return inspection


@transaction.atomic
def inspection_answer(
    *,
    inspection: Inspection,
    by,
    item: ChecklistItem,
    result: str,
    note: str = "",
    photos: Iterable = (),
) -> Answer:
    """Answer one item (again: a later answer replaces the earlier one). Photos (EvidenceFile)
    are added to those already there."""
    inspection = inspection_lock(inspection=inspection, by=by)
    if item.version_id != inspection.version_id:
        raise InspectionError(_("This item is not on the checklist of this inspection."))
    if result not in Result.values:
        raise InspectionError(
            _("Answer pass, fail or not applicable."),
            items={item.pk: _("Answer pass, fail or not applicable.")},
        )
    answer, _created = Answer.objects.update_or_create(
        inspection=inspection,
        item=item,
        defaults={"result": result, "note": note.strip()[:300]},
    )
    photos = list(photos)
    if photos:
        answer.photos.add(*photos)
    return answer


@transaction.atomic
def inspection_answer_all_pass(*, inspection: Inspection, by) -> int:
    """Mark every item not answered yet as passed ("all pass"); answers given stay. Returns how
    many items were marked."""
    # The row lock keeps two taps at once from marking the same items twice.
    inspection = inspection_lock(inspection=inspection, by=by)
    answered = set(inspection.answers.values_list("item_id", flat=True))
    missing = [i for i in inspection.version.items.all() if i.pk not in answered]
    Answer.objects.bulk_create(
        [Answer(inspection=inspection, item=item, result=Result.PASS) for item in missing],
        ignore_conflicts=True,
    )
    return len(missing)


def _answer_problems(inspection: Inspection) -> dict[int, str]:
    items = list(inspection.version.items.order_by("sort_order", "pk"))
    answers = {a.item_id: a for a in inspection.answers.all().prefetch_related("photos")}
    problems: dict[int, str] = {}
    for item in items:
        answer = answers.get(item.pk)
        if answer is None:
            problems[item.pk] = _(
                "“%(item)s” has no answer yet: choose pass, fail or not applicable."
            ) % {"item": item.text}
            continue
        has_photo = bool(answer.photos.all())
        if (
            answer.result == Result.FAIL
            and item.evidence == EvidenceRule.PHOTO_ON_FAIL
            and not has_photo
        ):
            problems[item.pk] = _(
                "“%(item)s” failed: take a photo of the problem and submit again."
            ) % {"item": item.text}
        elif (
            answer.result != Result.NA
            and item.evidence == EvidenceRule.PHOTO_ALWAYS
            and not has_photo
        ):
            problems[item.pk] = _(
                "“%(item)s” needs a photo whatever the result: take one and submit again."
            ) % {"item": item.text}
    return problems


@transaction.atomic
def inspection_submit(*, inspection: Inspection, by, summary: str | None = None) -> Inspection:
    """Submit a complete inspection: every item answered, every photo its evidence rule asks
    for attached. Each failed item becomes a finding kept with the inspection's level, and the
    record fulfils the school's obligation (the daily check of the area, the weekly check …)."""
    from anwen.obligations.services import record_add

    inspection = _locked(inspection)
    _check_open(inspection)
    if not can_answer(by, inspection):
        raise InspectionError(_("You may not submit this inspection."))
    problems = _answer_problems(inspection)
    if problems:
        first = next(iter(problems.values()))
        message = (
            first
            if len(problems) == 1
            else _("%(count)s items need attention, first: %(first)s")
            % {"count": len(problems), "first": first}
        )
        raise InspectionError(message, items=problems)

    failed = list(
        inspection.answers.filter(result=Result.FAIL)
        .select_related("item")
        .prefetch_related("photos")
        .order_by("item__sort_order", "item__pk")
    )
    location = inspection.area.name if inspection.area else ""
    for answer in failed:
        description = finding_text(answer.item.text, answer.note)
        finding = Finding.objects.create(
            inspection=inspection,
            answer=answer,
            org=inspection.org,
            level=inspection.level,
            category=answer.item.category,
            description=description,
            location=location,
        )
        photos = list(answer.photos.all())
        if photos:
            finding.photos.set(photos)
        raise_hazard(finding, by=by, photos=photos, from_checklist=True)
    now = timezone.now()
    inspection.status = Status.SUBMITTED
    inspection.submitted_by = by
    inspection.submitted_at = now
    fields = ["status", "submitted_by", "submitted_at"]
    if summary is not None:
        inspection.summary = summary.strip()
        fields.append("summary")
    inspection.save(update_fields=fields)
    kind = RECORD_KINDS.get(inspection.purpose)
    if kind is not None:
        record_add(
            kind=kind,
            org=inspection.org,
            occurred_on=inspection.inspected_on,
            by=by,
            subject_id=inspection.area_id or 0,
            source=inspection,
            submitted_at=now,
        )
    lead_kind = LEAD_RECORD_KINDS.get(inspection.purpose)
    if lead_kind is not None:
        record_add(
            kind=lead_kind,
            org=inspection.lead_org,
            occurred_on=inspection.inspected_on,
            by=by,
            source=inspection,
            submitted_at=now,
        )
    audit.record(
        actor=by,
        action="inspections.inspection.submitted",
        obj=inspection,
        org=inspection.org,
        data={
            "purpose": inspection.purpose,
            "level": inspection.level,
            "answers": inspection.answers.count(),
            "failed": len(failed),
            "inspected_on": inspection.inspected_on.isoformat(),
        },
    )
    return inspection


@transaction.atomic
def inspection_set_details(
    *, inspection: Inspection, by, summary: str, participants: Iterable[Person] | None = None
) -> Inspection:
    """Change the summary and the participants of an inspection in progress (`participants`
    None: keep them). Nothing is written when nothing changes."""
    inspection = _locked(inspection)
    _check_open(inspection)
    if not can_answer(by, inspection):
        raise InspectionError(_("You may not change this inspection."))
    summary = summary.strip()
    people = None
    if participants is not None:
        people = _participants(inspection.org, inspection.lead_org, participants)
    elif summary == inspection.summary:
        return inspection
    inspection.summary = summary
    inspection.save(update_fields=["summary"])
    data: dict[str, object] = {"summary": summary[:200]}
    if people is not None:
        inspection.participants.set(people)
        data["participants"] = [p.pk for p in people]
    audit.record(
        actor=by,
        action="inspections.inspection.changed",
        obj=inspection,
        org=inspection.org,
        data=data,
    )
    return inspection


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    by,
    description: str,
    category: str = "",
    location: str = "",
    photos: Iterable = (),
) -> Finding:
    """A problem found beyond the checklist (centre, bureau and joint inspections; invited
    agency inspectors too), kept with the inspection's level."""
    inspection = inspection_lock(inspection=inspection, by=by, finding=True)
    description = description.strip()
    if not description:
        raise InspectionError(_("Describe the problem."), field="description")
    finding = Finding.objects.create(
        inspection=inspection,
        org=inspection.org,
        level=inspection.level,
        category=category.strip()[:60],
        description=description,
        location=location.strip()[:120],
    )
    photos = list(photos)
    if photos:
        finding.photos.set(photos)
    raise_hazard(finding, by=by, photos=photos)
    audit.record(
        actor=by,
        action="inspections.finding.added",
        obj=finding,
        org=inspection.org,
        data={
            "inspection": inspection.pk,
            "level": inspection.level,
            "description": description[:200],
            "photos": len(photos),
        },
    )
    return finding


def hazard_source(finding: Finding, *, from_checklist: bool = False) -> str:
    """Where a finding's hazard came from: the fire self-check, a failed item of a school's
    own checklist, or the level of the inspection (centre, bureau, joint)."""
    if finding.inspection.purpose == Purpose.FIRE_SELF:
        return "fire"
    if finding.level == Level.SELF:
        return "checklist" if from_checklist else "self"
    return finding.level


def raise_hazard(finding: Finding, *, by, photos=(), from_checklist: bool = False) -> None:
    """Every finding becomes a hazard followed to closure (OG2). The agencies invited to a
    joint inspection and the inspector who found it keep seeing it."""
    from anwen.hazards import services as hazards

    inspection = finding.inspection
    grant_orgs = list(inspection.invited.all()) if inspection.level == Level.JOINT else []
    hazard = hazards.hazard_raise(
        org=finding.org,
        source=hazard_source(finding, from_checklist=from_checklist),
        title=finding.description[:200],
        description=finding.description,
        category=hazards.category_from_text(finding.category),
        theme=HAZARD_THEMES.get(inspection.purpose, ""),
        place=finding.location,
        area=inspection.area,
        found_on=inspection.inspected_on,
        by=by,
        origin_type="inspections.finding",
        origin_id=finding.pk,
        photos=photos,
        grant_orgs=grant_orgs,
        grant_users=[by] if inspection.level != Level.SELF else [],
    )
    finding.hazard_id = hazard.pk
    finding.save(update_fields=["hazard_id"])


# --- commendations and accountability (OG2, SM2.5) ---------------------------------------------


@transaction.atomic
def accountability_add(
    *, org: Org, by, kind: str, issued_on: date, text: str, inspection: Inspection | None = None
) -> Accountability:
    """Record a commendation, an interview (约谈), a warning (警示) or a notice against a school,
    usually from an inspection of it."""
    if inspection is not None and inspection.org_id != org.pk:
        raise InspectionError(_("The record must concern the inspected school."))
    if org.kind != OrgKind.SCHOOL:
        raise InspectionError(_("Commendations and accountability records concern a school."))
    if not can_hold_accountable(by, org):
        raise InspectionError(
            _("You may not record commendations or accountability for %(org)s.") % {"org": org.name}
        )
    if kind not in AccountabilityKind.values:
        raise InspectionError(_("Choose the kind of record."), field="kind")
    if issued_on > timezone.localdate():
        raise InspectionError(_("The date cannot be in the future."), field="issued_on")
    text = text.strip()
    if not text:
        raise InspectionError(_("Write what was decided."), field="text")
    # The office that issues it: the org of the user's own role above the school.
    paths = [p for p in paths_with(by, "inspections.lead") if org.path.startswith(p)]
    issuer = Org.objects.filter(path=max(paths, key=len)).first() if paths else None
    if issuer is None:
        raise InspectionError(
            _("You may not record commendations or accountability for %(org)s.") % {"org": org.name}
        )
    record = Accountability.objects.create(
        org=org,
        kind=kind,
        issued_on=issued_on,
        text=text,
        inspection=inspection,
        issuer=issuer,
        issued_by=by,
    )
    audit.record(
        actor=by,
        action="inspections.accountability.added",
        obj=record,
        org=org,
        data={
            "kind": kind,
            "issued_on": issued_on.isoformat(),
            "inspection": inspection.pk if inspection else None,
        },
    )
    return record
