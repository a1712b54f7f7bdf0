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
from anwen.workflow.models import Timer

from . import notices
from .models import Outcome
from .types import Step, type_of
from .who import GRANTS, HANDLER, forget, is_handler, may_approve

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


# --- an extension: asked by the handler, approved (or refused) by a leader -------------------
# The ask waits in `case.details["extension_asked"]` ({"days", "reason"}) until a leader
# decides: the leader's inbox lists it (cases/todo.py) and the case page shows it to anyone
# who sees the case, since whoever approves may not be a named handler reading the file.
ASKED = "extension_asked"


def extendable(case, clock: str) -> bool:
    """The clock runs and was never extended: the plan allows one extension."""
    return Timer.objects.filter(
        record_type=type_of(case).workflow.code,
        record_id=case.pk,
        name=clock,
        stopped_at__isnull=True,
        extended_days=0,
    ).exists()


def may_ask_extension(clock: str):
    """A named handler asks, once, while the clock may still be extended; a leader who may
    approve extends without asking anyone."""

    def allowed(user, case) -> bool:
        return (
            is_handler(user, case)
            and not may_approve(user, case)
            and ASKED not in case.details
            and extendable(case, clock)
        )

    return allowed


def may_extend(clock: str):
    """A leader extends while the clock may still be extended (once), asked or not."""
    return lambda user, case: may_approve(user, case) and extendable(case, clock)


def may_decide_extension(user, case) -> bool:
    return may_approve(user, case) and ASKED in case.details


def _most_days(case) -> int:
    workflow = type_of(case).workflow
    extension = next(c.extension for c in workflow.clocks if c.extension is not None)
    return extension(case).days


def _ask_extension_fields(case, user):
    return {
        "days": forms.IntegerField(
            label=_("Days of extension asked"),
            min_value=1,
            max_value=_most_days(case),
            help_text=_("At most %(n)d days, once.") % {"n": _most_days(case)},
        ),
        # The step's note is the reason (one text box, not a reason and a note): kept in the
        # chronology like every note, and on the case's face for the leader to decide on.
        "note": forms.CharField(
            label=_("Why more time is needed"),
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "The leader who decides may not read the file: say why without naming the writer."
            ),
        ),
    }


def _ask_extension_change(case, data, user) -> list[str]:
    reason = " ".join(str(data.get("note", "")).split())
    case.details = {**case.details, ASKED: {"days": data["days"], "reason": reason}}
    return ["details"]


def _ask_extension_after(case, data, user, event) -> None:
    notices.tell(case, "extension_asked", notices.approvers(case), event)


ASK_EXTENSION = Step(
    fields=_ask_extension_fields, change=_ask_extension_change, after=_ask_extension_after
)


def _extend_fields(case, user):
    asked = case.details.get(ASKED) or {}
    return {
        "days": forms.IntegerField(
            label=_("Days of extension"),
            min_value=1,
            max_value=366,
            initial=asked.get("days"),
            help_text=_("At most the plan's limit, once; the writer is told why."),
        )
    }


def _decided_change(case, data, user) -> list[str]:
    if ASKED not in case.details:
        return []
    case.details = {k: v for k, v in case.details.items() if k != ASKED}
    return ["details"]


def _told(what: str):
    def after(case, data, user, event) -> None:
        notices.tell(case, what, [u for u in notices.handlers(case) if u.pk != user.pk], event)

    return after


EXTEND = Step(fields=_extend_fields, change=_decided_change, after=_told("extension_granted"))
REFUSE_EXTENSION = Step(change=_decided_change, after=_told("extension_refused"))


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
