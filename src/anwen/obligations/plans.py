"""The yearly plan as the one home of every number an engine reads.

An engine declares each number it reads as a `PlanRule` in its own app (`fire/rules.py`,
`duties/rules.py`, later `hazards/rules.py` …) and registers it in its AppConfig.ready, the way
it registers its record kinds:

    FORM_DEADLINE = PlanRule("fire.form_deadline", DeadlineRule(5), label=_("…"),
                             help_text=_("…"))
    register_rule(FORM_DEADLINE)

and asks for the value in force with one function:

    deadline = rule(FORM_DEADLINE, org=school, on=checked_on)

`rule` finds the published plan of the org's bureau for the year of `on` (the plan of that
year; in a year the bureau has not planned yet, its latest earlier plan carries on; before its
first plan, the first one), and returns the value stored in it (`PlanRuleValue`) or the
declared default. A value is stored as JSON and always passes through its declaration, so a
value typed on the plan page, cloned from last year or written by a migration is checked the
same way. For a list of many orgs, `Rules(on=day)` reads the plans and values once.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anwen.calendar import DeadlineRule
from anwen.obligations.models import Counting, Plan, PlanRuleValue
from anwen.orgs.models import Org

# --- values and their types --------------------------------------------------------------------


@dataclass(frozen=True)
class MonthDay:
    """A day of the year without the year (letters by 31 March)."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.day <= 31:
            raise ValueError("not a day of the year")
        date(2024, self.month, self.day)  # a leap year: 29 February is a day of the year

    def in_year(self, year: int) -> date:
        """The day in `year`; 29 February in a common year is its last day of February."""
        day = self.day
        while True:
            try:
                return date(year, self.month, day)
            except ValueError:
                day -= 1

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


class RuleType(Protocol):
    """How a kind of value is stored, checked, edited and shown."""

    def to_json(self, value: Any) -> Any: ...

    def from_json(self, raw: Any) -> Any: ...  # raises ValueError/TypeError/KeyError on junk

    def check(self, value: Any) -> None: ...  # raises ValidationError with a message for people

    def form_fields(self, rule: "PlanRule") -> dict[str, forms.Field]: ...

    def initial(self, value: Any) -> dict[str, Any]: ...

    def from_form(self, data: dict[str, Any]) -> Any: ...

    def display(self, value: Any) -> str: ...


@dataclass(frozen=True)
class IntegerType:
    min_value: int = 0
    max_value: int = 10_000

    def to_json(self, value: int) -> int:
        return int(value)

    def from_json(self, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("not an integer")
        return raw

    def check(self, value: int) -> None:
        if not self.min_value <= value <= self.max_value:
            raise ValidationError(
                _("Enter a whole number from %(min)d to %(max)d."),
                params={"min": self.min_value, "max": self.max_value},
            )

    def form_fields(self, rule: "PlanRule") -> dict[str, forms.Field]:
        return {
            "": forms.IntegerField(
                label=rule.label,
                help_text=rule.help_text,
                min_value=self.min_value,
                max_value=self.max_value,
            )
        }

    def initial(self, value: int) -> dict[str, Any]:
        return {"": value}

    def from_form(self, data: dict[str, Any]) -> int:
        return int(data[""])

    def display(self, value: int) -> str:
        return str(value)


@dataclass(frozen=True)
class DeadlineType:
    """N days, counted as calendar or working days (the calendar's `DeadlineRule`)."""

    max_days: int = 365

    def to_json(self, value: DeadlineRule) -> dict:
        return {"days": value.days, "counting": str(value.counting)}

    def from_json(self, raw: Any) -> DeadlineRule:
        days = raw["days"]
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError("days is not an integer")
        return DeadlineRule(days, raw.get("counting", "calendar"))

    def check(self, value: DeadlineRule) -> None:
        if not 0 <= value.days <= self.max_days:
            raise ValidationError(
                _("Enter a number of days from 0 to %(max)d."), params={"max": self.max_days}
            )

    def form_fields(self, rule: "PlanRule") -> dict[str, forms.Field]:
        return {
            "days": forms.IntegerField(
                label=rule.label, help_text=rule.help_text, min_value=0, max_value=self.max_days
            ),
            "counting": forms.ChoiceField(label=_("Counting"), choices=Counting.choices),
        }

    def initial(self, value: DeadlineRule) -> dict[str, Any]:
        return {"days": value.days, "counting": str(value.counting)}

    def from_form(self, data: dict[str, Any]) -> DeadlineRule:
        return DeadlineRule(int(data["days"]), data["counting"])

    def display(self, value: DeadlineRule) -> str:
        return str(value)


@dataclass(frozen=True)
class MonthDayType:
    def to_json(self, value: MonthDay) -> str:
        return str(value)

    def from_json(self, raw: Any) -> MonthDay:
        month, day = str(raw).split("-")
        return MonthDay(int(month), int(day))

    def check(self, value: MonthDay) -> None:
        pass  # a MonthDay is valid by construction

    def form_fields(self, rule: "PlanRule") -> dict[str, forms.Field]:
        return {
            "": forms.CharField(
                label=rule.label,
                help_text=rule.help_text,
                max_length=5,
                widget=forms.TextInput(attrs={"placeholder": "MM-DD", "size": 6}),
            )
        }

    def initial(self, value: MonthDay) -> dict[str, Any]:
        return {"": str(value)}

    def from_form(self, data: dict[str, Any]) -> MonthDay:
        try:
            return self.from_json(data[""].strip())
        except (ValueError, TypeError):
            raise ValidationError(_("Enter a month and day as MM-DD, for example 03-31.")) from None

    def display(self, value: MonthDay) -> str:
        return str(value)


@dataclass(frozen=True)
class BooleanType:
    def to_json(self, value: bool) -> bool:
        return bool(value)

    def from_json(self, raw: Any) -> bool:
        if not isinstance(raw, bool):
            raise TypeError("not a boolean")
        return raw

    def check(self, value: bool) -> None:
        pass

    def form_fields(self, rule: "PlanRule") -> dict[str, forms.Field]:
        return {"": forms.BooleanField(label=rule.label, help_text=rule.help_text, required=False)}

    def initial(self, value: bool) -> dict[str, Any]:
        return {"": value}

    def from_form(self, data: dict[str, Any]) -> bool:
        return bool(data[""])

    def display(self, value: bool) -> str:
        return str(_("Yes") if value else _("No"))


@dataclass(frozen=True)
class JSONType:
    """A small structured value (staffing bands: [[students up to, guards], …]); `validate`
    raises ValidationError for a value that does not fit."""

    validate: Callable[[Any], None] = field(default=lambda value: None)

    def to_json(self, value: Any) -> Any:
        return value

    def from_json(self, raw: Any) -> Any:
        return raw

    def check(self, value: Any) -> None:
        self.validate(value)

    def form_fields(self, rule: "PlanRule") -> dict[str, forms.Field]:
        return {
            "": forms.CharField(
                label=rule.label, help_text=rule.help_text, widget=forms.Textarea(attrs={"rows": 3})
            )
        }

    def initial(self, value: Any) -> dict[str, Any]:
        return {"": json.dumps(value, ensure_ascii=False)}

    def from_form(self, data: dict[str, Any]) -> Any:
        try:
            return json.loads(data[""])
        except ValueError:
            raise ValidationError(_("Enter the value in JSON notation.")) from None

    def display(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)


def _type_of(default: Any) -> RuleType:
    if isinstance(default, bool):
        return BooleanType()
    if isinstance(default, int):
        return IntegerType()
    if isinstance(default, DeadlineRule):
        return DeadlineType()
    if isinstance(default, MonthDay):
        return MonthDayType()
    return JSONType()


# --- declarations ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PlanRule:
    """One number (or date, or deadline …) an engine reads, declared by that engine."""

    key: str  # "<app label>.<name>": the app label groups it on the plan page
    default: Any
    label: Any = ""
    help_text: Any = ""
    type: RuleType | None = None  # inferred from the default when not given
    # Called inside the transaction that changed the value in `plan` (or published the plan),
    # so that what the engine stored by the old value follows (forms not received yet).
    on_change: Callable[..., None] | None = None

    @property
    def kind(self) -> RuleType:
        return self.type or _type_of(self.default)

    @property
    def engine(self) -> str:
        return self.key.split(".", 1)[0]

    def parse(self, raw: Any) -> Any:
        """A stored value as the engine reads it, or ValidationError."""
        try:
            value = self.kind.from_json(raw)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise ValidationError(_("Not a valid value.")) from None
        self.kind.check(value)
        return value

    def clean(self, value: Any) -> Any:
        """Check a value given by a person or a caller; returns its JSON form."""
        self.kind.check(value)
        return self.kind.to_json(value)


_RULES: dict[str, PlanRule] = {}


def register_rule(rule: PlanRule) -> PlanRule:
    _RULES[rule.key] = rule
    return rule


def unregister_rule(key: str) -> None:
    """Forget a rule (tests that declare their own)."""
    _RULES.pop(key, None)


def declared(key: str) -> PlanRule | None:
    return _RULES.get(key)


def declared_rules() -> dict[str, PlanRule]:
    return dict(_RULES)


def rules_by_engine() -> list[tuple[str, str, list[PlanRule]]]:
    """(app label, the app's name for people, its rules) in the order of INSTALLED_APPS."""
    groups: dict[str, list[PlanRule]] = {}
    for r in _RULES.values():
        groups.setdefault(r.engine, []).append(r)
    out = []
    for config in apps.get_app_configs():
        if config.label in groups:
            out.append((config.label, str(config.verbose_name), groups.pop(config.label)))
    out += [(label, label, rules) for label, rules in groups.items()]
    return out


# --- the plan in force -------------------------------------------------------------------------


def _ancestor_ids(org: Org) -> list[int]:
    return [int(part) for part in org.path.split("/") if part]


def choose_plan(plans: Iterable[Plan], year: int) -> Plan | None:
    """Of one bureau's published plans, the one in force in `year`: that year's; in a year
    not planned yet, the latest earlier one; before the first plan, the first."""
    plans = list(plans)
    earlier = [p for p in plans if p.year <= year]
    if earlier:
        return max(earlier, key=lambda p: p.year)
    return min(plans, key=lambda p: p.year) if plans else None


class Rules:
    """The rules in force on `on`, for any number of orgs: one query for the plans, one per
    rule asked for the stored values."""

    def __init__(self, *, on: date):
        self.on = on
        self._by_owner: dict[int, list[Plan]] | None = None
        self._values: dict[str, dict[int, Any]] = {}

    def _plans(self) -> dict[int, list[Plan]]:
        if self._by_owner is None:
            self._by_owner = {}
            for p in Plan.objects.filter(is_active=True).select_related("owner"):
                self._by_owner.setdefault(p.owner_id, []).append(p)
        return self._by_owner

    def plan(self, org: Org) -> Plan | None:
        """The published plan in force for `org` on the day: its nearest planning ancestor's
        (the bureau), for the year of the day."""
        plans = self._plans()
        for owner_id in reversed(_ancestor_ids(org)):
            if owner_id in plans:
                return choose_plan(plans[owner_id], self.on.year)
        return None

    def get(self, rule: PlanRule, *, org: Org) -> Any:
        plan = self.plan(org)
        if plan is None:
            return rule.default
        if rule.key not in self._values:
            self._values[rule.key] = dict(
                PlanRuleValue.objects.filter(key=rule.key).values_list("plan_id", "value")
            )
        stored = self._values[rule.key]
        if plan.pk not in stored:
            return rule.default
        try:
            return rule.parse(stored[plan.pk])
        except ValidationError:
            # Every write goes through the declaration; a value that no longer parses (a
            # declaration narrowed since) falls back to the default rather than failing a page.
            return rule.default


def rule(declaration: PlanRule, *, org: Org, on: date) -> Any:
    """The value of `declaration` in force for `org` on `on`."""
    return Rules(on=on).get(declaration, org=org)


def plan_in_force(*, org: Org, on: date) -> Plan | None:
    """The published plan that governs `org` on `on` (None: the bureau has none)."""
    return Rules(on=on).plan(org)


def plan_values(plan: Plan) -> dict[str, Any]:
    """Every declared rule's value in `plan` (stored, else the default), by key."""
    stored = dict(plan.rule_values.values_list("key", "value"))
    out = {}
    for key, r in _RULES.items():
        try:
            out[key] = r.parse(stored[key]) if key in stored else r.default
        except ValidationError:
            out[key] = r.default
    return out
