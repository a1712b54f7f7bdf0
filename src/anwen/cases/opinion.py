"""The public-opinion item (舆情), declared (PS3.2): a post or report about a school found on a
platform, logged with where it was seen and a summary, assessed (its level), answered (the
response given) and closed.

    logged ─assess→ assessed ─answer→ answered ─close→ closed

Two clocks in hours from the yearly plan: the assessment is due within N hours of the item
being found, the response within M hours of the assessment. A major item tells the
supervisors at once."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.obligations.plans import IntegerType, PlanRule
from anwen.workflow.engine import Clock, Transition, Workflow

from . import notices, steps
from .clocks import plan_hours
from .types import CaseType, Field, Step, register_type
from .who import may_route, may_supervise


class Platform(models.TextChoices):
    WEIBO = "weibo", _("Weibo")
    WECHAT = "wechat", _("WeChat")
    DOUYIN = "douyin", _("Douyin or another video platform")
    NEWS = "news", _("News site")
    FORUM = "forum", _("Forum or message board")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    GENERAL = "general", pgettext_lazy("opinion level", "General")
    SIGNIFICANT = "significant", _("Significant")
    MAJOR = "major", pgettext_lazy("opinion level", "Major")


class State(models.TextChoices):
    LOGGED = "logged", _("Logged")
    ASSESSED = "assessed", _("Assessed")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")


S = State
OPEN = [S.LOGGED, S.ASSESSED, S.ANSWERED]

ASSESS_HOURS = PlanRule(
    "cases.opinion_assess_hours",
    2,
    type=IntegerType(1, 720),
    label=_("Hours to assess a public-opinion item"),
    help_text=_("Counted from the moment it was found."),
)
ANSWER_HOURS = PlanRule(
    "cases.opinion_answer_hours",
    24,
    type=IntegerType(1, 720),
    label=_("Hours to answer a public-opinion item"),
    help_text=_("Counted from its assessment."),
)
RULES = [ASSESS_HOURS, ANSWER_HOURS]


CLOCKS = (
    Clock(
        "assess",
        plan_hours(ASSESS_HOURS, from_receipt=True),
        label=_("Assessed by"),
    ),
    Clock("answer", plan_hours(ANSWER_HOURS), label=_("Answered by")),
)

WORKFLOW = Workflow(
    code="cases.opinion",
    model="cases.Case",
    noun=_("public-opinion item"),
    states=State,
    initial=S.LOGGED,
    clocks=CLOCKS,
    starts=("assess",),
    steps={"created": _("Logged")},
    transitions=(
        Transition(
            "assign",
            _("Hand it to someone"),
            source=OPEN,
            target=None,
            allowed=may_route,
        ),
        Transition(
            "assess",
            _("Assess"),
            source=[S.LOGGED],
            target=S.ASSESSED,
            allowed=may_route,
            stops="assess",
            starts="answer",
        ),
        Transition(
            "answer",
            _("Answer (回应)"),
            source=[S.ASSESSED],
            target=S.ANSWERED,
            allowed=may_route,
            stops="answer",
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
            source=[S.ANSWERED],
            target=S.CLOSED,
            allowed=may_route,
        ),
    ),
)


def _link():
    return forms.CharField(
        label=_("Link or where it was seen"),
        max_length=500,
        required=False,
        help_text=_("The address of the post as text; it is not opened from here."),
    )


def _level():
    return forms.ChoiceField(label=_("Assessed level"), choices=Level.choices)


def _response():
    return forms.CharField(
        label=_("Response"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was answered, where and by whom."),
    )


def _assess_change(case, data, user) -> list[str]:
    case.details = {**case.details, "level": data["level"]}
    return ["details"]


def _assess_after(case, data, user, event) -> None:
    if data["level"] == Level.MAJOR:
        notices.tell(case, "alarm", notices.handlers(case) + notices.supervisors(case), event)


def _answer_change(case, data, user) -> list[str]:
    case.details = {**case.details, "response": data["response"]}
    return ["details"]


OPINION = register_type(
    CaseType(
        code="opinion",
        noun=_("public-opinion item"),
        prefix="YQ",
        workflow=WORKFLOW,
        confidential=False,
        channels=Platform,
        register_perm="cases.register",
        org_kinds=("bureau", "centre", "school"),
        fields=(
            Field("link", _link, private=False),
            Field("level", _level, private=False, register=False),
            Field("response", _response, private=False, register=False),
        ),
        subject_label=_("Headline or topic"),
        content_label=_("Summary of the item"),
        steps={
            "assign": steps.ASSIGN,
            "assess": Step(fields={"level": _level}, change=_assess_change, after=_assess_after),
            "answer": Step(fields={"response": _response}, change=_answer_change),
            "urge": steps.URGE,
        },
        closed_states=(S.CLOSED,),
    )
)
