"""The workflow engine: a record type's states and transitions declared in one place, and one
function that fires a transition.

A record type declares itself once (`hazards/workflow.py`):

    HAZARD = Workflow(
        code="hazards.hazard", model="hazards.Hazard", noun=_("hazard"),
        states=HazardState, initial=HazardState.REPORTED,
        clocks=(Clock("rectify", field="deadline", due=rectify_due),),
        transitions=(
            Transition("assign", _("Assign"), source=[REPORTED], target=ASSIGNED,
                       allowed=may_manage, requires=has_responsible),
            ...))

and its services fire transitions by name:

    fire(HAZARD, hazard, "verify", by=user, note=note, change=set_fields)

`fire` locks the record's row (select_for_update; on SQLite the IMMEDIATE transaction), reads
its state again under the lock, and refuses with a sentence for a clerk when the move is not
legal from that state, the person may not make it, or what it requires is missing. Otherwise it
applies `change`, moves the state, starts or stops the declared clocks and writes one `Event`
and one audit row in the same transaction. Two people firing at once: the second waits for the
first, then finds the new state and is refused. A step that does not change the state
(escalated, reminded, re-checked) is a transition with `target=None` or, for jobs, `note_step`.

The engine imports only orgs-level modules (audit); it knows no engine's nouns.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from anwen import audit
from anwen.audit import labels as audit_labels
from anwen.errors import AppError
from anwen.workflow import moment, timers
from anwen.workflow.models import Event

Allowed = Callable[[Any, Any], bool]  # (user, record) -> may fire
Requires = Callable[[Any, Any, dict], StrOrPromise | None]  # (user, record, data) -> refusal


class WorkflowError(AppError):
    """A transition was refused; the message says why, for the person who tried."""


def anyone(user, record) -> bool:
    return True


Names = str | tuple[str, ...] | None


def _names(value: Names) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Transition:
    name: str  # "verify": the event's name and the audit code's verb
    label: StrOrPromise  # "Verify and close", on the button and in the chronology
    source: Iterable[str]  # the states it may be fired from
    target: str | None  # the state after it; None: a step that keeps the state
    allowed: Allowed = anyone  # who may fire it
    requires: tuple[Requires, ...] = ()  # what must be in place, each a refusal or None
    starts: Names = None  # the clocks it (re)starts
    stops: Names = None  # the clocks it stops
    pauses: Names = None  # the clocks it holds (a hearing: the time does not count) …
    resumes: Names = None  # … and lets run again, their due moment moved by the pause
    extends: str | None = None  # the clock it extends, once (`Clock.extension` says how far)
    note_required: bool = False  # a reason must be given (sent back, reopened)
    danger: bool = False  # shown as a secondary, red button

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", tuple(self.source))
        for name in ("starts", "stops", "pauses", "resumes"):
            object.__setattr__(self, name, _names(getattr(self, name)))

    def clocks(self) -> set[str]:
        named = {*_names(self.starts), *_names(self.stops), *_names(self.pauses)}
        named |= set(_names(self.resumes))
        return named | ({self.extends} if self.extends else set())


@dataclass(frozen=True)
class Clock:
    """A deadline. With a `field` the record carries its last day in that column and `due`
    answers `(record, start_day) -> date` (a hazard's deadline, filtered and sorted in lists).

    Without one the engine keeps it as a `Timer` row, which can also be paused, resumed and
    extended once: `due(record, start) -> date | datetime` takes the moment it starts and
    answers a last day (the period runs out at the end of it) or, for a clock in hours, the
    moment itself. `extension(record)` is the longest extension, a `calendar.DeadlineRule`."""

    name: str
    due: Callable[[Any, Any], Any]
    field: str | None = None
    label: StrOrPromise = ""
    extension: Callable[[Any], Any] | None = None
    # A time limit on the people handling the record (overdue is theirs). False: a window the
    # other side has (the writer's 30 days to ask for a review) — when it passes nobody is late.
    duty: bool = True


@dataclass(frozen=True)
class Workflow:
    code: str  # "hazards.hazard": the event rows' record type
    model: str  # "hazards.Hazard"
    noun: StrOrPromise  # "hazard", in refusals
    states: type[models.TextChoices]
    initial: str
    transitions: tuple[Transition, ...]
    clocks: tuple[Clock, ...] = ()
    # Names for people of the steps that are not transitions ("created", "escalated" …).
    steps: dict[str, StrOrPromise] = field(default_factory=dict)
    state_field: str = "state"
    org_of: Callable[[Any], Any] = field(default=lambda record: record.org)
    # The clocks started when the record is created (a petition's 15 days from receipt).
    starts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.code}: a transition name is declared twice")
        values = set(self.states.values)
        clocks = {c.name: c for c in self.clocks}
        for t in self.transitions:
            if not set(t.source) <= values or (t.target is not None and t.target not in values):
                raise ValueError(f"{self.code}.{t.name}: unknown state")
            for clock in t.clocks():
                if clock not in clocks:
                    raise ValueError(f"{self.code}.{t.name}: unknown clock {clock}")
            kept = {*_names(t.pauses), *_names(t.resumes)} | ({t.extends} if t.extends else set())
            if any(clocks[c].field for c in kept):
                raise ValueError(f"{self.code}.{t.name}: only engine-kept clocks pause or extend")
            if t.extends and clocks[t.extends].extension is None:
                raise ValueError(f"{self.code}.{t.name}: clock {t.extends} has no extension")
        for clock in self.starts:
            if clock not in clocks or clocks[clock].field:
                raise ValueError(f"{self.code}: starts an unknown or record-field clock {clock}")

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def transition(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise WorkflowError(_("There is no such step."))

    def clock(self, name: str) -> Clock:
        return next(c for c in self.clocks if c.name == name)

    def state_label(self, value: str) -> StrOrPromise:
        try:
            return self.states(value).label
        except ValueError:
            return value

    def available(self, record, user) -> list[Transition]:
        """The transitions `user` may fire on `record` now (for the buttons of its page)."""
        state = getattr(record, self.state_field)
        return [t for t in self.transitions if state in t.source and t.allowed(user, record)]


_WORKFLOWS: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    _WORKFLOWS[workflow.code] = workflow
    # Each step is an audit code too (`hazards.hazard.verify`): the trail names it in words.
    audit_labels.name_steps(
        workflow.code,
        workflow.noun,
        {**{t.name: t.label for t in workflow.transitions}, **workflow.steps},
    )
    return workflow


def registered() -> dict[str, Workflow]:
    return dict(_WORKFLOWS)


def refusal(workflow: Workflow, record, transition: Transition, user) -> StrOrPromise | None:
    """Why `user` may not fire `transition` on `record` as it is, or None."""
    state = getattr(record, workflow.state_field)
    if state not in transition.source:
        return _(
            "This %(noun)s is “%(state)s” now, so “%(step)s” cannot be done. "
            "Reload the page to see what happened."
        ) % {
            "noun": workflow.noun,
            "state": workflow.state_label(state),
            "step": transition.label,
        }
    if not transition.allowed(user, record):
        return _("You may not do “%(step)s” on this %(noun)s.") % {
            "step": transition.label,
            "noun": workflow.noun,
        }
    return None


def start(workflow: Workflow, record, *, by, note: str = "", data: dict | None = None) -> Event:
    """Write the first event of a record just created in `workflow.initial` (inside the
    caller's transaction) and start the clocks the record type starts on creation."""
    setattr(record, workflow.state_field, workflow.initial)
    today = moment.today()
    changed = []
    for clock in workflow.clocks:
        if clock.field and getattr(record, clock.field) is None:
            setattr(record, clock.field, clock.due(record, today))
            changed.append(clock.field)
    if changed:
        record.save(update_fields=changed)
    data = dict(data or {})
    for name in workflow.starts:
        timers.start(workflow, record, workflow.clock(name), data)
    return _event(workflow, record, "created", "", workflow.initial, by, note, data)


def fire(
    workflow: Workflow,
    record,
    name: str,
    *,
    by,
    note: str = "",
    data: dict | None = None,
    change: Callable[[Any], Iterable[str]] | None = None,
) -> Event:
    """Fire transition `name` on `record` as `by`; returns its event. `change(locked)` sets
    the record's fields the step writes (after-photos, the plan …) on the locked row and
    returns their names. Refused with WorkflowError; then nothing is written."""
    transition = workflow.transition(name)
    note = (note or "").strip()
    data = dict(data or {})
    with transaction.atomic():
        locked = workflow.model_class._default_manager.select_for_update().get(pk=record.pk)
        reason = refusal(workflow, locked, transition, by)
        if reason is not None:
            raise WorkflowError(reason)
        if transition.note_required and not note:
            raise WorkflowError(
                _("Say why (“%(step)s” needs a reason).") % {"step": transition.label},
                field="note",
            )
        fields: list[str] = list(change(locked) if change else ())
        for requirement in transition.requires:
            problem = requirement(by, locked, data)
            if problem:
                raise WorkflowError(problem)
        from_state = getattr(locked, workflow.state_field)
        to_state = transition.target or from_state
        setattr(locked, workflow.state_field, to_state)
        fields.append(workflow.state_field)
        today = moment.today()
        for name in _names(transition.stops):
            clock = workflow.clock(name)
            data["clock_stopped"] = clock.name
            if clock.field:
                due = getattr(locked, clock.field)
                data["on_time"] = due is None or today <= due
            else:
                data["on_time"] = timers.stop(workflow, locked, clock)
        for name in _names(transition.pauses):
            timers.pause(workflow, locked, workflow.clock(name), data)
        for name in _names(transition.resumes):
            timers.resume(workflow, locked, workflow.clock(name), data)
        if transition.extends:
            timers.extend(workflow, locked, workflow.clock(transition.extends), data)
        for name in _names(transition.starts):
            clock = workflow.clock(name)
            data["clock_started"] = clock.name
            if not clock.field:
                timers.start(workflow, locked, clock, data)
                continue
            if clock.field in fields:  # the step set the deadline itself (a manager's date)
                due = getattr(locked, clock.field)
            else:
                due = clock.due(locked, today)
                setattr(locked, clock.field, due)
                fields.append(clock.field)
            data["due"] = due.isoformat() if due else None
        locked.save(update_fields=sorted(set(fields)))
        event = _event(workflow, locked, transition.name, from_state, to_state, by, note, data)
    # The caller's object follows the row, so a page or a test reads the new state.
    for f in set(fields):
        setattr(record, f, getattr(locked, f))
    return event


def note_step(
    workflow: Workflow,
    record,
    name: str,
    *,
    by=None,
    note: str = "",
    data: dict | None = None,
    key: str = "",
) -> Event | None:
    """A step that changes no state (escalated, reminded, commented), written as an event.
    With a `key` it is written once per record: a second call (a job run twice, or two at
    once) writes nothing and returns None."""
    state = getattr(record, workflow.state_field)
    if not key:
        return _event(workflow, record, name, state, state, by, note, data or {})
    try:
        with transaction.atomic():
            return _event(workflow, record, name, state, state, by, note, data or {}, key=key)
    except IntegrityError:
        return None


def _event(workflow, record, name, from_state, to_state, by, note, data, *, key="") -> Event:
    event = Event.objects.create(
        record_type=workflow.code,
        record_id=record.pk,
        name=name,
        from_state=from_state,
        to_state=to_state,
        actor=by if getattr(by, "pk", None) else None,
        at=moment.now(),
        note=note,
        data=data,
        key=key,
    )
    audit.record(
        actor=by,
        action=f"{workflow.code}.{name}",
        obj=record,
        org=workflow.org_of(record),
        data={"from": from_state, "to": to_state, "event": event.pk, **_short(data)},
    )
    return event


def _short(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, str | int | bool | None)}


def label_of(workflow: Workflow, name: str) -> StrOrPromise:
    for t in workflow.transitions:
        if t.name == name:
            return t.label
    return workflow.steps.get(name, name)


def chronology(workflow: Workflow, record) -> list[Event]:
    """The record's life: its events in order, with their actors; each carries `label`, the
    step's name for people."""
    events = list(
        Event.objects.filter(record_type=workflow.code, record_id=record.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
    for event in events:
        event.label = label_of(workflow, event.name)  # type: ignore[attr-defined]
    return events
