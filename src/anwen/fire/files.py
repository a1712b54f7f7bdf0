"""Whose signed fire self-check forms a user may open (the evidence registry's owner): those
of the checks whose page the user opens (`inspections.view`), and the school's safety office
that uploads them (`obligations.log`)."""

from django.db.models import QuerySet

from anwen.fire.models import FireSelfCheck
from anwen.fire.selectors import WATCH_PERM
from anwen.orgs.scope import with_perm


def checks_whose_forms_open(user) -> QuerySet[FireSelfCheck]:
    return with_perm(FireSelfCheck.objects.all(), user, WATCH_PERM, "obligations.log", full=True)


def assessments_whose_reports_open(user) -> QuerySet:
    """The assessments a user sees in the register: their reports open to the same people."""
    from anwen.fire.models import FireRiskAssessment

    return with_perm(
        FireRiskAssessment.objects.all(), user, "registers.view", "registers.manage", full=True
    )
