"""A bullying report (学生欺凌, PC4), declared: the school's bullying-governance body
(学生欺凌治理委员会) investigates within the plan's limit, determines (认定) whether it is
bullying — the determination approved by a holder of `cases.approve` at the school (the
principal), named to the body when the finding is recorded and told so — and the school
handles it (education, discipline, referral to the police; a serious case reported to the
bureau and the police, never hidden) and follows it up. The parents may appeal to the
county-level body (申诉/复查) within the plan's limit, answered within the plan's limit
(未成年人学校保护规定 2021; 加强中小学生欺凌综合治理方案 2017).

    reported ─investigate→ investigating ─findings→ proposed ─approve_bullying→ determined
        │ (the investigation clock runs from the report)   │ approve_not_bullying→ not_bullying
        │                                                  └ send_back → investigating
    determined ─measures→ handling ─follow_up→ following_up ─close→ closed
    determined, not_bullying, handling, following_up ─appeal→ appealed ─review_answer→ reviewed

Minors' identities are never disclosed: the victim, the students who bullied and the
reporter are the confidential face, read by the named members of the body only; what anyone
who supervises sees is the stage, the clocks and whether it was found to be bullying."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen import calendar
from anwen.obligations.plans import PlanRule
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.scope import ancestor_ids, paths_q
from anwen.workflow.engine import Clock, Transition, Workflow
from anwen.workflow.grants import grant

from . import notices, steps
from .clocks import plan_days
from .types import CaseType, Field, Step, register_type
from .who import GRANTS, HANDLER, forget, is_handler, may_approve, may_handle, may_supervise

User = get_user_model()

INVESTIGATE = PlanRule(
    "cases.bullying_investigate",
    calendar.DeadlineRule(10, "calendar"),
    label=_("Days for the bullying-governance body to investigate a report"),
    help_text=_("Counted from the day the report was received."),
)
APPEAL_ASK = PlanRule(
    "cases.bullying_appeal_ask",
    calendar.DeadlineRule(15, "calendar"),
    label=_("Days the parents have to appeal a bullying determination to the county"),
    help_text=_("Counted from the day the determination was approved."),
)
APPEAL = PlanRule(
    "cases.bullying_appeal",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days for the county-level body to answer an appeal (复查)"),
)
FOLLOW_UP = PlanRule(
    "cases.bullying_follow_up",
    calendar.DeadlineRule(30, "calendar"),
    label=_("Days of follow-up after a bullying case was handled"),
    help_text=_("The body checks on the students before it closes the case."),
)
RULES = [INVESTIGATE, APPEAL_ASK, APPEAL, FOLLOW_UP]


class Channel(models.TextChoices):
    STUDENT = "student", _("Told by a student")
    PARENT = "parent", _("Told by a parent")
    STAFF = "staff", _("Found by staff")
    HOTLINE = "hotline", _("Hotline or mailbox")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Being investigated")
    PROPOSED = "proposed", _("Finding awaits approval")
    DETERMINED = "determined", _("Determined: bullying")
    NOT_BULLYING = "not_bullying", _("Determined: not bullying")
    HANDLING = "handling", _("Being handled")
    FOLLOWING_UP = "following_up", _("Followed up")
    APPEALED = "appealed", _("Appealed to the county (复查)")
    REVIEWED = "reviewed", _("Appeal answered")
    CLOSED = "closed", _("Case closed")


class Finding(models.TextChoices):
    BULLYING = "bullying", _("Bullying")
    NOT_BULLYING = "not_bullying", _("Not bullying")


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    SERIOUS = "serious", _("Serious")


class Measure(models.TextChoices):
    EDUCATION = "education", _("Education (批评教育)")
    DISCIPLINE = "discipline", _("Discipline (纪律处分)")
    POLICE = "police", _("Referred to the police")
    COUNSELLING = "counselling", _("Counselling for the students")


S = State
OPEN = [
    S.REPORTED,
    S.INVESTIGATING,
    S.PROPOSED,
    S.DETERMINED,
    S.HANDLING,
    S.FOLLOWING_UP,
    S.APPEALED,
    S.REVIEWED,
]


def _approver(user, case) -> bool:
    """The body's approval: a member (a named handler) who holds `cases.approve` there."""
    return may_approve(user, case) and is_handler(user, case)


def _approves(finding: str):
    return lambda user, case: _approver(user, case) and case.details.get("finding") == finding


# --- the body's members, the county's reviewer -------------------------------------------------


def _member_choices(case) -> list[tuple[str, str]]:
    """The school's people with a case-handling role: who may sit on its governance body."""
    return [(v.split(":")[0], label) for v, label in steps.handler_choices(case)]


def _reviewer_choices(case) -> list[tuple[str, str]]:
    """The county-level body: the people handling cases at the district's bureau and its
    departments."""
    district = Org.objects.filter(pk=ancestor_ids(case.org)[0]).first()
    if district is None:
        return []
    rows = (
        RoleAssignment.objects.filter(
            paths_q([district.path], "org"),
            org__kind__in=[OrgKind.BUREAU, OrgKind.DEPARTMENT],
            org__is_active=True,
            user__is_active=True,
            role__in=steps.HANDLE_ROLES,
        )
        .select_related("user", "org")
        .order_by("org__path", "user__username")
    )
    seen: dict[int, tuple[str, str]] = {}
    for ra in rows:
        if ra.user_id not in seen:
            seen[ra.user_id] = (
                f"{ra.user_id}:{ra.org_id}",
                f"{ra.user.display_name or ra.user.username} — {ra.org.name}",
            )
    return list(seen.values())


def _person_field(name, label, choices, help_text=""):
    def fields(case, user):
        return {
            name: forms.ChoiceField(
                label=label, choices=[("", "—"), *choices(case)], help_text=help_text
            )
        }

    return fields


def _member_after(case, data, user, event) -> None:
    member = User.objects.get(pk=int(data["member"]))
    grant(record_type=GRANTS, record_id=case.pk, user=member, reason=HANDLER)
    forget(user)
    notices.tell(case, "assigned", [member], event)


ADD_MEMBER = Step(
    fields=_person_field(
        "member",
        _("Member of the governance body"),
        _member_choices,
        _(
            "They read the case and take its steps. The principal, who approves the finding, "
            "is named when the finding is recorded."
        ),
    ),
    after=_member_after,
)


def _appeal_change(case, data, user) -> list[str]:
    """The county-level body's reviewer owns the case while the appeal runs."""
    user_id, org_id = (int(part) for part in data["reviewer"].split(":"))
    case.owner = User.objects.get(pk=user_id)
    case.handling_org = Org.objects.get(pk=org_id)
    case.details = {**case.details, "appealed": True}
    return ["owner", "handling_org", "details"]


def _appeal_after(case, data, user, event) -> None:
    grant(record_type=GRANTS, record_id=case.pk, user=case.owner, reason=HANDLER)
    forget(user)
    notices.tell(case, "assigned", [case.owner], event)


APPEAL_STEP = Step(
    fields=_person_field("reviewer", _("Reviewer at the county-level body"), _reviewer_choices),
    change=_appeal_change,
    after=_appeal_after,
)


# --- the finding, the measures, the report to the bureau ---------------------------------------


def _findings_fields(case, user):
    return {
        "finding": forms.ChoiceField(label=_("The body finds"), choices=Finding.choices),
        "severity": forms.ChoiceField(label=_("Severity"), choices=Severity.choices),
        "facts": forms.CharField(
            label=_("Facts found"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Heard both sets of parents; what happened, where, how often."),
        ),
    }


def _findings_change(case, data, user) -> list[str]:
    case.details = {**case.details, "finding": data["finding"], "severity": data["severity"]}
    case.private = {**case.private, "facts": data["facts"]}
    return ["details", "private"]


def _school_approvers(case) -> list:
    """Who approves the body's finding: the school's principal (`cases.approve` at the school
    itself, not the bureau's leaders above it)."""
    return notices.approvers(case, here_only=True)


def _someone_approves(user, case, data):
    if _school_approvers(case):
        return None
    return _(
        "Nobody at the school may approve the finding: there is no principal's account. "
        "Ask the bureau to set one up, then record the finding."
    )


def _findings_after(case, data, user, event) -> None:
    """The finding goes to the principal to approve: named to the body (a handler, who reads
    the case) if not yet a member, and told, so the approval is in their inbox."""
    approvers = _school_approvers(case)
    for person in approvers:
        grant(record_type=GRANTS, record_id=case.pk, user=person, reason=HANDLER)
    forget(user)
    notices.tell(case, "approve", [p for p in approvers if p.pk != user.pk], event)


def _measures_fields(case, user):
    return {
        "measures": forms.MultipleChoiceField(
            label=pgettext_lazy("bullying", "Measures"),  # not a hazard's 整改措施
            choices=Measure.choices,
            widget=forms.CheckboxSelectMultiple,
        )
    }


def _measures_change(case, data, user) -> list[str]:
    case.details = {**case.details, "measures": sorted(data["measures"])}
    return ["details"]


def _reported_after(case, data, user, event) -> None:
    """Serious cases are reported, never hidden: the bureau's supervisors are told at once
    (by number only), and the report is on the case's face."""
    notices.tell(case, "reported", notices.supervisors(case), event)


def _reported_change(case, data, user) -> list[str]:
    case.details = {**case.details, "reported": True}
    return ["details"]


def _review_fields(case, user):
    return {
        "finding": forms.ChoiceField(
            label=_("The county-level body finds"),
            choices=Finding.choices,
            help_text=_("The determination stands, or is changed to this."),
        )
    }


def _review_change(case, data, user) -> list[str]:
    """The answer changes the finding or lets it stand, and gives the case back to the
    school's first receiver."""
    case.details = {**case.details, "finding": data["finding"]}
    case.owner = case.first_receiver
    case.handling_org = None
    return ["details", "owner", "handling_org"]


def _is_reviewer(user, case) -> bool:
    """The appeal is answered by the reviewer it was handed to, nobody at the school."""
    return case.owner_id == user.pk and is_handler(user, case)


def _handles(finding: str):
    return lambda user, case: may_handle(user, case) and case.details.get("finding") == finding


WORKFLOW = Workflow(
    code="cases.bullying",
    model="cases.Case",
    noun=_("bullying report"),
    states=State,
    initial=S.REPORTED,
    clocks=(
        Clock("investigate", plan_days(INVESTIGATE), label=_("Investigation finished by")),
        # The parents' window, not the body's time limit: when it passes nobody is late.
        Clock("appeal_ask", plan_days(APPEAL_ASK), label=_("Appeal possible until"), duty=False),
        Clock("appeal", plan_days(APPEAL), label=_("Appeal answered by")),
        Clock("follow_up", plan_days(FOLLOW_UP), label=_("Follow-up until")),
    ),
    starts=("investigate",),
    steps={"created": _("Reported"), "viewed": _("Viewed")},
    transitions=(
        Transition(
            "add_member",
            _("Name a member of the governance body"),
            source=OPEN,
            target=None,
            allowed=may_handle,
        ),
        Transition(
            "investigate",
            _("Start the investigation"),
            source=[S.REPORTED],
            target=S.INVESTIGATING,
            allowed=may_handle,
        ),
        Transition(
            "findings",
            _("Record the body's finding (认定)"),
            source=[S.INVESTIGATING],
            target=S.PROPOSED,
            allowed=may_handle,
            stops="investigate",
            requires=(_someone_approves,),
        ),
        Transition(
            "approve_bullying",
            _("Approve: it is bullying"),
            source=[S.PROPOSED],
            target=S.DETERMINED,
            allowed=_approves(Finding.BULLYING),
            starts="appeal_ask",
        ),
        Transition(
            "approve_not_bullying",
            _("Approve: it is not bullying"),
            source=[S.PROPOSED],
            target=S.NOT_BULLYING,
            allowed=_approves(Finding.NOT_BULLYING),
            starts="appeal_ask",
        ),
        Transition(
            "send_back",
            _("Send the finding back for more investigation"),
            source=[S.PROPOSED],
            target=S.INVESTIGATING,
            allowed=_approver,
            note_required=True,
            danger=True,
        ),
        Transition(
            "measures",
            _("Handle: education, discipline, referral"),
            source=[S.DETERMINED, S.REVIEWED],
            target=S.HANDLING,
            allowed=_handles(Finding.BULLYING),
        ),
        Transition(
            "report_serious",
            _("Report the serious case to the bureau and the police"),
            source=[S.DETERMINED, S.HANDLING, S.FOLLOWING_UP, S.REVIEWED],
            target=None,
            allowed=may_handle,
            note_required=True,
        ),
        Transition(
            "follow_up",
            _("Measures taken: follow up"),
            source=[S.HANDLING],
            target=S.FOLLOWING_UP,
            allowed=may_handle,
            starts="follow_up",
        ),
        Transition(
            "appeal",
            _("The parents appeal to the county-level body (申诉)"),
            source=[S.DETERMINED, S.NOT_BULLYING, S.HANDLING, S.FOLLOWING_UP],
            target=S.APPEALED,
            allowed=may_handle,
            stops="appeal_ask",
            starts="appeal",
            note_required=True,
        ),
        Transition(
            "review_answer",
            _("Answer the appeal (复查结论)"),
            source=[S.APPEALED],
            target=S.REVIEWED,
            allowed=_is_reviewer,
            stops="appeal",
            note_required=True,
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
            _("Close the case"),
            source=[S.FOLLOWING_UP, S.NOT_BULLYING, S.REVIEWED],
            target=S.CLOSED,
            allowed=may_handle,
            stops=("follow_up", "appeal_ask"),
        ),
    ),
)


def _victim_field():
    return forms.CharField(label=_("Student harmed (name, class)"), max_length=200)


def _bullies_field():
    return forms.CharField(
        label=_("Student(s) who bullied (names, classes)"),
        max_length=500,
        required=False,
        help_text=_("Minors: never shown to anyone outside the governance body."),
    )


def _means_field():
    return forms.ChoiceField(
        label=_("Means"),
        choices=[
            ("physical", _("Physical force")),
            ("verbal", _("Verbal abuse")),
            ("online", _("Online or on social media")),
            ("property", _("Property taken or damaged")),
            ("other", _("Other")),
        ],
    )


BULLYING = register_type(
    CaseType(
        code="bullying",
        noun=_("bullying report"),
        prefix="QL",
        workflow=WORKFLOW,
        confidential=True,
        channels=Channel,
        register_perm="cases.register",
        org_kinds=("school",),
        fields=(
            Field("means", _means_field, private=False),
            Field("victim", _victim_field),
            Field("bullies", _bullies_field),
        ),
        subject_label=_("Summary (no names)"),
        content_label=_("What was reported"),
        people_label=_("Reported by"),
        steps={
            "add_member": ADD_MEMBER,
            "findings": Step(
                fields=_findings_fields, change=_findings_change, after=_findings_after
            ),
            "measures": Step(fields=_measures_fields, change=_measures_change),
            "report_serious": Step(change=_reported_change, after=_reported_after),
            "appeal": APPEAL_STEP,
            "review_answer": Step(fields=_review_fields, change=_review_change),
            "urge": steps.URGE,
        },
        closed_states=(S.CLOSED,),
    )
)
