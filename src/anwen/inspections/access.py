"""Who may see and do what with inspections, on top of the org scope.

An inspection is seen by
- people whose role grants `inspections.view` over the inspected school (its safety office, its
  centre, the bureau);
- staff who did it (they started it, own its grid area, or took part), with `inspections.do`;
- agency inspectors (`inspections.join`), for joint inspections their agency was invited to,
  and for nothing else.
A missing inspection and a forbidden one both answer 404 (`access_inspection`).
"""

from django.db.models import Q
from django.http import Http404

from anwen.inspections.models import Inspection, Level, Purpose, Status
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import ROLES
from anwen.orgs.scope import has_perm, holds_within, paths_q, paths_with, person_of, scope_q

_AGENCIES = "_anwen_inspections_agencies"

SELF_PURPOSES = {
    Purpose.AREA_DAILY,
    Purpose.OFFICE_WEEKLY,
    Purpose.LEADERSHIP_MONTHLY,
    Purpose.FIRE_SELF,
    Purpose.OTHER,
}
PURPOSES_OF_LEVEL: dict[str, set[Purpose]] = {
    Level.SELF: SELF_PURPOSES,
    Level.CENTRE: {Purpose.SCREENING, Purpose.OTHER},
    Level.BUREAU: {Purpose.SPOT, Purpose.OTHER},
    Level.JOINT: {Purpose.JOINT, Purpose.BUS_MONTHLY},
}
LEVEL_OF_PURPOSE: dict[str, Level] = {
    Purpose.SCREENING: Level.CENTRE,
    Purpose.SPOT: Level.BUREAU,
    Purpose.JOINT: Level.JOINT,
    Purpose.BUS_MONTHLY: Level.JOINT,
}
# Joint inspections a centre leads, with the agencies it invites (police, transport), rather
# than the bureau: the centre's monthly school-bus inspection (SM8.4).
CENTRE_LED: set[str] = {Purpose.BUS_MONTHLY}


def joined_agencies(user) -> list[int]:
    """The agencies whose joint inspections the user may join (agency inspectors)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _AGENCIES, None)
    if cached is None:
        roles = [name for name, role in ROLES.items() if "inspections.join" in role.perms]
        cached = list(
            RoleAssignment.objects.filter(
                user=user,
                role__in=roles,
                org__kind=OrgKind.AGENCY,
                org__is_active=True,
            ).values_list("org_id", flat=True)
        )
        setattr(user, _AGENCIES, cached)
    return cached


def invited_q(agency_ids) -> Q:
    return Q(
        level=Level.JOINT,
        pk__in=Inspection.invited.through.objects.filter(org_id__in=list(agency_ids)).values(
            "inspection_id"
        ),
    )


def inspection_q(user, *, full: bool = False) -> Q:
    """The inspections the user may see (`full=False`: inside the narrowed view)."""
    q = Q(pk__in=[])
    view = paths_with(user, "inspections.view")
    if view:
        q |= scope_q(user, "org", full=full) & paths_q(view, "org")
    do = paths_with(user, "inspections.do")
    if do:
        mine = (
            Q(created_by=user)
            | Q(area__owner__user=user)
            | Q(
                pk__in=Inspection.participants.through.objects.filter(person__user=user).values(
                    "inspection_id"
                )
            )
        )
        q |= paths_q(do, "org") & mine
    agencies = joined_agencies(user)
    if agencies:
        q |= invited_q(agencies)
    return q


def access_inspection(user, pk) -> Inspection:
    try:
        return (
            Inspection.objects.filter(inspection_q(user, full=True))
            .select_related(
                "org", "lead_org", "area__owner", "version__template", "created_by", "submitted_by"
            )
            .get(pk=pk)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_invited(user, inspection: Inspection) -> bool:
    agencies = joined_agencies(user)
    return (
        inspection.level == Level.JOINT
        and bool(agencies)
        and inspection.invited.filter(pk__in=agencies).exists()
    )


def can_answer(user, inspection: Inspection) -> bool:
    """Whether the user may answer the checklist of this inspection (while it is a draft)."""
    if inspection.status != Status.DRAFT:
        return False
    if inspection.level == Level.SELF:
        # The school's own safety office and leadership; never an office above it, whose
        # district-wide `inspections.manage` is for checklists, not for the school's checks.
        if runs_school_checks(user, inspection.org):
            return True
        person = person_of(user)
        if inspection.area is not None:
            return (
                person is not None
                and inspection.area.owner_id == person.pk
                and has_perm(user, "inspections.do", inspection.org)
            )
        if not has_perm(user, "inspections.do", inspection.org):
            return False
        # Who started it or takes part, while a role still lets them check this school.
        if inspection.created_by_id == user.pk:
            return True
        return person is not None and inspection.participants.filter(pk=person.pk).exists()
    return has_perm(user, "inspections.lead", inspection.lead_org)


def runs_school_checks(user, org: Org) -> bool:
    """A role at the school itself (principal, safety officer) that runs its own checks: a
    bureau officer manages checklists district-wide but does not conduct a school's
    self-check."""
    return holds_within(user, "inspections.manage", org)


def other_level(user, org: Org) -> str:
    """The level of an "other" inspection the user starts at `org`: the school's own
    self-check when the user acts within the school itself (a role at the school), else the
    level of the office above it whence the user leads inspections (centre or bureau)."""
    if runs_school_checks(user, org):
        return Level.SELF
    leads = [path for path in paths_with(user, "inspections.lead") if org.path.startswith(path)]
    if not leads:
        return Level.SELF  # refused by the service unless the user runs the school's checks
    office = Org.objects.filter(path=max(leads, key=len)).values_list("kind", flat=True).first()
    return Level.CENTRE if office == OrgKind.CENTRE else Level.BUREAU


def can_add_finding(user, inspection: Inspection) -> bool:
    """Free findings belong to inspections from above (centre, bureau, joint); a school's own
    checks find problems through their failed items."""
    if inspection.status != Status.DRAFT or inspection.level == Level.SELF:
        return False
    return can_answer(user, inspection) or is_invited(user, inspection)


def can_hold_accountable(user, org: Org) -> bool:
    return has_perm(user, "inspections.lead", org)
