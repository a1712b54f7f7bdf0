"""The petition (信访件), declared: its stages, who takes each step and the law's clocks
(信访工作条例 2022, numbers from the yearly plan — `rules.py`).

    received ─assign→ assigned ─accept→ handling ─reply→ replied ─archive→ archived
       │ accept ↗          │ object (not ours: back to the office)        │ request_review
       └ not_accept → not_accepted (explained)     reviewing ─review_reply→ reviewed …

The acceptance clock (15 days) and the objection clock (5 working days) start on receipt;
handling (60 days) on acceptance, extended once by a leader (at most 30 days, the writer told
why) and held while a hearing runs; the writer's 30 days to ask for a review start with the
reply, the review's own 30 days with the request — the same again for the second review."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.obligations.plans import rule
from anwen.workflow.engine import Clock, Transition, Workflow

from . import rules, steps
from .clocks import plan_days
from .types import CaseType, Field, register_type
from .who import is_owner, may_handle, may_lead, may_route, may_supervise


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    FAX = "fax", _("Fax")
    ONLINE = "online", _("Public write-in page")
    PLATFORM = "platform", _("Supervision platform (互联网+督查)")


class State(models.TextChoices):
    RECEIVED = "received", _("Signed and registered")
    ASSIGNED = "assigned", _("Assigned")
    HANDLING = "handling", _("Being verified and handled")
    REPLIED = "replied", _("Replied")
    REVIEWING = "reviewing", _("Under review")
    REVIEWED = "reviewed", _("Review answered")
    SECOND_REVIEW = "second_review", _("Under second review")
    FINAL = "final", _("Second review answered")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (explained)")
    ARCHIVED = "archived", _("Archived")


S = State
RULES = rules.RULES
OPEN = [S.RECEIVED, S.ASSIGNED, S.HANDLING, S.REVIEWING, S.SECOND_REVIEW]


def _extension(case):
    return rule(rules.EXTEND, org=case.org, on=timezone.localtime(case.received_at).date())


CLOCKS = (
    Clock("accept", plan_days(rules.ACCEPT, from_receipt=True), label=_("Acceptance decided by")),
    # A right of the body it was handed to, not a duty: when it passes nobody is late.
    Clock(
        "object",
        plan_days(rules.OBJECT, from_receipt=True),
        label=_("Objection possible until"),
        duty=False,
    ),
    Clock("handle", plan_days(rules.HANDLE), label=_("Handled by"), extension=_extension),
    Clock(
        "review_ask", plan_days(rules.REVIEW_ASK), label=_("Review may be asked until"), duty=False
    ),
    Clock("review", plan_days(rules.REVIEW), label=_("Review answered by")),
    Clock(
        "review2_ask",
        plan_days(rules.REVIEW_ASK),
        label=_("Second review may be asked until"),
        duty=False,
    ),
    Clock("review2", plan_days(rules.REVIEW), label=_("Second review answered by")),
)
RUNNING = ("handle", "review", "review2")


def _held(case) -> bool:
    from anwen.workflow.models import Timer

    return Timer.objects.filter(
        record_type="cases.petition",
        record_id=case.pk,
        name__in=RUNNING,
        stopped_at__isnull=True,
        paused_at__isnull=False,
    ).exists()


def _no_hearing_yet(user, case, data):
    return _("A hearing is already running.") if _held(case) else None


def _hearing_running(user, case, data):
    return None if _held(case) else _("No hearing is running.")


WORKFLOW = Workflow(
    code="cases.petition",
    model="cases.Case",
    noun=_("petition"),
    states=State,
    initial=S.RECEIVED,
    clocks=CLOCKS,
    starts=("accept", "object"),
    steps={"created": _("Signed and registered"), "viewed": _("Viewed")},
    transitions=(
        Transition(
            "assign",
            _("Assign (任务分办)"),
            source=[S.RECEIVED, S.ASSIGNED, S.HANDLING],
            target=S.ASSIGNED,
            allowed=may_route,
        ),
        Transition(
            "object",
            _("Object: not within our remit"),
            source=[S.ASSIGNED],
            target=S.RECEIVED,
            allowed=is_owner,
            stops="object",
            note_required=True,
            danger=True,
        ),
        Transition(
            "accept",
            _("Accept"),
            source=[S.RECEIVED, S.ASSIGNED],
            target=S.HANDLING,
            allowed=may_route,
            stops=("accept", "object"),
            starts="handle",
        ),
        Transition(
            "not_accept",
            _("Do not accept (explain)"),
            source=[S.RECEIVED, S.ASSIGNED],
            target=S.NOT_ACCEPTED,
            allowed=may_route,
            stops=("accept", "object"),
            danger=True,
        ),
        Transition(
            "ask_extension",
            _("Ask the leader for an extension"),
            source=[S.HANDLING],
            target=None,
            allowed=steps.may_ask_extension("handle"),
            note_required=True,  # the reason (the step's own note field)
        ),
        Transition(
            "refuse_extension",
            _("Refuse the extension asked for"),
            source=[S.HANDLING],
            target=None,
            allowed=steps.may_decide_extension,
            note_required=True,
            danger=True,
        ),
        Transition(
            "extend",
            _("Extend the handling (leader's approval)"),
            source=[S.HANDLING],
            target=None,
            allowed=steps.may_extend("handle"),
            extends="handle",
            note_required=True,
        ),
        Transition(
            "hearing_start",
            _("Hearing begins (time limit held)"),
            source=[S.HANDLING, S.REVIEWING, S.SECOND_REVIEW],
            target=None,
            # Offered only when it can be taken: one hearing at a time, an end to a running one.
            allowed=lambda user, case: may_handle(user, case) and not _held(case),
            requires=(_no_hearing_yet,),
            pauses=RUNNING,
        ),
        Transition(
            "hearing_end",
            _("Hearing ends (time limit runs again)"),
            source=[S.HANDLING, S.REVIEWING, S.SECOND_REVIEW],
            target=None,
            allowed=lambda user, case: may_handle(user, case) and _held(case),
            requires=(_hearing_running,),
            resumes=RUNNING,
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
            "take_charge",
            _("Take charge of the case (包案)"),
            source=OPEN,
            target=None,
            allowed=may_lead,
        ),
        Transition(
            "reply",
            _("Reply to the writer (情况反馈)"),
            source=[S.HANDLING],
            target=S.REPLIED,
            allowed=may_handle,
            stops="handle",
            starts="review_ask",
        ),
        Transition(
            "request_review",
            _("The writer asks for a review (复查)"),
            source=[S.REPLIED],
            target=S.REVIEWING,
            allowed=may_route,
            stops="review_ask",
            starts="review",
        ),
        Transition(
            "review_reply",
            _("Answer the review"),
            source=[S.REVIEWING],
            target=S.REVIEWED,
            allowed=may_handle,
            stops="review",
            starts="review2_ask",
        ),
        Transition(
            "request_second_review",
            _("The writer asks for a second review (复核)"),
            source=[S.REVIEWED],
            target=S.SECOND_REVIEW,
            allowed=may_route,
            stops="review2_ask",
            starts="review2",
        ),
        Transition(
            "second_reply",
            _("Answer the second review"),
            source=[S.SECOND_REVIEW],
            target=S.FINAL,
            allowed=may_handle,
            stops="review2",
        ),
        Transition(
            "archive",
            _("Archive (整理归档)"),
            source=[S.REPLIED, S.REVIEWED, S.FINAL, S.NOT_ACCEPTED],
            target=S.ARCHIVED,
            allowed=may_route,
            stops=("review_ask", "review2_ask"),
        ),
    ),
)


def _representatives():
    return forms.IntegerField(
        label=_("Representatives of a group visit"),
        min_value=1,
        max_value=5,
        required=False,
        help_text=_("A group visit sends at most 5 representatives."),
    )


def _validate(data: dict) -> dict:
    if data.get("channel") != Channel.VISIT and data.get("representatives"):
        return {"representatives": _("Only a visit has representatives.")}
    return {}


PETITION = register_type(
    CaseType(
        code="petition",
        noun=_("petition"),
        prefix="XF",
        workflow=WORKFLOW,
        confidential=True,
        channels=Channel,
        register_perm="cases.register",
        org_kinds=("bureau",),
        fields=(Field("representatives", _representatives, private=False),),
        subject_label=pgettext_lazy("case", "Subject"),
        content_label=_("What the writer asks"),
        people_label=_("Writer"),
        validate=_validate,
        steps={
            "assign": steps.ASSIGN,
            "object": steps.HAND_BACK,
            "not_accept": steps.EXPLAIN,
            "ask_extension": steps.ASK_EXTENSION,
            "refuse_extension": steps.REFUSE_EXTENSION,
            "extend": steps.EXTEND,
            "urge": steps.URGE,
            "take_charge": steps.TAKE_CHARGE,
            "reply": steps.REPLY,
            "review_reply": steps.REPLY,
            "second_reply": steps.REPLY,
        },
        public_stages={
            S.RECEIVED: pgettext_lazy("public stage", "Received"),
            S.ASSIGNED: pgettext_lazy("public stage", "Received"),
            S.HANDLING: _("Accepted, being handled"),
            S.REPLIED: _("Replied"),
            S.REVIEWING: _("Under review"),
            S.REVIEWED: _("Review answered"),
            S.SECOND_REVIEW: _("Under second review"),
            S.FINAL: _("Second review answered"),
            S.NOT_ACCEPTED: _("Not accepted"),
            S.ARCHIVED: _("Finished"),
        },
        closed_states=(S.NOT_ACCEPTED, S.ARCHIVED),
    )
)
