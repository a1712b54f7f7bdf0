"""The safety incident (安全事故), declared (PC1.6): registered by the school where it happened,
its written report due within the plan's hours of the moment it happened, handled, settled
(compensation agreed, and how much), with the risk of a disturbance (校闹) flagged and the
measures against it recorded — the supervisors are told at once — and closed.

    registered ─report→ reported ─settle→ settled ─close→ closed
                          └──────────── close ───────────↗
    disturbance, progress, urge: steps that keep the stage"""

from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.obligations.plans import IntegerType, PlanRule, rule
from anwen.workflow.engine import Clock, Transition, Workflow, WorkflowError

from . import notices
from . import steps as shared
from .types import CaseType, Field, Step, register_type
from .who import may_route, may_supervise


class Category(models.TextChoices):
    TRAFFIC = "traffic", _("Traffic")
    DROWNING = "drowning", _("Drowning")
    INJURY = "injury", _("Injury at school or in sport")
    FOOD = "food", _("Food poisoning")
    FIRE = "fire", _("Fire outbreak")
    VIOLENCE = "violence", _("Violence")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered, written report due")
    REPORTED = "reported", _("Reported, being handled")
    SETTLED = "settled", _("Settled")
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")


S = State
OPEN = [S.REGISTERED, S.REPORTED, S.SETTLED]

REPORT_HOURS = PlanRule(
    "cases.incident_report_hours",
    24,
    type=IntegerType(1, 720),
    label=_("Hours from a safety incident to its written report"),
    help_text=_(
        "Counted from the moment it happened. The school tells the bureau at once by phone; "
        "the written report follows within this many hours."
    ),
)
RULES = [REPORT_HOURS]


def happened_at(case) -> datetime:
    """When it happened (the face field), or when it was received if the field is missing."""
    raw = case.details.get("happened_at")
    try:
        moment = datetime.fromisoformat(raw) if raw else case.received_at
    except ValueError:
        moment = case.received_at
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _report_due(case, start):
    moment = happened_at(case)
    day = timezone.localtime(moment).date()
    return moment + timedelta(hours=rule(REPORT_HOURS, org=case.org, on=day))


WORKFLOW = Workflow(
    code="cases.incident",
    model="cases.Case",
    noun=_("safety incident"),
    states=State,
    initial=S.REGISTERED,
    clocks=(Clock("report", _report_due, label=_("Written report due by")),),
    starts=("report",),
    steps={"created": _("Registered")},
    transitions=(
        Transition(
            "report",
            _("Send the written report to the bureau (书面报告)"),
            source=[S.REGISTERED],
            target=S.REPORTED,
            allowed=may_route,
            stops="report",
            note_required=True,
        ),
        Transition(
            "progress",
            _("Record what was done (处置情况)"),
            source=OPEN,
            target=None,
            allowed=may_route,
            note_required=True,
        ),
        Transition(
            "disturbance",
            _("Risk of a disturbance (校闹): measures"),
            source=OPEN,
            target=None,
            allowed=may_route,
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
            "settle",
            _("Settle"),
            source=[S.REPORTED],
            target=S.SETTLED,
            allowed=may_route,
        ),
        Transition(
            "close",
            _("Close"),
            source=[S.REPORTED, S.SETTLED],
            target=S.CLOSED,
            allowed=may_route,
        ),
    ),
)


def _happened_at():
    return forms.DateTimeField(
        label=_("Happened at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _category():
    return forms.ChoiceField(label=_("Kind of incident"), choices=Category.choices)


def _injured():
    return forms.IntegerField(
        label=_("People injured"), min_value=0, max_value=10000, required=False
    )


def _compensation():
    return forms.BooleanField(label=_("Compensation agreed"), required=False)


def _amount():
    return forms.DecimalField(
        label=_("Amount of compensation (yuan)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000000"),
        decimal_places=2,
        required=False,
    )


def _settlement():
    return forms.CharField(
        label=_("Settlement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed, with whom, and how it was recorded."),
    )


def _measures():
    return forms.CharField(
        label=_("Measures against a disturbance"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who talks to the family, security at the gate, the police informed …"),
    )


def _validate(data: dict) -> dict:
    moment = data.get("happened_at")
    received = data.get("received_at")
    if moment is None:
        return {}
    if moment > timezone.now():
        return {"happened_at": _("It cannot have happened in the future.")}
    if received is not None and moment > received:
        return {"happened_at": _("It cannot have happened after it was received.")}
    return {}


def _settle_change(case, data, user) -> list[str]:
    amount = data.get("amount")
    if data.get("compensation") and amount is None:
        raise WorkflowError(_("Give the amount of the compensation agreed."), field="amount")
    if not data.get("compensation") and amount is not None:
        raise WorkflowError(_("An amount is given only when compensation was agreed."))
    case.details = {
        **case.details,
        "compensation": bool(data.get("compensation")),
        "amount": str(amount) if amount is not None else "",
        "settlement": data["settlement"],
    }
    return ["details"]


def _disturbance_change(case, data, user) -> list[str]:
    case.details = {
        **case.details,
        "disturbance_risk": True,
        "disturbance_measures": data["measures"],
    }
    return ["details"]


def _disturbance_after(case, data, user, event) -> None:
    notices.tell(case, "disturbance", notices.handlers(case) + notices.supervisors(case), event)


INCIDENT = register_type(
    CaseType(
        code="incident",
        noun=_("safety incident"),
        prefix="SG",
        workflow=WORKFLOW,
        confidential=False,
        register_perm="cases.register",
        org_kinds=("school",),
        fields=(
            Field("happened_at", _happened_at, private=False),
            Field("category", _category, private=False),
            Field("injured", _injured, private=False),
            Field("compensation", _compensation, private=False, register=False),
            Field("amount", _amount, private=False, register=False),
            Field("settlement", _settlement, private=False, register=False),
            Field(
                "disturbance_risk",
                lambda: forms.BooleanField(label=_("Risk of a disturbance (校闹)")),
                private=False,
                register=False,
            ),
            Field("disturbance_measures", _measures, private=False, register=False),
        ),
        subject_label=_("The incident in a few words"),
        content_label=_("What happened, the injured and what was done at once"),
        validate=_validate,
        steps={
            "disturbance": Step(
                fields={"measures": _measures},
                change=_disturbance_change,
                after=_disturbance_after,
            ),
            "settle": Step(
                fields={
                    "compensation": _compensation,
                    "amount": _amount,
                    "settlement": _settlement,
                },
                change=_settle_change,
            ),
            "urge": shared.URGE,
        },
        closed_states=(S.CLOSED,),
    )
)
