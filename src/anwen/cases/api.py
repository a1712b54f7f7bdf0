"""Cases over the API, scoped and guarded exactly like the pages (the same selectors, the same
`case_step`), for every case type without a line of its own.

A case answers with its clocks as dates: one key `<clock>_due` per clock its type declares
(`accept_due`, `handle_due`, … the last day, or null while that clock has not started) and a
`clocks` list with each clock's state, whether it is overdue and the days left. The case page
(`GET /cases/{id}`) adds the steps the caller may take now as `actions`, each fired by
`POST /cases/{id}/actions/{name}`.

Confidential fields (`subject`, `content`, `people`, `private`, `reply`, `outcome`, `files`
and the notes of the chronology) are sent only to those who read the case (`may_read`: a
confidential type's named handlers). For everyone else they are ABSENT from the object — not
null: a null would read as "empty" to a client, and a key that is there only when allowed
cannot be mistaken for anything. `readable` says which of the two a client got. In the list
a confidential case the caller reads carries its subject only (as the page's list): its
content and people come with `GET /cases/{id}`, whose every read is in the audit trail."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from anwen.apischema import ErrorOut
from anwen.once.tokens import AlreadySent, claim
from anwen.workflow.engine import chronology, refusal

from . import selectors, services
from .forms import StepForm
from .models import Case
from .selectors import ClockView, readable_ids
from .services import CaseError
from .types import case_types, type_of

router = Router(tags=["cases"])

CONFIDENTIAL = ("subject", "content", "people", "private", "reply", "outcome", "files")


class ClockOut(Schema):
    name: str
    label: str
    due: date = Field(description="The last day of the period.")
    due_at: datetime = Field(description="The moment it runs out (a clock in hours: the hour).")
    in_hours: bool
    state: str = Field(description="running, held (a hearing) or stopped.")
    overdue: bool
    days_left: int | None = Field(description="Days to the last day while running; else null.")
    on_time: bool | None
    extended_days: int
    duty: bool = Field(description="A time limit on the handlers; false: the writer's window.")


class FileOut(Schema):
    id: UUID
    name: str
    url: str


class CaseOut(BaseModel):
    """A case. Besides the keys below: `<clock>_due` (a date or null) for each clock its type
    declares. The confidential keys are absent unless `readable`."""

    # A plain pydantic model, not a ninja Schema: the Schema reads its input through
    # attributes and would drop the `<clock>_due` keys, which differ by type.
    model_config = ConfigDict(extra="allow")

    id: int
    number: str
    type: str
    type_label: str
    state: str
    state_label: str
    org_id: int
    handling_org_id: int | None
    owner_id: int | None
    channel: str
    received_at: datetime
    urgent: bool
    closed: bool
    details: dict[str, Any]
    readable: bool
    clocks: list[ClockOut]
    subject: str | None = None
    content: str | None = None
    people: dict[str, Any] | None = None
    private: dict[str, Any] | None = None
    reply: str | None = None
    outcome: str | None = None
    files: list[FileOut] | None = None


class ActionFieldOut(Schema):
    name: str
    label: str
    required: bool
    choices: list[list[str]] | None = None


class ActionOut(Schema):
    name: str
    label: str
    note_required: bool
    danger: bool
    fields: list[ActionFieldOut]


class EventOut(Schema):
    name: str
    label: str
    from_state: str
    to_state: str
    actor_id: int | None
    at: datetime
    note: str | None = None  # absent unless the case is readable


class CaseDetailOut(CaseOut):
    actions: list[ActionOut]
    events: list[EventOut]


class ActionIn(Schema):
    note: str = ""
    values: dict[str, Any] = Field(
        default_factory=dict, description="The step's own fields by name (see `actions`)."
    )
    once: str = Field("", description="Optional one-time token: the same token acts once.")


def _action_in(request: HttpRequest) -> ActionIn:
    raw = b"{}"
    if request.content_type == "application/json":
        raw = request.body or raw
    elif request.POST or request.FILES:  # a form post: read by then, and not an action
        raise ValidationError(
            [{"type": "json_type", "loc": ["body"], "msg": "Send the action as JSON."}]
        )
    try:
        return ActionIn.model_validate_json(raw)
    except PydanticValidationError as exc:
        raise ValidationError(
            [{"type": e["type"], "loc": ["body", *e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        ) from None


def _clock(view: ClockView) -> dict:
    return {
        "name": view.name,
        "label": view.label,
        "due": view.due_on,
        "due_at": view.due_at,
        "in_hours": view.in_hours,
        "state": view.state,
        "overdue": view.overdue,
        "days_left": view.days_left,
        "on_time": view.on_time,
        "extended_days": view.extended_days,
        "duty": view.duty,
    }


def case_out(case: Case, clocks: list[ClockView], *, readable: bool, listed: bool = False) -> dict:
    """The case as the API tells it; the confidential keys only when `readable`. `listed`: a
    row of the list, where a confidential type's case carries its subject (as the page's
    list shows it) but not its content and people: those come with the case itself, each
    read of which is in the audit trail (a list of a hundred would otherwise hand over a
    hundred writers' names and phones with no trace)."""
    case_type = type_of(case)
    by_name = {c.name: c for c in clocks}
    out: dict[str, Any] = {
        "id": case.pk,
        "number": case.number,
        "type": case.type,
        "type_label": str(case_type.noun),
        "state": case.state,
        "state_label": str(case_type.workflow.state_label(case.state)),
        "org_id": case.org_id,
        "handling_org_id": case.handling_org_id,
        "owner_id": case.owner_id,
        "channel": case.channel,
        "received_at": case.received_at,
        "urgent": case.urgent,
        "closed": case.closed,
        # The type's fields everyone sees; a confidential field is in `private`.
        "details": dict(case.details),
        "readable": readable,
        "clocks": [_clock(c) for c in clocks],
    }
    for clock in case_type.workflow.clocks:
        if clock.field:
            out[f"{clock.name}_due"] = getattr(case, clock.field)
        else:
            kept = by_name.get(clock.name)
            out[f"{clock.name}_due"] = kept.due_on if kept else None
    if readable:
        out["subject"] = case.subject
    if readable and not (listed and case_type.confidential):
        out.update(
            content=case.content,
            people=dict(case.people),
            private=dict(case.private),
            reply=case.reply,
            outcome=case.outcome,
        )
    return out


def _choices(field: forms.Field) -> list[list[str]] | None:
    choices = getattr(field, "choices", None)
    if choices is None:
        return None
    return [[str(v), str(label)] for v, label in choices if v not in ("", None)]


def _actions(case: Case, user) -> list[dict]:
    case_type = type_of(case)
    out = []
    for t in case_type.workflow.available(case, user):
        form = StepForm(case=case, user=user, case_type=case_type, name=t.name)
        out.append(
            {
                "name": t.name,
                "label": str(t.label),
                "note_required": t.note_required,
                "danger": t.danger,
                "fields": [
                    {
                        "name": name,
                        "label": str(field.label or name),
                        "required": field.required,
                        "choices": _choices(field),
                    }
                    for name, field in form.fields.items()
                    if name not in ("once", "note")
                ],
            }
        )
    return out


def _detail(request: HttpRequest, case: Case) -> dict:
    user = request.user
    readable = selectors.may_read(user, case)
    case_type = type_of(case)
    if readable and case_type.confidential:
        # The same trail as the page: who read which case, by its id only.
        services.log_view(case=case, by=user, request=request)
    out = case_out(case, selectors.clocks_of([case])[case.pk], readable=readable)
    if readable:
        out["files"] = [
            {"id": f.pk, "name": f.name, "url": reverse("evidence:file", args=[f.pk])}
            for f in case.files.all()
        ]
    out["actions"] = _actions(case, user)
    events = []
    for e in chronology(case_type.workflow, case):
        row = {
            "name": e.name,
            "label": str(e.label),  # type: ignore[attr-defined]
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor_id": e.actor_id,
            "at": e.at,
        }
        if readable:
            row["note"] = e.note
        events.append(row)
    out["events"] = events
    return out


@router.get("/cases", response=list[CaseOut], exclude_unset=True)
@paginate
def list_cases(
    request: HttpRequest,
    type: str = "",
    state: str = "",
    overdue: bool = False,
    mine: bool = False,
    open: bool = False,
):
    """The cases the user sees, open ones first, newest first. `mine`: those the user is a
    named handler of; `overdue`: an open case with a running clock past its time."""
    if type and type not in case_types():
        raise CaseError(_("There is no such kind of case."), field="type")
    rows = selectors.case_list(
        request.user, type=type, state=state, overdue=overdue, mine=mine, open_only=open
    )
    return _Page(request.user, rows)


class _Page:
    """The list as the paginator slices it: each slice becomes API objects with the clocks
    and the readable set of that slice in one query each (not one per case)."""

    def __init__(self, user, rows) -> None:
        self.user, self.rows = user, rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        cases = list(self.rows[window])
        clocks = selectors.clocks_of(cases, now=timezone.now())
        readable = readable_ids(self.user, cases)
        return [case_out(c, clocks[c.pk], readable=c.pk in readable, listed=True) for c in cases]


@router.get("/cases/{case_id}", response=CaseDetailOut, exclude_unset=True)
def get_case(request: HttpRequest, case_id: int):
    return _detail(request, selectors.access_case(request.user, case_id))


@router.post(
    "/cases/{case_id}/actions/{name}",
    response={200: CaseDetailOut, 403: ErrorOut, 409: ErrorOut},
    exclude_unset=True,
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": ActionIn.model_json_schema()}},
        }
    },
)
def fire_action(request: HttpRequest, case_id: int, name: str):
    """Take step `name` as the case page's form does: the same permission, the same checks.
    The body is an `ActionIn` (JSON; none for a step without fields). 403 when the user may
    not take it, 409 when the case is no longer at a stage where it can be taken (the engine's
    sentence either way); 422 for values that do not validate."""
    user = request.user
    case = selectors.access_case(user, case_id)  # another district's case: 404, nothing written
    case_type = type_of(case)
    if name not in {t.name for t in case_type.workflow.transitions}:
        raise Http404
    # The body is read here, after the guard, so that a case one may not see answers 404
    # whatever was posted (as the pages answer 404 before 405): its existence never leaks.
    payload = _action_in(request)
    transition = case_type.workflow.transition(name)
    reason = refusal(case_type.workflow, case, transition, user)
    if reason is not None:
        status = 409 if case.state not in transition.source else 403
        return Status(status, {"detail": str(reason)})
    data = {k: v for k, v in payload.values.items() if k not in ("note", "once")}
    form = StepForm(
        {
            **{k: "" if v is None else str(v) for k, v in data.items()},
            "note": payload.note,
            "once": payload.once,
        },
        case=case,
        user=user,
        case_type=case_type,
        name=name,
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise CaseError(" ".join(str(e) for e in errors), field=field)
    try:
        with transaction.atomic():
            claim(form.cleaned_data["once"])
            services.case_step(
                case=case,
                name=name,
                by=user,
                note=form.cleaned_data["note"],
                cleaned=form.cleaned_data,
            )
    except AlreadySent:
        pass  # the same token acted before: answer with the case as it is now
    return Status(200, _detail(request, selectors.access_case(user, case.pk)))


@router.get("/cases/{case_id}/actions/{name}", include_in_schema=False, url_name="fire_action")
def action_not_gettable(request: HttpRequest, case_id: int, name: str):
    """A GET of an action answers 404 for a case one may not see and 405 otherwise, as the
    pages do: whether a case exists never shows through the method's refusal."""
    selectors.access_case(request.user, case_id)
    return HttpResponseNotAllowed(["POST"])
