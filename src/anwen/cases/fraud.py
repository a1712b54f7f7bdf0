"""Anti-fraud (反诈, PC3), declared: a fraud case involving a member of staff, a student or a
parent — the amount lost, whether and when it was reported to the police (within the plan's
hours of the school learning of it), and how it ended.

    recorded ─report_police→ with_police ─conclude→ concluded
        └──────────── conclude ───────────────┘

The victim's name and contacts are the confidential face; the group, the amount lost and
recovered and the outcome are its open face, for the bureau's statistics. The campaign's
activities (lectures, parent letters, the 国家反诈中心 app drive) are routine activities of
the rhythm engine, logged by the school on its routine log: the record kind below, which an
obligation of the plan names."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import PlanRule
from anwen.obligations.registry import RecordKind, register_kind
from anwen.workflow.engine import Clock, Transition, Workflow

from . import steps
from .clocks import plan_hours
from .services import CaseError
from .types import CaseType, Field, Step, register_type
from .who import may_handle, may_supervise

CAMPAIGN = "cases.anti_fraud"
register_kind(RecordKind(CAMPAIGN, _("Anti-fraud campaign activity (反诈宣传)"), loggable=True))

REPORT = PlanRule(
    "cases.fraud_report_hours",
    24,
    label=_("Hours within which a fraud case is reported to the police"),
    help_text=_("Counted from the moment the school learned of it."),
)
RULES = [REPORT]


class State(models.TextChoices):
    RECORDED = "recorded", _("Case recorded")
    WITH_POLICE = "with_police", _("Reported to the police")
    CONCLUDED = "concluded", _("Concluded")


class Victim(models.TextChoices):
    STAFF = "staff", _("Member of staff")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")


class Scheme(models.TextChoices):
    ONLINE_SHOPPING = "shopping", _("Fake online shopping or refund")
    IMPERSONATION = "impersonation", _("Impersonating police, teachers or officials")
    LOAN = "loan", _("Loans or credit")
    GAMING = "gaming", _("Game accounts or items")
    INVESTMENT = "investment", _("Investment or part-time work")
    OTHER = "other", _("Other")


class Result(models.TextChoices):
    RECOVERED = "recovered", _("All recovered")
    PARTLY = "partly", _("Partly recovered")
    LOST = "lost", _("Not recovered")
    PREVENTED = "prevented", _("Stopped before money was lost")


S = State


def _victim_field():
    return forms.ChoiceField(label=_("Victim group"), choices=Victim.choices)


def _scheme_field():
    return forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices)


def _amount_field():
    return forms.IntegerField(
        label=_("Amount lost (yuan)"), min_value=0, max_value=100_000_000, initial=0
    )


def _victim_name_field():
    return forms.CharField(label=_("Victim (name, class or post)"), max_length=200)


def _police_fields(case, user):
    return {
        "police_number": forms.CharField(
            label=_("Police receipt number"),
            max_length=60,
            required=False,
            help_text=_("The number of the police's 受案回执, when given."),
        )
    }


def _police_change(case, data, user) -> list[str]:
    case.details = {**case.details, "reported_police": True}
    if data.get("police_number"):
        case.private = {**case.private, "police_number": data["police_number"]}
        return ["details", "private"]
    return ["details"]


def _conclude_fields(case, user):
    return {
        "result": forms.ChoiceField(label=_("Outcome"), choices=Result.choices),
        "recovered": forms.IntegerField(
            label=_("Amount recovered (yuan)"), min_value=0, max_value=100_000_000, initial=0
        ),
    }


def _conclude_change(case, data, user) -> list[str]:
    if data["recovered"] > int(case.details.get("amount") or 0):
        raise CaseError(_("More cannot be recovered than was lost."), field="recovered")
    case.details = {**case.details, "result": data["result"], "recovered": data["recovered"]}
    return ["details"]


WORKFLOW = Workflow(
    code="cases.fraud",
    model="cases.Case",
    noun=_("fraud case"),
    states=State,
    initial=S.RECORDED,
    clocks=(Clock("report", plan_hours(REPORT), label=_("Reported to the police by")),),
    starts=("report",),
    steps={"created": _("Case recorded"), "viewed": _("Viewed")},
    transitions=(
        Transition(
            "report_police",
            _("Reported to the police"),
            source=[S.RECORDED],
            target=S.WITH_POLICE,
            allowed=may_handle,
            stops="report",
        ),
        Transition(
            "urge",
            _("Urge (督办)"),
            source=[S.RECORDED, S.WITH_POLICE],
            target=None,
            allowed=may_supervise,
            note_required=True,
        ),
        Transition(
            "conclude",
            _("Conclude"),
            source=[S.RECORDED, S.WITH_POLICE],
            target=S.CONCLUDED,
            allowed=may_handle,
            stops="report",
            note_required=True,
        ),
    ),
)

FRAUD = register_type(
    CaseType(
        code="fraud",
        noun=_("fraud case"),
        prefix="FZ",
        workflow=WORKFLOW,
        confidential=True,
        register_perm="cases.register",
        org_kinds=("school", "centre", "bureau"),
        fields=(
            Field("victim_group", _victim_field, private=False),
            Field("scheme", _scheme_field, private=False),
            Field("amount", _amount_field, private=False),
            Field("victim", _victim_name_field),
        ),
        subject_label=_("Summary (no names)"),
        content_label=_("What happened"),
        people_label=_("Victim's contact"),
        steps={
            "report_police": Step(fields=_police_fields, change=_police_change),
            "conclude": Step(fields=_conclude_fields, change=_conclude_change),
            "urge": steps.URGE,
        },
        closed_states=(S.CONCLUDED,),
    )
)
