"""The small protocol through which other apps feed the rhythm engine without it importing them.

In its AppConfig.ready an app registers
- the record kinds it writes (`register_kind`), so an obligation can say "fulfilled by a
  daily grid-area inspection", and the inbox knows where to send a person to do it;
- subject providers (`register_subjects`), for obligations owed once per subject inside an org:
  per grid area (owed by the area's owner), per member of staff, per patrol route …
- org conditions (`register_condition`), for obligations owed only by the orgs that meet one:
  the schools that run school buses (and their centres) owe the bus crews' training.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:  # named by the annotations only: importing models needs a ready app registry
    from anwen.obligations.models import Obligation, Period
    from anwen.orgs.models import Org, Person


@dataclass(frozen=True)
class RecordKind:
    code: str  # "inspections.daily_area"
    label: StrOrPromise  # for people ("Daily grid-area inspection")
    # Where the responsible person goes to produce the record, given the open Period; None:
    # the obligations app's own "log an activity" form (routine systems are logged there).
    url: "Callable[[Period], str] | None" = None
    loggable: bool = False  # may be logged directly as an activity with note and evidence
    # False when the producing app puts this work in the inbox itself, with its own deadline
    # and wording (the letter to sign, tonight's round): listing the period too would say the
    # same thing twice, with two different dates.
    in_inbox: bool = True
    # The producing app's own deadline for a period, due(obligation, start, end) -> date, where
    # the plan's rule (end + N days) cannot say it: the letters are due by the bureau's 31 March
    # (a rule of the yearly plan, duties.rules), not at the end of the year. None: the plan's rule.
    due: "Callable[[Obligation, date, date], date] | None" = None
    # A session whose attendance is taken (the bus drivers' monthly training): who is expected,
    # attendance(org) -> the org's people expected to attend. The log form then asks who was
    # there and how many were absent, and keeps it with the record (`attendance.Attendance`).
    attendance: "Callable[[Org], Iterable[Person]] | None" = None


@dataclass(frozen=True)
class Subject:
    org_id: int
    subject_id: int
    person_id: int | None  # who owes it (the area's owner), for the inbox
    label: str
    since: object = None  # date from which it exists (a new area owes nothing before)


@dataclass(frozen=True)
class SubjectProvider:
    code: str  # "inspections.grid_area"
    label: StrOrPromise
    # subjects(org_ids) -> the active subjects in those orgs, in one query
    subjects: Callable[[Iterable[int]], Iterable[Subject]] = field(repr=False)


@dataclass(frozen=True)
class OrgCondition:
    """A property some orgs have that the plan may make an obligation depend on ("runs school
    buses"), answered by the app that knows it."""

    code: str  # "buses.runs_buses"
    label: StrOrPromise
    # orgs(org_ids) -> the ids among them that meet the condition, in one query or two
    orgs: Callable[[Iterable[int]], Iterable[int]] = field(repr=False)


_KINDS: dict[str, RecordKind] = {}
_SUBJECTS: dict[str, SubjectProvider] = {}
_CONDITIONS: dict[str, OrgCondition] = {}


def register_kind(kind: RecordKind) -> None:
    _KINDS[kind.code] = kind


def register_subjects(provider: SubjectProvider) -> None:
    _SUBJECTS[provider.code] = provider


def register_condition(condition: OrgCondition, *, fallback: bool = False) -> None:
    """Register a condition; a `fallback` one only where no app registered that code (the app
    that knows better replaces it whichever of the two is ready first)."""
    if fallback and condition.code in _CONDITIONS:
        return
    _CONDITIONS[condition.code] = condition


def conditions() -> dict[str, OrgCondition]:
    return dict(_CONDITIONS)


def unregister_condition(code: str) -> None:
    """Forget a condition (tests that register their own)."""
    _CONDITIONS.pop(code, None)


def kinds() -> dict[str, RecordKind]:
    return dict(_KINDS)


def kind(code: str) -> RecordKind | None:
    return _KINDS.get(code)


def subject_providers() -> dict[str, SubjectProvider]:
    return dict(_SUBJECTS)


def unregister_kind(code: str) -> None:
    """Forget a record kind (tests that register their own)."""
    _KINDS.pop(code, None)


def unregister_subjects(code: str) -> None:
    """Forget a subject provider (tests that register their own)."""
    _SUBJECTS.pop(code, None)


def kinds_outside_inbox() -> list[str]:
    return [code for code, k in _KINDS.items() if not k.in_inbox]


def loggable_kinds() -> dict[str, RecordKind]:
    """Kinds that may be logged directly as a routine activity (the log form)."""
    return {code: k for code, k in _KINDS.items() if k.loggable}


# Record kinds under this prefix are routine activities logged in anwen itself. The bureau may
# add an obligation with a new such kind (a duty the plan adds next year) without code: it is
# loggable even though no app registered it, labelled by the obligation's name.
ROUTINE_PREFIX = "routine."


def is_loggable(code: str) -> bool:
    known = _KINDS.get(code)
    return known.loggable if known is not None else code.startswith(ROUTINE_PREFIX)
