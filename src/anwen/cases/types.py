"""Case types: each a declaration on the workflow engine plus what the generic pages need.

    PETITION = register_type(CaseType(
        code="petition", noun=_("petition"), prefix="XF",
        workflow=Workflow(code="cases.petition", model="cases.Case", ...),
        confidential=True, channels=Channel, register_perm="cases.register",
        fields=(Field("representatives", forms.IntegerField(...), private=False), ...),
        steps={"assign": Step(fields=..., change=assign_change), ...},
    ))

The generic list, registration page, case page, step forms and API read these declarations;
a new type is a new declaration, not a new view (a test declares a toy type and drives it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from anwen.workflow.engine import Workflow, register

Change = Callable[[Any, dict, Any], list[str]]  # (locked case, cleaned data, user) -> fields


@dataclass(frozen=True)
class Field:
    """A field a type asks for on registration, kept in `details` (everyone who sees the case
    sees it) or, when `private`, in `private` (only the handlers of a confidential type)."""

    name: str
    form_field: Callable[[], forms.Field]
    private: bool = True
    # False: not asked on registration, written by a step (a dispute's measures, an
    # incident's settlement) and shown on the case page with the others.
    register: bool = True

    def display(self, value: Any) -> str:
        """The stored value as people read it: a choice by its label (a list of choices
        joined), yes or no, a moment in local time."""
        if value is None or value == "" or value == []:
            return ""
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        made = self.form_field()
        if isinstance(made, forms.DateTimeField) and isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
        labels = {str(k): str(v) for k, v in getattr(made, "choices", None) or ()}
        if isinstance(value, list):
            return "、".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))


@dataclass(frozen=True)
class Step:
    """What a transition's form asks (`fields`: name → form field factory) and what the step
    writes on the locked case (`change`); `after(case, cleaned, user, event)` runs in the same
    transaction (grants, notices)."""

    # name → form field factory, or (case, user) -> {name: form field} when choices depend
    # on the case (the people it may be handed to).
    fields: Any = field(default_factory=dict)
    change: Change | None = None
    after: Callable[..., None] | None = None


@dataclass(frozen=True)
class CaseType:
    code: str  # "petition"
    noun: StrOrPromise  # "petition"
    prefix: str  # number prefix: "XF" → XF-2026-0001
    workflow: Workflow
    confidential: bool = False
    channels: type[models.TextChoices] | None = None
    # Who registers one, where (a petition at the bureau, a bullying report at the school).
    register_perm: str = "cases.register"
    org_kinds: tuple[str, ...] = ("bureau",)
    fields: tuple[Field, ...] = ()
    steps: dict[str, Step] = field(default_factory=dict)
    # Labels of the registration form's common fields for this type.
    subject_label: StrOrPromise = ""
    content_label: StrOrPromise = ""
    people_label: StrOrPromise = ""  # "" when the type names no person
    validate: Callable[[dict], dict[str, StrOrPromise]] | None = None  # field → message
    urgent: bool = False  # every case of the type is urgent (a threat)
    # The stage a member of the public is told on the status page, by state.
    public_stages: dict[str, StrOrPromise] = field(default_factory=dict)
    # The states where the case is finished (closed in lists, its clocks no longer shown).
    closed_states: tuple[str, ...] = ()

    @property
    def states(self) -> type[models.TextChoices]:
        return self.workflow.states

    def step(self, name: str) -> Step:
        return self.steps.get(name) or Step()


_TYPES: dict[str, CaseType] = {}


def register_type(case_type: CaseType) -> CaseType:
    if case_type.workflow.model != "cases.Case":
        raise ValueError(f"{case_type.code}: a case type's workflow is over cases.Case")
    _TYPES[case_type.code] = case_type
    register(case_type.workflow)
    return case_type


def unregister_type(code: str) -> None:
    """For tests that declare a toy type."""
    _TYPES.pop(code, None)


def case_types() -> dict[str, CaseType]:
    return dict(_TYPES)


def type_of(case) -> CaseType:
    return _TYPES[case.type]


def workflow_codes() -> list[str]:
    return [t.workflow.code for t in _TYPES.values()]
