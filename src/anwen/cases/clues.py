"""Anti-gang and campus-loan clues (扫黑除恶线索, PC2), declared: a clue a school, a centre or
the bureau receives — campus loans (校园贷), fraud, coercion of students, gang recruitment — is
verified within the plan's limit and handed to the police, or closed as unfounded.

    received ─verify→ verified ─hand_to_police→ with_police ─close→ closed
        └ unfounded (explained) ←┘

Confidential: the informant and the people a clue names are read by its named handlers only,
and the police officer it is handed to becomes one (`keypersons.SHARE_POLICE`).

The per-school screening (线索排查表) on the plan's schedule is an obligation of the rhythm
engine fulfilled by the record kind below: the school files its screening on the routine log
(what was screened, the clues found and registered here by number) — a nil return counts."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen import calendar
from anwen.obligations.plans import PlanRule
from anwen.obligations.registry import RecordKind, register_kind
from anwen.workflow.engine import Clock, Transition, Workflow

from . import steps
from .clocks import plan_days
from .keypersons import SHARE_POLICE, school_handler
from .types import CaseType, Field, register_type
from .who import is_handler, may_handle, may_supervise

SCREENING = "cases.clue_screening"
register_kind(
    RecordKind(
        SCREENING,
        _("Anti-gang and campus-loan clue screening (扫黑除恶线索排查)"),
        loggable=True,
    )
)

VERIFY = PlanRule(
    "cases.clue_verify",
    calendar.DeadlineRule(5, "working"),
    label=_("Working days to verify an anti-gang or campus-loan clue"),
    help_text=_("Counted from the day the clue was received."),
)
RULES = [VERIFY]


class Channel(models.TextChoices):
    SCREENING = "screening", _("Found in the school's screening")
    REPORT = "report", _("Reported by a student, parent or staff member")
    HOTLINE = "hotline", _("Hotline or mailbox")
    POLICE = "police", _("Passed on by the police")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("case state", "Received")  # not 收到时间
    VERIFIED = "verified", _("Verified as holding")
    WITH_POLICE = "with_police", _("Handed to the police")
    UNFOUNDED = "unfounded", _("Closed as unfounded")
    CLOSED = "closed", _("Clue closed")


class Kind(models.TextChoices):
    CAMPUS_LOAN = "campus_loan", _("Campus loan (校园贷)")
    FRAUD = "fraud", _("Fraud")
    COERCION = "coercion", _("Coercion or extortion of students")
    GANG = "gang", _("Gang recruitment or protection")
    OTHER = "other", _("Other")


S = State


def _kind_field():
    return forms.ChoiceField(label=_("Kind of clue"), choices=Kind.choices)


def _named_field():
    return forms.CharField(
        label=_("People the clue names"),
        max_length=500,
        required=False,
        help_text=_("Suspects and students involved: seen by the handlers only."),
    )


WORKFLOW = Workflow(
    code="cases.clue",
    model="cases.Case",
    noun=_("clue"),
    states=State,
    initial=S.RECEIVED,
    clocks=(Clock("verify", plan_days(VERIFY), label=_("Verified by")),),
    starts=("verify",),
    steps={"created": pgettext_lazy("case state", "Received"), "viewed": _("Viewed")},
    transitions=(
        Transition(
            "verify",
            _("Verified: the clue holds"),
            source=[S.RECEIVED],
            target=S.VERIFIED,
            allowed=may_handle,
            stops="verify",
            note_required=True,
        ),
        Transition(
            "unfounded",
            _("Close as unfounded"),
            source=[S.RECEIVED, S.VERIFIED],
            target=S.UNFOUNDED,
            allowed=school_handler,
            stops="verify",
            note_required=True,
            danger=True,
        ),
        Transition(
            "hand_to_police",
            _("Hand to the police"),
            source=[S.VERIFIED],
            target=S.WITH_POLICE,
            allowed=school_handler,
        ),
        Transition(
            "police_feedback",
            _("Police feedback"),
            source=[S.WITH_POLICE],
            target=None,
            allowed=is_handler,
            note_required=True,
        ),
        Transition(
            "urge",
            _("Urge (督办)"),
            source=[S.RECEIVED, S.VERIFIED, S.WITH_POLICE],
            target=None,
            allowed=may_supervise,
            note_required=True,
        ),
        Transition(
            "close",
            _("Close the clue"),
            source=[S.WITH_POLICE],
            target=S.CLOSED,
            allowed=school_handler,
            note_required=True,
        ),
    ),
)

CLUE = register_type(
    CaseType(
        code="clue",
        noun=_("clue"),
        prefix="XS",
        workflow=WORKFLOW,
        confidential=True,
        channels=Channel,
        register_perm="cases.register",
        org_kinds=("school", "centre", "bureau"),
        fields=(
            Field("kind", _kind_field, private=False),
            Field("named", _named_field),
        ),
        subject_label=_("Summary"),
        content_label=_("The clue"),
        people_label=_("Informant"),
        steps={"hand_to_police": SHARE_POLICE, "urge": steps.URGE},
        closed_states=(S.UNFOUNDED, S.CLOSED),
    )
)
