"""The roles a user can hold in an org, and what each role may do there.

A role held in an org covers that org's whole subtree: a bureau officer sees the district, a
centre officer the centre's schools, a teacher the school. What a role may *do* is a set of
permission names; apps ask `orgs.scope.has_perm(user, "orgs.import", org)`.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleName(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    BUREAU_OFFICER = "bureau_officer", _("Safety office officer")
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    CENTRE_OFFICER = "centre_officer", _("Centre officer")
    PRINCIPAL = "principal", _("Principal")
    SAFETY_OFFICER = "safety_officer", _("School safety officer")
    TEACHER = "teacher", _("Teacher")
    GUARD = "guard", _("Security guard")
    AGENCY_INSPECTOR = "agency_inspector", _("Agency inspector")


@dataclass(frozen=True)
class Role:
    name: str
    perms: frozenset[str]
    two_factor: bool = False  # 等保 2.0 level 3: administrators log in with two factors


_VIEW = frozenset({"orgs.view", "orgs.view_people"})
_MANAGE_DISTRICT = _VIEW | {"orgs.import", "orgs.manage", "calendar.manage"}

ROLES: dict[str, Role] = {
    RoleName.BUREAU_ADMIN: Role(
        RoleName.BUREAU_ADMIN,
        _MANAGE_DISTRICT | {"audit.view", "accounts.manage"},
        two_factor=True,
    ),
    RoleName.BUREAU_OFFICER: Role(RoleName.BUREAU_OFFICER, _MANAGE_DISTRICT),
    RoleName.BUREAU_LEADER: Role(RoleName.BUREAU_LEADER, _VIEW),
    RoleName.DEPARTMENT_STAFF: Role(RoleName.DEPARTMENT_STAFF, _VIEW),
    RoleName.CENTRE_OFFICER: Role(RoleName.CENTRE_OFFICER, _VIEW),
    RoleName.PRINCIPAL: Role(RoleName.PRINCIPAL, _VIEW),
    RoleName.SAFETY_OFFICER: Role(RoleName.SAFETY_OFFICER, _VIEW),
    RoleName.TEACHER: Role(RoleName.TEACHER, frozenset({"orgs.view"})),
    RoleName.GUARD: Role(RoleName.GUARD, frozenset({"orgs.view"})),
    RoleName.AGENCY_INSPECTOR: Role(RoleName.AGENCY_INSPECTOR, frozenset({"orgs.view"})),
}
