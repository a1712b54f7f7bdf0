"""Reading the reception schedule, always from the user's scope."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import ROLES
from anwen.orgs.scope import access, with_perm

from .models import Reception

# Who keeps the schedule: the bureau's leaders themselves and those who supervise its cases
# (the petitions office, the safety office).
PERMS = ("cases.lead", "cases.supervise")
LEAD_PERM = "cases.lead"


def bureaus_for(user) -> list[Org]:
    """The active bureaus whose schedule the user keeps, in tree order."""
    bureaus = Org.objects.filter(kind=OrgKind.BUREAU, is_active=True)
    return list(with_perm(bureaus, user, *PERMS).order_by("path"))


def leaders_of(*bureaus: Org) -> QuerySet:
    """The active users holding `cases.lead` at one of the bureaus itself: the leaders a
    reception can be for."""
    roles = [name for name, role in ROLES.items() if LEAD_PERM in role.perms]
    holders = RoleAssignment.objects.filter(org__in=bureaus, role__in=roles).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=holders, is_active=True)
        .order_by("display_name", "username")
    )


def reception_list(
    *,
    user,
    since: date | None = None,
    before: date | None = None,
    leader_id: int | None = None,
    kind: str = "",
) -> QuerySet[Reception]:
    """The receptions in the user's view. `since`: on or after that day, soonest first;
    `before`: before that day, latest first."""
    rows = with_perm(Reception.objects.all(), user, *PERMS).select_related("org", "leader", "case")
    if leader_id:
        rows = rows.filter(leader_id=leader_id)
    if kind:
        rows = rows.filter(kind=kind)
    if before is not None:
        return rows.filter(date__lt=before).order_by("-date", "-time", "-pk")
    if since is not None:
        rows = rows.filter(date__gte=since)
    return rows.order_by("date", "time", "pk")


def access_reception(user, pk) -> Reception:
    """One reception the user may keep, or 404 (missing and another district's alike)."""
    rows = with_perm(Reception.objects.all(), user, *PERMS, full=True)
    return access(rows.select_related("org", "leader", "created_by", "case"), user, pk)
