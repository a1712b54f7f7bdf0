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
    CASE_CLERK = "case_clerk", _("Petitions clerk")
    BUS_ATTENDANT = "bus_attendant", _("Bus attendant")


@dataclass(frozen=True)
class Role:
    name: str
    perms: frozenset[str]
    two_factor: bool = False  # 等保 2.0 level 3: administrators log in with two factors


_VIEW = frozenset({"orgs.view", "orgs.view_people"})
_MANAGE_DISTRICT = _VIEW | {"orgs.import", "orgs.manage", "calendar.manage"}
# Seeing the rhythm and the checks of what lies in one's scope: completion figures, inspection
# records, patrol rounds, fire self-checks, responsibility letters.
# The registers of what the plan counts (devices, guards, buses, waters, funding) are part of it.
_WATCH = frozenset({"obligations.view", "inspections.view", "duties.view", "registers.view"})
# Everyone on a school's staff: do the checks they own, sign their own letter.
_STAFF = frozenset({"orgs.view", "inspections.do", "duties.sign"})
# Running a school's safety work: grid areas, school checklists, routine logs, patrol points,
# fire self-checks, the "five in place" and public commitments.
_SCHOOL_SAFETY = (
    _VIEW
    | _WATCH
    | _STAFF
    | {
        "inspections.manage",
        "obligations.log",
        "patrol.manage",
        "patrol.scan",
        "duties.manage",
        "registers.manage",  # the school's own devices, guards, equipment, buses, waters
    }
)
# Inspecting from above: centre screenings, bureau spot checks, joint inspections.
_SUPERVISE = _VIEW | _WATCH | {"inspections.lead"}
# Matters people raise (cases: petitions, disputes, bullying, incidents …). `cases.view` shows
# that a case exists, its stage and its clocks; a confidential case's names and content are
# open only to its named handlers (grants), whatever the role. Registering, handling what one
# is named for, urging (督办), approving an extension or a determination, taking charge (包案).
_CASES_SEE = frozenset({"cases.view"})
_CASES_HANDLE = _CASES_SEE | {"cases.register", "cases.handle"}
_CASES_SUPERVISE = _CASES_HANDLE | {"cases.supervise"}
_CASES_LEAD = _CASES_SEE | {"cases.supervise", "cases.approve", "cases.lead"}

ROLES: dict[str, Role] = {
    RoleName.BUREAU_ADMIN: Role(
        RoleName.BUREAU_ADMIN,
        _MANAGE_DISTRICT
        | _SUPERVISE
        | {
            "audit.view",
            "accounts.manage",
            "maps.manage",  # the district boundary under the school map
            "obligations.manage",
            "inspections.manage",
            "duties.manage",
        }
        | _CASES_SEE,
        two_factor=True,
    ),
    RoleName.BUREAU_OFFICER: Role(
        RoleName.BUREAU_OFFICER,
        _MANAGE_DISTRICT
        | _SUPERVISE
        | _CASES_SUPERVISE
        # registers.manage: the district's imports (the video platform's export of every
        # school's devices) are the safety office's.
        | {"obligations.manage", "inspections.manage", "duties.manage", "registers.manage"},
    ),
    RoleName.BUREAU_LEADER: Role(RoleName.BUREAU_LEADER, _VIEW | _WATCH | _CASES_LEAD),
    RoleName.DEPARTMENT_STAFF: Role(RoleName.DEPARTMENT_STAFF, _VIEW | {"cases.handle"}),
    RoleName.CENTRE_OFFICER: Role(RoleName.CENTRE_OFFICER, _SUPERVISE | _CASES_HANDLE),
    RoleName.PRINCIPAL: Role(
        RoleName.PRINCIPAL, _SCHOOL_SAFETY | _CASES_HANDLE | {"cases.approve"}
    ),
    # The safety officer runs the pre-departure check too, when no attendant has an account.
    RoleName.SAFETY_OFFICER: Role(
        RoleName.SAFETY_OFFICER, _SCHOOL_SAFETY | _CASES_HANDLE | {"buses.check"}
    ),
    RoleName.TEACHER: Role(RoleName.TEACHER, _STAFF),
    RoleName.GUARD: Role(RoleName.GUARD, _STAFF | {"patrol.scan"}),
    # The on-board attendant (随车照管人员) runs the pre-departure check of the school's buses.
    RoleName.BUS_ATTENDANT: Role(RoleName.BUS_ATTENDANT, _STAFF | {"buses.check"}),
    # Agency inspectors see only the joint inspections they were invited to (inspections'
    # selectors decide that); their role grants nothing over the org tree beyond their agency.
    RoleName.AGENCY_INSPECTOR: Role(
        RoleName.AGENCY_INSPECTOR, frozenset({"orgs.view", "inspections.join"})
    ),
    # The bureau's petitions office (信访办): registers what comes in, first receiver of it,
    # routes it and urges the handlers; sees the district's cases, not their content.
    RoleName.CASE_CLERK: Role(RoleName.CASE_CLERK, _VIEW | _CASES_SUPERVISE),
}
