"""The threat against teachers or students (扬言侵害师生), declared (PS3.3): urgent, so its
registration tells the handlers and the supervisors at once; someone responsible for the
place must acknowledge it within the plan's hours, or it climbs a ladder — the centre, then
the bureau's leaders — one rung each time the plan's interval passes without an
acknowledgement (`escalate_unacknowledged`, run by the periodic job `tasks.py`).

    reported ─acknowledge→ acknowledged ─resolve→ resolved
       report_police, urge, take_charge: steps that keep the stage

Confidential: who was threatened and who threatened, and what was said, are read by the
named handlers only (the one who registered it, the one who acknowledged it, the leader in
charge); the others see that it exists, its stage and its clocks."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import IntegerType, PlanRule, Rules
from anwen.orgs.models import Org, RoleAssignment
from anwen.orgs.roles import ROLES
from anwen.workflow import engine
from anwen.workflow.engine import Clock, Transition, Workflow
from anwen.workflow.grants import grant
from anwen.workflow.models import Timer

from . import notices, steps
from .clocks import plan_hours
from .models import Case
from .types import CaseType, Field, Step, register_type
from .who import GRANTS, HANDLER, forget, may_handle, may_lead, may_register, may_supervise


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Said in person")
    PHONE = "phone", _("Phone call")
    ONLINE = "online", _("Online or text message")
    REPORTED = "reported", _("Reported by someone else")


class Target(models.TextChoices):
    TEACHER = "teacher", _("A teacher or staff")
    STUDENT = "student", _("A student")
    BOTH = "both", _("Teachers and students")


class State(models.TextChoices):
    REPORTED = "reported", _("Reported, waiting to be acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged, being handled")
    RESOLVED = "resolved", _("Resolved")


S = State
OPEN = [S.REPORTED, S.ACKNOWLEDGED]

ACKNOWLEDGE_HOURS = PlanRule(
    "cases.threat_acknowledge_hours",
    1,
    type=IntegerType(1, 72),
    label=_("Hours to acknowledge a threat against teachers or students"),
    help_text=_("Counted from its registration; then it is escalated."),
)
ESCALATE_HOURS = PlanRule(
    "cases.threat_escalate_hours",
    1,
    type=IntegerType(1, 72),
    label=_("Hours between escalation steps of an unacknowledged threat"),
    help_text=_("Not acknowledged in time: the centre is told, then the bureau's leaders."),
)
RULES = [ACKNOWLEDGE_HOURS, ESCALATE_HOURS]


def may_acknowledge(user, case) -> bool:
    """Someone responsible for the place (its people who register and handle cases, those
    above, the supervisors and leaders), not the person who reported it: an acknowledgement
    says that someone else has taken it up."""
    if not getattr(user, "is_authenticated", False) or user.pk == case.created_by_id:
        return False
    # Taking a threat up is meant for whoever is responsible there, handler or not (it grants).
    return may_register(user, case) or may_handle(user, case) or may_supervise(user, case)


WORKFLOW = Workflow(
    code="cases.threat",
    model="cases.Case",
    noun=_("threat against teachers or students"),
    states=State,
    initial=S.REPORTED,
    clocks=(
        Clock("acknowledge", plan_hours(ACKNOWLEDGE_HOURS), label=_("Acknowledgement due by")),
    ),
    starts=("acknowledge",),
    steps={
        "created": _("Reported and registered; everyone concerned alerted"),
        "escalated": _("Escalated: not acknowledged in time"),
    },
    transitions=(
        Transition(
            "acknowledge",
            _("Acknowledge and take it up"),
            source=[S.REPORTED],
            target=S.ACKNOWLEDGED,
            allowed=may_acknowledge,
            stops="acknowledge",
        ),
        Transition(
            "report_police",
            _("Reported to the police (报警)"),
            source=OPEN,
            target=None,
            allowed=may_handle,
        ),
        Transition(
            "alarm",
            _("Alert everyone concerned again"),
            source=OPEN,
            target=None,
            allowed=may_handle,
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
            "resolve",
            _("Resolved"),
            source=[S.ACKNOWLEDGED],
            target=S.RESOLVED,
            allowed=may_handle,
            note_required=True,
        ),
    ),
)


def _target():
    return forms.ChoiceField(label=_("Who is threatened"), choices=Target.choices)


def _threatener():
    return forms.CharField(
        label=_("Who threatened"),
        max_length=120,
        required=False,
        help_text=_("Name and relation to the school, if known. Only the handlers see it."),
    )


def _police_reference():
    return forms.CharField(
        label=_("Police station and receipt number"),
        max_length=120,
        required=False,
    )


def _acknowledge_after(case, data, user, event) -> None:
    """Who acknowledges takes it up: a named handler from now on, who reads it."""
    grant(record_type=GRANTS, record_id=case.pk, user=user, reason=HANDLER)
    forget(user)


def _police_change(case, data, user) -> list[str]:
    case.details = {**case.details, "police_reported": True}
    if data.get("police_reference"):
        case.private = {**case.private, "police_reference": data["police_reference"]}
    return ["details", "private"]


THREAT = register_type(
    CaseType(
        code="threat",
        noun=_("threat against teachers or students"),
        prefix="YY",
        workflow=WORKFLOW,
        confidential=True,
        urgent=True,
        channels=Channel,
        register_perm="cases.register",
        org_kinds=("school", "centre", "bureau"),
        fields=(
            Field("target", _target, private=False),
            Field("threatener", _threatener, private=True),
            Field(
                "police_reported",
                lambda: forms.BooleanField(label=_("Reported to the police"), required=False),
                private=False,
                register=False,
            ),
            Field("police_reference", _police_reference, private=True, register=False),
        ),
        subject_label=_("The threat in a few words"),
        content_label=_("What was said or done, where and when"),
        people_label=_("Person threatened"),
        steps={
            "acknowledge": Step(after=_acknowledge_after),
            "report_police": Step(
                fields={"police_reference": _police_reference}, change=_police_change
            ),
            "alarm": steps.ALARM,
            "urge": steps.URGE,
            "take_charge": steps.TAKE_CHARGE,
        },
        closed_states=(S.RESOLVED,),
    )
)


# --- escalation of a threat nobody acknowledged ----------------------------------------------


def _holders(orgs: list[Org], perm: str) -> list:
    roles = [name for name, role in ROLES.items() if perm in role.perms]
    user_ids = RoleAssignment.objects.filter(
        org__in=orgs, role__in=roles, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))


def _chain(case: Case) -> list[Org]:
    """The case's org and those above it, nearest first."""
    ids = [int(part) for part in case.org.path.split("/") if part]
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=ids)}
    return [orgs[pk] for pk in reversed(ids) if pk in orgs]


def _centre_people(case: Case) -> list:
    return _holders([o for o in _chain(case) if o.kind == "centre"][:1], "cases.handle")


def _bureau_leaders(case: Case) -> list:
    return _holders([o for o in _chain(case) if o.kind == "bureau"][:1], "cases.lead")


# The rungs, climbed one at a time: (the step's number in its event key, who is told).
LADDER = ((1, "centre", _centre_people), (2, "bureau", _bureau_leaders))


def escalate_step(case: Case, rung: int) -> bool:
    """Climb rung `rung` for `case` if it is still waiting for an acknowledgement: one event
    (keyed "escalate:<rung>", so it is written once per case whatever runs it, twice or at
    once) and its notices, in one transaction. Whether this call climbed it."""
    number, to, people = next(r for r in LADDER if r[0] == rung)
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update()
            .select_related("org")
            .filter(pk=case.pk, type=THREAT.code, state=S.REPORTED)
            .first()
        )
        if locked is None:
            return False
        recipients = people(locked)
        if not recipients:  # no centre above a bureau's own case: that rung is not there
            return False
        event = engine.note_step(
            WORKFLOW,
            locked,
            "escalated",
            data={"step": number, "to": to},
            key=f"escalate:{number}",
        )
        if event is None:
            return False
        notices.tell(
            locked,
            "unacknowledged",
            recipients,
            event,
            key=f"cases:{locked.pk}:unacknowledged:{number}",
        )
    return True


def escalate_unacknowledged(*, now=None) -> dict:
    """Every threat still waiting for its acknowledgement past the clock's moment climbs the
    rungs it is due for: the first when the clock runs out, the next each time the plan's
    interval passes again. Idempotent: each rung is written once per case."""
    now = now or timezone.now()
    late = Timer.objects.filter(
        record_type=WORKFLOW.code,
        name="acknowledge",
        stopped_at__isnull=True,
        paused_at__isnull=True,
        due_at__lte=now,
    )
    due_at = dict(late.values_list("record_id", "due_at"))
    cases = Case.objects.filter(
        pk__in=list(due_at), type=THREAT.code, state=S.REPORTED
    ).select_related("org")
    rules = Rules(on=timezone.localtime(now).date())
    escalated = 0
    for case in cases.order_by("pk"):
        every = timedelta(hours=rules.get(ESCALATE_HOURS, org=case.org))
        for number, _to, _people in LADDER:
            if now >= due_at[case.pk] + (number - 1) * every and escalate_step(case, number):
                escalated += 1
    return {"escalated": escalated}
