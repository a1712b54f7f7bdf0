"""What the case engine waits on a person for (the to-do protocol of `anwen.todo`):

- the office that registers a type (its `register_perm` over the case's org): cases still at
  their first stage that nobody owns yet or it owns, to accept or hand over (of a confidential
  type, those it is a named handler of; none of a type whose first stage is where its records
  live, `LIVES_IN_FIRST_STAGE`);
- the person who owns a case now (首接责任, passed on with each assignment) and the leader in
  charge of it (包案): the open cases to handle;
- a named handler: a case the supervisor has urged (督办) since anything last happened to it
  (not its first receiver once it was handed to someone else);
- who approves for the case's org (`cases.approve`): an extension a handler asked for, and a
  finding that awaits approval (`AWAITING_APPROVAL`: a bullying determination — its approver
  is named to the case when the finding is recorded, so it is theirs by grant too).

Each with the last day of its most pressing running clock, so the inbox lists the overdue
first. The titles name the type and the number only, never the subject (the inbox is read
over shoulders, and a confidential case's subject is for its handlers' case page).

Two queries whatever the history (the user's roles are cached by `orgs.scope`); each list is
capped, the most pressing first."""

from datetime import date

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from anwen.orgs.scope import paths_q, paths_with
from anwen.todo import Todo
from anwen.workflow.models import Event, Grant, Timer

from .models import Case
from .selectors import visible_q
from .steps import ASKED
from .types import case_types, type_of, workflow_codes
from .who import GRANTS, HANDLER

LIMIT = 50
# Steps after which an urging is no longer outstanding are all steps but these, which do not
# act on the case.
NOT_ACTING = ("urge", "take_charge", "created")
# Types whose first stage is where the record lives (a care record on the roster, a key person
# watched), not an intake to accept: they wait on their owner, not on the office.
LIVES_IN_FIRST_STAGE = ("care", "keyperson")
# Steps from the first stage that accept a case or hand it over: a type without them has its
# first stage handled where it was registered ("办理", not "受理或转办").
ROUTING = ("accept", "assign")
# Type code → the state in which a finding waits for its approver's decision.
AWAITING_APPROVAL = {"bullying": "proposed"}


def _running(codes):
    return Timer.objects.filter(
        record_type__in=codes,
        record_id=OuterRef("pk"),
        duty=True,  # a time limit on the handlers, not the writer's window
        stopped_at__isnull=True,
        paused_at__isnull=True,
    ).order_by("due_at")


def _events(codes):
    return Event.objects.filter(record_type__in=codes, record_id=OuterRef("pk")).order_by(
        "-at", "-pk"
    )


def _routed(case_type) -> bool:
    initial = case_type.workflow.initial
    return any(t.name in ROUTING and initial in t.source for t in case_type.workflow.transitions)


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    types = case_types()
    codes = workflow_codes()
    handled = Grant.objects.filter(record_type=GRANTS, user=user, reason=HANDLER)
    first_stage = Q(pk__in=[])
    for case_type in types.values():
        paths = paths_with(user, case_type.register_perm)
        if not paths or case_type.code in LIVES_IN_FIRST_STAGE:
            continue
        # Nobody's yet (a write-in, a platform item) or the user's own: a case a school
        # registered is its own, not in the inbox of the bureau's office above it.
        waiting = (
            Q(type=case_type.code, state=case_type.workflow.initial)
            & paths_q(paths, "org")
            & (Q(owner__isnull=True) | Q(owner=user))
        )
        if case_type.confidential:
            # Only its named handlers act on a confidential case (who.may_route): a colleague
            # of the office (the principal beside the safety officer who took a bullying
            # report) would find in the inbox a case with nothing to do on it.
            waiting &= Q(pk__in=handled.values("record_id"))
        first_stage |= waiting
    to_decide = Q(pk__in=[])
    approving = paths_with(user, "cases.approve")
    if approving:
        findings = Q(pk__in=[])
        for code, state in AWAITING_APPROVAL.items():
            findings |= Q(type=code, state=state)
        to_decide = paths_q(approving, "org") & (
            Q(details__has_key=ASKED) | (findings & Q(pk__in=handled.values("record_id")))
        )
    rows = (
        Case.objects.filter(visible_q(user, full=True), type__in=list(types), closed=False)
        .annotate(
            next_due=Subquery(_running(codes).values("due_on")[:1]),
            next_due_at=Subquery(_running(codes).values("due_at")[:1]),
            next_clock=Subquery(_running(codes).values("name")[:1]),
            last_urged=Subquery(_events(codes).filter(name="urge").values("at")[:1]),
            last_acted=Subquery(_events(codes).exclude(name__in=NOT_ACTING).values("at")[:1]),
        )
        .filter(
            first_stage
            | to_decide
            | Q(owner=user)
            | Q(leader=user)
            | (
                Q(pk__in=handled.values("record_id"))
                & Q(last_urged__isnull=False)
                & (Q(last_acted__isnull=True) | Q(last_urged__gt=F("last_acted")))
                # The first receiver who handed it over is told of the urging, but the case
                # waits on whom it was handed to, not on them.
                & ~(Q(first_receiver=user) & Q(owner__isnull=False) & ~Q(owner=user))
            )
        )
        .select_related("org", "handling_org")
        .order_by(F("next_due_at").asc(nulls_last=True), "received_at", "pk")[:LIMIT]
    )
    todos = []
    for case in rows:
        case_type = type_of(case)
        names = {"noun": case_type.noun, "number": case.number}
        urged = case.last_urged is not None and (
            case.last_acted is None or case.last_urged > case.last_acted
        )
        may_decide = approving and case.org.path.startswith(tuple(approving))
        if urged:
            kind, title = "cases.urged", _("Urged (督办): %(noun)s %(number)s") % names
        elif may_decide and ASKED in case.details:
            days = case.details[ASKED].get("days")
            kind = "cases.extension"
            title = _("Extension of %(days)s days asked: %(noun)s %(number)s") % {
                **names,
                "days": days,
            }
        elif may_decide and AWAITING_APPROVAL.get(case.type) == case.state:
            kind, title = "cases.approve", _("Approve the finding: %(noun)s %(number)s") % names
        elif case.state == case_type.workflow.initial and _routed(case_type):
            kind, title = "cases.route", _("Accept or hand over %(noun)s %(number)s") % names
        else:
            kind, title = "cases.handle", _("Handle %(noun)s %(number)s") % names
        clock = ""
        if case.next_clock:
            try:
                clock = str(case_type.workflow.clock(case.next_clock).label or "")
            except StopIteration:
                clock = ""
        stage = str(case_type.workflow.state_label(case.state))
        todos.append(
            Todo(
                kind=kind,
                title=title,
                url=reverse("cases:detail", args=[case.pk]),
                org_name=(case.handling_org or case.org).name,
                due=case.next_due,
                detail=" · ".join(part for part in (stage, clock) if part),
            )
        )
    return todos
