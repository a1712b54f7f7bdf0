"""Care records (PC4 rosters of vulnerable students, PC1.4 psychological attention and care),
declared: one confidential record per person on a school's roster — a left-behind child
(留守儿童), a migrant child (随迁子女), a child of a single parent, of a family in hardship, a
student or a member of staff under psychological attention — whose steps are the care actions
taken, with a follow-up due on the plan's rhythm (shorter under close attention).

    on_roster ─care_action→ on_roster (the follow-up clock runs again)
        │ attention: routine / close (the next follow-up counted by the new level)
        │ add_carer: a class teacher or counsellor named to the record
        └ close → off_roster ─reopen→ on_roster

The roster is the list of a school's care records: its named carers read the names; anyone
else who supervises the school sees how many there are, in which group and how late their
follow-ups are — never who is on it. A record rather than a case with legal clocks, but the
case engine gives it what it needs: grants by name, the confidential face, the chronology of
actions, the audit of every view."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.forms import DateField
from anwen.obligations.plans import PlanRule, rule
from anwen.orgs.models import RoleAssignment
from anwen.workflow import moment
from anwen.workflow.engine import Clock, Transition, Workflow
from anwen.workflow.grants import grant

from . import notices, steps
from .services import CaseError
from .types import CaseType, Field, Step, register_type
from .who import GRANTS, HANDLER, forget, is_handler, may_supervise

User = get_user_model()

FOLLOW_UP = PlanRule(
    "cases.care_follow_up",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days between two care actions for a student or staff member on the roster"),
    help_text=_("Counted from the registration and from each care action."),
)
FOLLOW_UP_CLOSE = PlanRule(
    "cases.care_follow_up_close",
    calendar.DeadlineRule(7, "calendar"),
    label=_("Days between two care actions under close attention"),
)
RULES = [FOLLOW_UP, FOLLOW_UP_CLOSE]


class State(models.TextChoices):
    ON_ROSTER = "on_roster", _("On the roster")
    OFF_ROSTER = "off_roster", _("Off the roster")


class Group(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("Left-behind child (留守儿童)")
    MIGRANT = "migrant", _("Migrant child (随迁子女)")
    SINGLE_PARENT = "single_parent", _("Child of a single parent (单亲)")
    HARDSHIP = "hardship", _("Family in hardship (困难家庭)")
    DISABILITY = "disability", _("Student with a disability")
    PSYCH_STUDENT = "psych_student", _("Psychological attention: student")
    PSYCH_STAFF = "psych_staff", _("Psychological attention: staff member")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    ROUTINE = "routine", _("Routine attention")
    CLOSE = "close", _("Close attention (重点关注)")


class Action(models.TextChoices):
    TALK = "talk", _("Talk (谈心谈话)")
    HOME_VISIT = "home_visit", _("Home visit (家访)")
    COUNSELLING = "counselling", _("Counselling session")
    AID = "aid", _("Material or financial aid")
    STUDY = "study", _("Study help")
    REFERRAL = "referral", _("Referred to a professional or hospital")
    OTHER = "other", _("Other")


S = State


def _due(case, start):
    """The next follow-up, counted by the record's level of attention."""
    day = timezone.localtime(start).date()
    declaration = FOLLOW_UP_CLOSE if case.details.get("level") == Level.CLOSE else FOLLOW_UP
    return calendar.due(day, rule(declaration, org=case.org, on=day), org=case.org)


def _action_fields(case, user):
    return {
        "action": forms.ChoiceField(label=_("Care action"), choices=Action.choices),
        "on": DateField(
            label=_("Date"),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        ),
    }


def _action_change(case, data, user) -> list[str]:
    """The actions taken, kept with the confidential face (what was done for whom)."""
    if data["on"] > moment.today():
        raise CaseError(_("The date lies in the future."), field="on")
    taken = [
        *case.private.get("actions", []),
        {"on": data["on"].isoformat(), "kind": data["action"]},
    ]
    case.private = {**case.private, "actions": taken}
    return ["private"]


def _level_fields(case, user):
    return {"level": forms.ChoiceField(label=_("Attention now"), choices=Level.choices)}


def _level_change(case, data, user) -> list[str]:
    case.details = {**case.details, "level": data["level"]}
    return ["details"]


def _carer_choices(case) -> list[tuple[str, str]]:
    """Anyone working at the school (a class teacher, the counsellor), not only its
    case handlers."""
    rows = (
        RoleAssignment.objects.filter(org=case.org, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    seen: dict[int, tuple[str, str]] = {}
    for ra in rows:
        seen.setdefault(ra.user_id, (str(ra.user_id), ra.user.display_name or ra.user.username))
    return list(seen.values())


def _carer_fields(case, user):
    return {
        "carer": forms.ChoiceField(
            label=_("Carer"),
            choices=[("", "—"), *_carer_choices(case)],
            help_text=_("They read the record and note their care actions."),
        )
    }


def _carer_after(case, data, user, event) -> None:
    carer = User.objects.get(pk=int(data["carer"]))
    grant(record_type=GRANTS, record_id=case.pk, user=carer, reason=HANDLER)
    forget(user)
    notices.tell(case, "assigned", [carer], event)


WORKFLOW = Workflow(
    code="cases.care",
    model="cases.Case",
    noun=_("care record"),
    states=State,
    initial=S.ON_ROSTER,
    clocks=(Clock("follow_up", _due, label=_("Next care action due by")),),
    starts=("follow_up",),
    steps={"created": _("Put on the roster"), "viewed": _("Viewed")},
    transitions=(
        Transition(
            "care_action",
            _("Care action taken"),
            source=[S.ON_ROSTER],
            target=None,
            allowed=is_handler,
            stops="follow_up",
            starts="follow_up",
            note_required=True,
        ),
        Transition(
            "attention",
            _("Change the level of attention"),
            source=[S.ON_ROSTER],
            target=None,
            allowed=is_handler,
            stops="follow_up",
            starts="follow_up",
            note_required=True,
        ),
        Transition(
            "add_carer",
            _("Name a carer"),
            source=[S.ON_ROSTER],
            target=None,
            allowed=is_handler,
        ),
        Transition(
            "urge",
            _("Urge (督办)"),
            source=[S.ON_ROSTER],
            target=None,
            allowed=may_supervise,
            note_required=True,
        ),
        Transition(
            "close",
            _("Take off the roster"),
            source=[S.ON_ROSTER],
            target=S.OFF_ROSTER,
            allowed=is_handler,
            stops="follow_up",
            note_required=True,
            danger=True,
        ),
        Transition(
            "reopen",
            _("Put on the roster again"),
            source=[S.OFF_ROSTER],
            target=S.ON_ROSTER,
            allowed=is_handler,
            starts="follow_up",
            note_required=True,
        ),
    ),
)


def _group_field():
    return forms.ChoiceField(label=_("Group"), choices=Group.choices)


def _level_field():
    return forms.ChoiceField(label=_("Attention"), choices=Level.choices, initial=Level.ROUTINE)


def _class_field():
    return forms.CharField(
        label=_("Class or post"), max_length=100, help_text=_("Grade and class, or staff post.")
    )


CARE = register_type(
    CaseType(
        code="care",
        noun=_("care record"),
        prefix="GA",
        workflow=WORKFLOW,
        confidential=True,
        register_perm="cases.register",
        org_kinds=("school",),
        fields=(
            Field("group", _group_field, private=False),
            Field("level", _level_field, private=False),
            Field("class", _class_field),
        ),
        subject_label=_("Student or staff member (name)"),
        content_label=_("Circumstances and needs"),
        people_label=_("Guardian or contact"),
        steps={
            "care_action": Step(fields=_action_fields, change=_action_change),
            "attention": Step(fields=_level_fields, change=_level_change),
            "add_carer": Step(fields=_carer_fields, after=_carer_after),
            "urge": steps.URGE,
        },
        closed_states=(S.OFF_ROSTER,),
    )
)
