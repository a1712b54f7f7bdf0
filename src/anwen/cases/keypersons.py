"""Key persons around a campus (重点人员, PC1.5), declared: a confidential record a school keeps
of a person whose behaviour may endanger its students (a person with a mental illness who has
threatened the school, an extreme petitioner, a person released from prison …), reviewed on
the plan's rhythm and shared with the police by an explicit step.

    watched ─review→ watched (the review clock runs again)
       │ share_police: a named officer of the district's police agency becomes a handler
       │ police_feedback: what the police did (a handler's note)
       └ close → closed ─reopen→ watched

Who reads what: the school's named handlers, and from the sharing on the officer named in
it, read the whole record (the police cannot act on a person they may not name). Sharing
grants that one officer by name, not the agency as an org: a grant to the org would let all
its users see that the record exists, and an org grant never makes a handler anyway
(`who.is_handler` reads user grants only). The officer adds the police's feedback; reviewing,
re-sharing, closing and reopening stay with the school's handlers."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import PlanRule
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.scope import ancestor_ids, has_perm, paths_q
from anwen.workflow.engine import Clock, Transition, Workflow
from anwen.workflow.grants import grant

from . import notices, steps
from .clocks import plan_days
from .types import CaseType, Field, Step, register_type
from .who import GRANTS, HANDLER, forget, is_handler, may_supervise

User = get_user_model()

REVIEW = PlanRule(
    "cases.keyperson_review",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days between two reviews of a key person around a campus"),
    help_text=_("Counted from the registration and from each review."),
)
RULES = [REVIEW]


class State(models.TextChoices):
    WATCHED = "watched", _("Under watch")
    CLOSED = "closed", _("Off the list")


class Category(models.TextChoices):
    MENTAL = "mental", _("Mental illness with a risk of harm")
    RELEASED = "released", _("Released from prison or community correction")
    PETITIONER = "petitioner", _("Extreme or persistent petitioner")
    DRUGS = "drugs", _("Drug user")
    GRUDGE = "grudge", _("Grudge against the school or society")
    OTHER = "other", _("Other")


class Risk(models.TextChoices):
    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


S = State


def school_handler(user, case) -> bool:
    """A named handler on the school's side (not the police officer it was shared with)."""
    return is_handler(user, case) and has_perm(user, "cases.handle", case.org)


# --- sharing with the police (also the clue's hand-over) ---------------------------------------


def police_choices(case) -> list[tuple[str, str]]:
    """The officers of the police agencies in the case's district: the people holding a role
    in an agency org under the district's bureau."""
    district = Org.objects.filter(pk=ancestor_ids(case.org)[0]).first()
    if district is None:
        return []
    rows = (
        RoleAssignment.objects.filter(
            paths_q([district.path], "org"),
            org__kind=OrgKind.AGENCY,
            org__is_active=True,
            user__is_active=True,
        )
        .select_related("user", "org")
        .order_by("org__path", "user__username")
    )
    seen: dict[int, tuple[str, str]] = {}
    for ra in rows:
        if ra.user_id not in seen:
            name = ra.user.display_name or ra.user.username
            seen[ra.user_id] = (str(ra.user_id), f"{name} — {ra.org.name}")
    return list(seen.values())


def _officer_field(case, user):
    return {
        "officer": forms.ChoiceField(
            label=_("Police officer"),
            choices=[("", "—"), *police_choices(case)],
            help_text=_("Only this officer reads the record; the agency's other users do not."),
        )
    }


def _share_after(case, data, user, event) -> None:
    officer = User.objects.get(pk=int(data["officer"]))
    grant(record_type=GRANTS, record_id=case.pk, user=officer, reason=HANDLER)
    forget(user)
    notices.tell(case, "shared", [officer], event)


SHARE_POLICE = Step(fields=_officer_field, after=_share_after)


def _risk_field():
    return forms.ChoiceField(label=_("Risk"), choices=Risk.choices)


def _review_fields(case, user):
    return {"risk": forms.ChoiceField(label=_("Risk now"), choices=Risk.choices)}


def _review_change(case, data, user) -> list[str]:
    case.details = {**case.details, "risk": data["risk"]}
    return ["details"]


def _category_field():
    return forms.ChoiceField(label=_("Category"), choices=Category.choices)


def _address_field():
    return forms.CharField(label=_("Where the person lives or is seen"), max_length=200)


def _relation_field():
    return forms.CharField(
        label=_("Connection to the campus"),
        max_length=200,
        required=False,
        help_text=_("A parent of a student, a neighbour, a former employee …"),
    )


WORKFLOW = Workflow(
    code="cases.keyperson",
    model="cases.Case",
    noun=_("key person record"),
    states=State,
    initial=S.WATCHED,
    clocks=(Clock("review", plan_days(REVIEW), label=_("Next review by")),),
    starts=("review",),
    steps={"created": _("Put on the list"), "viewed": _("Viewed")},
    transitions=(
        Transition(
            "review",
            _("Review (定期研判)"),
            source=[S.WATCHED],
            target=None,
            allowed=school_handler,
            stops="review",
            starts="review",
            note_required=True,
        ),
        Transition(
            "share_police",
            _("Share with the police"),
            source=[S.WATCHED],
            target=None,
            allowed=school_handler,
        ),
        Transition(
            "police_feedback",
            _("Police feedback"),
            source=[S.WATCHED],
            target=None,
            allowed=is_handler,
            note_required=True,
        ),
        Transition(
            "urge",
            _("Urge (督办)"),
            source=[S.WATCHED],
            target=None,
            allowed=may_supervise,
            note_required=True,
        ),
        Transition(
            "close",
            _("Take off the list"),
            source=[S.WATCHED],
            target=S.CLOSED,
            allowed=school_handler,
            stops="review",
            note_required=True,
            danger=True,
        ),
        Transition(
            "reopen",
            _("Put on the list again"),
            source=[S.CLOSED],
            target=S.WATCHED,
            allowed=school_handler,
            starts="review",
            note_required=True,
        ),
    ),
)

KEYPERSON = register_type(
    CaseType(
        code="keyperson",
        noun=_("key person record"),
        prefix="ZD",
        workflow=WORKFLOW,
        confidential=True,
        register_perm="cases.register",
        org_kinds=("school",),
        fields=(
            Field("category", _category_field, private=False),
            Field("risk", _risk_field, private=False),
            Field("address", _address_field),
            Field("relation", _relation_field),
        ),
        subject_label=_("Summary (who, in a few words)"),
        content_label=_("What is known: behaviour, threats, incidents"),
        people_label=_("Key person"),
        steps={
            "review": Step(fields=_review_fields, change=_review_change),
            "share_police": SHARE_POLICE,
            "urge": steps.URGE,
        },
        closed_states=(S.CLOSED,),
    )
)
