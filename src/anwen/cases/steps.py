"""The steps most case types share, as `Step` declarations: route to a handler, urge, reply
with an outcome, extend, hold for a hearing, take charge. A type's declaration picks them by
name; a type with a step of its own declares its own `Step` beside these."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from anwen.orgs.models import Org, RoleAssignment
from anwen.orgs.roles import ROLES
from anwen.orgs.scope import paths_q
from anwen.workflow.grants import grant

from . import notices
from .models import Outcome
from .types import Step
from .who import GRANTS, HANDLER, forget

User = get_user_model()

HANDLE_ROLES = [name for name, role in ROLES.items() if "cases.handle" in role.perms]


def handler_choices(case) -> list[tuple[str, str]]:
    """The people who may be named to handle the case: those holding a handling role in the
    case's org or below it (a department, a centre, a school), with where they sit."""
    rows = (
        RoleAssignment.objects.filter(
            paths_q([case.org.path], "org"),
            role__in=HANDLE_ROLES,
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
            seen[ra.user_id] = (f"{ra.user_id}:{ra.org_id}", f"{name} — {ra.org.name}")
    return list(seen.values())


def _handler_field(case, user):
    return {
        "handler": forms.ChoiceField(
            label=_("Hand it to"),
            choices=[("", "—"), *handler_choices(case)],
            help_text=_("The person now responsible for it (首接责任 passes to them)."),
        )
    }


def _assign_change(case, data, user) -> list[str]:
    user_id, org_id = (int(part) for part in data["handler"].split(":"))
    case.owner = User.objects.get(pk=user_id)
    case.handling_org = Org.objects.get(pk=org_id)
    return ["owner", "handling_org"]


def _assign_after(case, data, user, event) -> None:
    grant(record_type=GRANTS, record_id=case.pk, user=case.owner, reason=HANDLER)
    grant(record_type=GRANTS, record_id=case.pk, org=case.handling_org, reason="assigned")
    forget(user)
    notices.tell(case, "assigned", [case.owner], event)


ASSIGN = Step(fields=_handler_field, change=_assign_change, after=_assign_after)


def _reply_fields(case, user):
    return {
        "outcome": forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices),
        "reply": forms.CharField(
            label=_("Reply to the writer"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("What the writer is told: the facts found, the decision and its grounds."),
        ),
    }


def _reply_change(case, data, user) -> list[str]:
    case.outcome = data["outcome"]
    case.reply = data["reply"]
    return ["outcome", "reply"]


REPLY = Step(fields=_reply_fields, change=_reply_change)


def _explain_fields(case, user):
    return {
        "reply": forms.CharField(
            label=_("Explanation to the writer"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    }


def _explain_change(case, data, user) -> list[str]:
    case.reply = data["reply"]
    return ["reply"]


EXPLAIN = Step(fields=_explain_fields, change=_explain_change)


def _extend_fields(case, user):
    return {
        "days": forms.IntegerField(
            label=_("Days of extension"),
            min_value=1,
            max_value=366,
            help_text=_("At most the plan's limit; the writer is told why."),
        )
    }


EXTEND = Step(fields=_extend_fields)


def _urge_after(case, data, user, event) -> None:
    notices.tell(case, "urged", notices.handlers(case), event)


URGE = Step(after=_urge_after)


def _take_charge_change(case, data, user) -> list[str]:
    case.leader = user
    return ["leader"]


def _take_charge_after(case, data, user, event) -> None:
    grant(record_type=GRANTS, record_id=case.pk, user=user, reason=HANDLER)
    forget(user)


TAKE_CHARGE = Step(change=_take_charge_change, after=_take_charge_after)


def _alarm_after(case, data, user, event) -> None:
    """Everyone concerned at once: the handlers and those who supervise the case's org."""
    notices.tell(case, "alarm", notices.handlers(case) + notices.supervisors(case), event)


ALARM = Step(after=_alarm_after)


def _hand_back_change(case, data, user) -> list[str]:
    """An objection gives the case back to the office that first received it."""
    case.owner = case.first_receiver
    case.handling_org = None
    return ["owner", "handling_org"]


HAND_BACK = Step(change=_hand_back_change)
