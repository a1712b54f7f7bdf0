"""Illegal school transport (黑校车, SM8.5), declared: a report that an unlicensed vehicle carries
students — where and when it was seen, its plate, what was seen, who reported it — verified by
the school or centre, handed to the police and the transport authority, and closed; and the
notices sent to parents about it (the plan's 二（一）8: tell parents never to hire illegal
vehicles), each a step of the case's chronology.

    reported ─verify→ verified ─hand_over→ handed_over ─close→ closed
        └──────────── close (not confirmed, …) ─────────────┘
    notify_parents: in any open stage, as often as notices go out (date, channel, how many
    parents were reached; the notice's text is the step's note, shown in the chronology).

An open type: everyone who sees the case in the org tree (the school, its centre, the bureau)
reads it, so a school and its centre act on the same facts. The reporter's name and phone are
the engine's `people` face: never in a notice, a URL, the audit trail or an export title.
The notices are steps rather than a register of their own: each belongs to one report, is
dated and counted with it, and the case page is where the bureau follows both."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.forms import DateField
from anwen.obligations.plans import IntegerType, PlanRule
from anwen.workflow.engine import Clock, Transition, Workflow

from . import steps
from .clocks import plan_hours
from .services import CaseError
from .types import CaseType, Field, Step, register_type
from .who import may_route, may_supervise

VERIFY_HOURS = PlanRule(
    "cases.transport_verify_hours",
    24,
    type=IntegerType(1, 720),
    label=_("Hours to verify a report of illegal school transport"),
    help_text=_("Counted from the moment the report was received."),
)
RULES = [VERIFY_HOURS]


class Source(models.TextChoices):
    PARENT = "parent", _("A parent")
    STAFF = "staff", _("School staff on duty")
    PUBLIC = "public", _("A member of the public")
    HOTLINE = "hotline", _("Hotline (12345 or the bureau's)")
    PATROL = "patrol", _("Centre or police patrol")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified as reported")
    HANDED_OVER = "handed_over", _("Handed to police and transport")
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")


class Result(models.TextChoices):
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    STOPPED = "stopped", _("Vehicle stopped and students moved to safe transport")
    PENALISED = "penalised", _("Operator penalised by police or transport")
    WARNED = "warned", _("Operator and parents warned")
    OTHER = "other", _("Other")


class Authority(models.TextChoices):
    POLICE = "police", _("Traffic police")
    TRANSPORT = "transport", _("Transport authority")


class NoticeChannel(models.TextChoices):
    WECHAT = "wechat", _("Class WeChat group")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter to parents")
    MEETING = "meeting", _("Parents' meeting")
    PHONE = "phone", _("Phone calls")
    OTHER = "other", _("Other")


S = State
OPEN = [S.REPORTED, S.VERIFIED, S.HANDED_OVER]


def _place():
    return forms.CharField(
        label=_("Where it was seen"),
        max_length=200,
        help_text=_("Road, stop or village, and the school the students were going to."),
    )


def _seen_at():
    return forms.DateTimeField(
        label=_("When it was seen"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _plate():
    return forms.CharField(
        label=_("Vehicle plate"),
        max_length=12,
        required=False,
        help_text=_("As read, for example 渝B·12345; empty when it could not be read."),
    )


def _vehicle():
    return forms.CharField(
        label=_("Vehicle (kind, colour)"),
        max_length=100,
        required=False,
    )


def _students():
    return forms.IntegerField(
        label=_("Students seen on board"), min_value=0, max_value=200, required=False
    )


def _reached():
    return forms.IntegerField(label=_("Parents reached by notices"), min_value=0)


def _notices():
    return forms.IntegerField(label=_("Parent notices sent"), min_value=0)


def _handed_to():
    return forms.MultipleChoiceField(
        label=_("Handed to"), choices=Authority.choices, widget=forms.CheckboxSelectMultiple
    )


def _result():
    return forms.ChoiceField(label=_("Result"), choices=Result.choices)


def _validate(data: dict) -> dict:
    errors: dict = {}
    seen = data.get("seen_at")
    if seen and seen > timezone.now():
        errors["seen_at"] = _("It cannot have been seen in the future.")
        return errors
    received = data.get("received_at")
    if seen and received and seen > received:
        errors["seen_at"] = _("It cannot have been seen after the report was received.")
    return errors


def _hand_over_fields(case, user):
    return {
        "handed_to": _handed_to(),
        "handed_on": DateField(
            label=_("Handed over on"),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        ),
        "receipt": forms.CharField(
            label=_("Their reference"),
            max_length=60,
            required=False,
            help_text=_("The number the police or transport authority gave, if any."),
        ),
    }


def _hand_over_change(case, data, user) -> list[str]:
    if data["handed_on"] < timezone.localtime(case.received_at).date():
        raise CaseError(_("It cannot have been handed over before it was reported."))
    case.details = {
        **case.details,
        "handed_to": list(data["handed_to"]),
        "handed_on": data["handed_on"].isoformat(),
        "receipt": data.get("receipt", "").strip(),
    }
    return ["details"]


def _notify_fields(case, user):
    return {
        "sent_on": DateField(
            label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        ),
        "channel": forms.ChoiceField(label=_("How it was sent"), choices=NoticeChannel.choices),
        "reached": forms.IntegerField(label=_("Parents reached"), min_value=1, max_value=100_000),
        # The notice's text is the step's note: the chronology shows it.
        "note": forms.CharField(
            label=_("Text of the notice"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
        ),
    }


def _notify_change(case, data, user) -> list[str]:
    sent_on = data["sent_on"]
    if sent_on > timezone.localdate():
        raise CaseError(_("A notice cannot be sent in the future."))
    if sent_on < timezone.localtime(case.received_at).date():
        raise CaseError(_("A notice about this report cannot be sent before the report."))
    sent = [
        *case.details.get("parent_notices", []),
        {"on": sent_on.isoformat(), "channel": data["channel"], "reached": data["reached"]},
    ]
    case.details = {
        **case.details,
        "parent_notices": sent,
        "notices": len(sent),
        "parents_reached": sum(int(n["reached"]) for n in sent),
    }
    return ["details"]


def _close_change(case, data, user) -> list[str]:
    case.details = {**case.details, "result": data["result"]}
    return ["details"]


WORKFLOW = Workflow(
    code="cases.transport",
    model="cases.Case",
    noun=_("illegal school transport report"),
    states=State,
    initial=S.REPORTED,
    clocks=(Clock("verify", plan_hours(VERIFY_HOURS, from_receipt=True), label=_("Verified by")),),
    starts=("verify",),
    steps={"created": _("Report received"), "viewed": _("Viewed")},
    transitions=(
        Transition("assign", _("Hand it to someone"), source=OPEN, target=None, allowed=may_route),
        Transition(
            "verify",
            _("Verified as reported"),
            source=[S.REPORTED],
            target=S.VERIFIED,
            allowed=may_route,
            stops="verify",
            note_required=True,
        ),
        Transition(
            "hand_over",
            _("Hand to police and transport"),
            source=[S.VERIFIED],
            target=S.HANDED_OVER,
            allowed=may_route,
        ),
        Transition(
            "notify_parents",
            _("Parent notice sent"),
            source=OPEN,
            target=None,
            allowed=may_route,
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
            "close",
            _("Close"),
            source=OPEN,
            target=S.CLOSED,
            allowed=may_route,
            stops="verify",
            note_required=True,
        ),
    ),
)

TRANSPORT = register_type(
    CaseType(
        code="transport",
        noun=_("illegal school transport report"),
        prefix="HC",
        workflow=WORKFLOW,
        confidential=False,
        channels=Source,
        register_perm="cases.register",
        org_kinds=("school", "centre", "bureau"),
        fields=(
            Field("place", _place, private=False),
            Field("seen_at", _seen_at, private=False),
            Field("plate", _plate, private=False),
            Field("vehicle", _vehicle, private=False),
            Field("students", _students, private=False),
            Field("handed_to", _handed_to, private=False, register=False),
            Field("notices", _notices, private=False, register=False),
            Field("parents_reached", _reached, private=False, register=False),
            Field("result", _result, private=False, register=False),
        ),
        subject_label=_("What was seen, in one line"),
        content_label=_("What was seen"),
        people_label=_("Reporter"),
        validate=_validate,
        steps={
            "assign": steps.ASSIGN,
            "hand_over": Step(fields=_hand_over_fields, change=_hand_over_change),
            "notify_parents": Step(fields=_notify_fields, change=_notify_change),
            "close": Step(fields={"result": _result}, change=_close_change),
            "urge": steps.URGE,
        },
        closed_states=(S.CLOSED,),
    )
)
