"""The dispute (矛盾纠纷), declared: an unstable factor found in the weekly and monthly
screening, from a letter, a call, a grassroots report or an online message (PS2.1), with its
risk level, the measures chosen and where it stands.

    found ─take_measures→ resolving ─resolve→ resolved
      │                      │ escalate (handed up: the supervisors are told)
      └──────── escalate ────┴──→ escalated ─resolve→ resolved

Measures are due within the plan's days of receipt. The screening round itself is an
obligation of the rhythm engine: a school files its weekly or monthly screening (a nil one,
"nothing found this week", as well) on the obligations' log form, as a record of the kinds
registered here, and the round of the bureau's plan is done."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import PlanRule
from anwen.obligations.registry import RecordKind, register_kind
from anwen.workflow.engine import Clock, Transition, Workflow

from . import notices, steps
from .clocks import plan_days
from .types import CaseType, Field, Step, register_type
from .who import may_route, may_supervise


class Source(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    GRASSROOTS = "grassroots", _("Grassroots report")
    ONLINE = "online", _("Online message")


class Risk(models.TextChoices):
    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


class Measure(models.TextChoices):
    MEDIATION = "mediation", _("Mediation")
    COUNSELLING = "counselling", _("Education and counselling")
    LEGAL = "legal", _("Legal advice or aid")
    LEADER = "leader", _("A leader in charge (包案)")
    LOCAL = "local", _("Referred to the local government")
    POLICE = "police", _("Police informed")
    MONITOR = "monitor", _("Kept under watch")


class State(models.TextChoices):
    FOUND = "found", _("Found")
    RESOLVING = "resolving", _("Measures taken, being resolved")
    ESCALATED = "escalated", _("Escalated to a higher level")
    RESOLVED = "resolved", _("Resolved")


S = State
OPEN = [S.FOUND, S.RESOLVING, S.ESCALATED]

MEASURES_DUE = PlanRule(
    "cases.dispute_measures",
    calendar.DeadlineRule(3, "calendar"),
    label=_("Days to take measures on a dispute found in the screening"),
    help_text=_("Counted from the day it was found."),
)
RULES = [MEASURES_DUE]

# The screening rounds a bureau's plan asks of its schools (and centres): an obligation of
# the rhythm engine fulfilled by a record of one of these kinds, logged on its log form.
SCREENING_KINDS = [
    RecordKind("cases.dispute_screening_weekly", _("Weekly dispute screening"), loggable=True),
    RecordKind("cases.dispute_screening_monthly", _("Monthly dispute screening"), loggable=True),
]
for kind in SCREENING_KINDS:
    register_kind(kind)


WORKFLOW = Workflow(
    code="cases.dispute",
    model="cases.Case",
    noun=_("dispute"),
    states=State,
    initial=S.FOUND,
    clocks=(
        Clock("measures", plan_days(MEASURES_DUE, from_receipt=True), label=_("Measures taken by")),
    ),
    starts=("measures",),
    steps={"created": _("Found and registered")},
    transitions=(
        Transition(
            "assign",
            _("Hand it to someone"),
            source=OPEN,
            target=None,
            allowed=may_route,
        ),
        Transition(
            "take_measures",
            _("Take measures"),
            source=[S.FOUND],
            target=S.RESOLVING,
            allowed=may_route,
            stops="measures",
        ),
        Transition(
            "reassess",
            _("Assess the risk again"),
            source=OPEN,
            target=None,
            allowed=may_route,
        ),
        Transition(
            "escalate",
            _("Escalate to the higher level"),
            source=[S.FOUND, S.RESOLVING],
            target=S.ESCALATED,
            allowed=may_route,
            note_required=True,
            danger=True,
        ),
        Transition(
            "urge",
            _("Urge (督办)"),
            source=OPEN,
            target=None,
            allowed=may_supervise,
            note_required=True,
        ),
        Transition(
            "resolve",
            _("Resolved"),
            source=OPEN,
            target=S.RESOLVED,
            allowed=may_route,
            stops="measures",
            note_required=True,
        ),
    ),
)


def _risk():
    return forms.ChoiceField(label=_("Risk level"), choices=Risk.choices)


def _measures():
    return forms.MultipleChoiceField(
        label=_("Measures chosen"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
    )


def _measures_change(case, data, user) -> list[str]:
    case.details = {**case.details, "measures": list(data["measures"])}
    return ["details"]


def _risk_change(case, data, user) -> list[str]:
    case.details = {**case.details, "risk": data["risk"]}
    return ["details"]


def _escalated_after(case, data, user, event) -> None:
    notices.tell(case, "escalated", notices.supervisors(case), event)


DISPUTE = register_type(
    CaseType(
        code="dispute",
        noun=_("dispute"),
        prefix="MD",
        workflow=WORKFLOW,
        confidential=False,
        channels=Source,
        register_perm="cases.register",
        org_kinds=("school", "centre", "bureau"),
        fields=(
            Field("risk", _risk, private=False),
            Field("measures", _measures, private=False, register=False),
        ),
        subject_label=_("The unstable factor"),
        content_label=_("What was found"),
        people_label=_("Party"),
        steps={
            "assign": steps.ASSIGN,
            "take_measures": Step(fields={"measures": _measures}, change=_measures_change),
            "reassess": Step(fields={"risk": _risk}, change=_risk_change),
            "escalate": Step(after=_escalated_after),
            "urge": steps.URGE,
        },
        closed_states=(S.RESOLVED,),
    )
)
