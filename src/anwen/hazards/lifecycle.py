"""The life of a hazard, declared on the workflow engine: its states, who may take each step,
what each step needs, and the rectification clock. The services fire these steps by name."""

from datetime import date

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import rule
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import ancestor_ids, has_perm, holds_at
from anwen.workflow.engine import Clock, Transition, Workflow

from .models import Grade, Hazard, HazardState, Kind
from .rules import DEADLINE_GENERAL, DEADLINE_MAJOR, DEADLINE_RENOVATION

S = HazardState


def deadline_rule(hazard: Hazard):
    declaration = DEADLINE_GENERAL
    if hazard.kind == Kind.AGEING:
        declaration = DEADLINE_RENOVATION
    elif hazard.grade == Grade.MAJOR:
        declaration = DEADLINE_MAJOR
    return rule(declaration, org=hazard.org, on=hazard.found_on)


def rectify_due(hazard: Hazard, today: date) -> date:
    """The deadline by the plan's rule for the hazard's grade (or kind) in force when it was
    found, counted on the school's calendar from the day it was found; a reopened hazard
    counts again from the day it came back."""
    start = hazard.found_on if hazard.state in (S.REPORTED, S.ASSIGNED) else today
    return calendar.due(start, deadline_rule(hazard), org=hazard.org)


# --- who ---------------------------------------------------------------------------------------


def may_manage(user, hazard: Hazard) -> bool:
    """The school's safety office and principal, and the centre and bureau above it."""
    return has_perm(user, "inspections.manage", hazard.org) or has_perm(
        user, "inspections.lead", hazard.org
    )


def on_staff(person, hazard: Hazard) -> bool:
    """Whether `person` is still on the hazard's school's staff. Someone named responsible who
    has left since (deactivated, or moved to another school) neither acts on the hazard nor
    hears of it: the school names someone else."""
    return person is not None and person.is_active and person.org_id == hazard.org_id


def responsible_q(user) -> Q:
    """The hazards `user` is responsible for while still on their school's staff (`on_staff`
    as a filter)."""
    return Q(responsible__user=user, responsible__is_active=True, responsible__org=F("org"))


def responsible_user(hazard: Hazard):
    """The account of the person responsible, while they are on the school's staff, or None."""
    person = hazard.responsible
    if person is None or person.user_id is None or not on_staff(person, hazard):
        return None
    return person.user


def is_responsible(user, hazard: Hazard) -> bool:
    person = hazard.responsible
    return (
        person is not None
        and person.user_id is not None
        and person.user_id == user.pk
        and on_staff(person, hazard)
    )


def may_fix(user, hazard: Hazard) -> bool:
    return is_responsible(user, hazard) or may_manage(user, hazard)


def _above(hazard: Hazard, kind: str) -> Org | None:
    return Org.objects.filter(pk__in=ancestor_ids(hazard.org), kind=kind).order_by("-path").first()


def centre_of(hazard: Hazard) -> Org | None:
    return _above(hazard, OrgKind.CENTRE)


def bureau_of(hazard: Hazard) -> Org | None:
    return _above(hazard, OrgKind.BUREAU)


def supervises(user, hazard: Hazard) -> bool:
    """Whether the user manages or inspects the hazard's school from above: a role at its
    centre (or the bureau running it) or higher, not one held at the school itself."""
    above = hazard.org.parent
    return above is not None and (
        has_perm(user, "inspections.manage", above) or has_perm(user, "inspections.lead", above)
    )


def is_centre_inspector(user, hazard: Hazard) -> bool:
    centre = centre_of(hazard)
    return centre is not None and holds_at(user, "inspections.lead", centre)


def is_bureau_inspector(user, hazard: Hazard) -> bool:
    bureau = bureau_of(hazard)
    return bureau is not None and holds_at(user, "inspections.lead", bureau)


# --- what --------------------------------------------------------------------------------------


def _has_responsible(user, hazard: Hazard, data: dict):
    if hazard.responsible_id is None:
        return _("Choose the person responsible for the rectification.")
    return None


def _major_has_plan(user, hazard: Hazard, data: dict):
    if hazard.is_major and not hazard.plan_complete:
        return _(
            "A major hazard needs its six-part plan (goal, measures, funds and materials, "
            "people, time limit, interim safety measures) before rectification starts."
        )
    return None


def _after_photos(user, hazard: Hazard, data: dict):
    if not data.get("photos_after"):
        return _("Add at least one photo taken after the fix.")
    return None


def _not_the_fixer(user, hazard: Hazard, data: dict):
    if hazard.fixed_by_id is not None and hazard.fixed_by_id == user.pk:
        return _("You submitted this fix; someone else must verify it.")
    return None


def _major_rechecked(user, hazard: Hazard, data: dict):
    if hazard.is_major and not (hazard.centre_rechecked_at and hazard.bureau_rechecked_at):
        return _("A major hazard is closed only after the centre's and the bureau's re-check.")
    return None


def _is_major(user, hazard: Hazard, data: dict):
    if not hazard.is_major:
        return _("Only a major hazard is re-checked by the centre and the bureau.")
    return None


def _is_major_plan(user, hazard: Hazard, data: dict):
    if not hazard.is_major:
        return _("Only a major hazard has a six-part plan: set its grade to major first.")
    return None


OPEN = (S.REPORTED, S.ASSIGNED, S.RECTIFYING, S.SUBMITTED)

HAZARD = Workflow(
    code="hazards.hazard",
    model="hazards.Hazard",
    noun=_("hazard"),
    states=HazardState,
    initial=S.REPORTED,
    clocks=(Clock("rectify", field="deadline", due=rectify_due),),
    steps={
        "created": _("Reported"),
        "reminded": _("Reminded of the deadline"),
        "escalated": _("Escalated (overdue)"),
    },
    transitions=(
        Transition(
            "assign",
            _("Assign"),
            source=[S.REPORTED, S.ASSIGNED],
            target=S.ASSIGNED,
            allowed=may_manage,
            requires=(_has_responsible,),
            starts="rectify",
        ),
        Transition(
            "plan",
            _("Save the major hazard plan"),
            source=[S.REPORTED, S.ASSIGNED, S.RECTIFYING],
            target=None,
            allowed=may_manage,
            requires=(_is_major_plan,),
        ),
        Transition(
            "start",
            _("Start rectification"),
            source=[S.ASSIGNED],
            target=S.RECTIFYING,
            allowed=may_fix,
            requires=(_major_has_plan,),
        ),
        Transition(
            "submit",
            _("Submit the fix"),
            source=[S.RECTIFYING],
            target=S.SUBMITTED,
            allowed=may_fix,
            requires=(_after_photos,),
        ),
        Transition(
            "recheck_centre",
            _("Centre re-check passed"),
            source=[S.SUBMITTED],
            target=None,
            allowed=is_centre_inspector,
            requires=(_is_major, _not_the_fixer),  # a re-check is someone else's look
        ),
        Transition(
            "recheck_bureau",
            _("Bureau re-check passed"),
            source=[S.SUBMITTED],
            target=None,
            allowed=is_bureau_inspector,
            requires=(_is_major, _not_the_fixer),  # a re-check is someone else's look
        ),
        Transition(
            "verify",
            _("Verify and close"),
            source=[S.SUBMITTED],
            target=S.CLOSED,
            allowed=may_manage,
            requires=(_not_the_fixer, _major_rechecked),
            stops="rectify",
        ),
        Transition(
            "send_back",
            _("Send back"),
            source=[S.SUBMITTED],
            target=S.RECTIFYING,
            allowed=may_manage,
            requires=(_not_the_fixer,),
            note_required=True,
            danger=True,
        ),
        Transition(
            "reopen",
            _("Reopen"),
            source=[S.CLOSED],
            target=S.RECTIFYING,
            allowed=may_manage,
            note_required=True,
            starts="rectify",
            danger=True,
        ),
    ),
)
