"""Helpers for tests of any engine that reads the yearly plan's rules: a published plan for a
bureau and year, a rule set in it through the service, and the plan page's POST data."""

from anwen.obligations.forms import PlanRulesForm
from anwen.obligations.models import Plan
from anwen.obligations.plans import plan_values
from anwen.obligations.services import plan_rules_set


def plan_of(owner, year: int | None = None) -> Plan:
    """The bureau's published plan of `year` (this year by default), made bare when missing."""
    from django.utils import timezone

    year = year or timezone.localdate().year
    plan = Plan.objects.filter(owner=owner, year=year, is_active=True).first()
    return plan or Plan.objects.create(
        owner=owner, year=year, code=f"plan-{year}", name=f"{year}年工作计划"
    )


def set_rules(owner, *, by=None, year: int | None = None, **values) -> Plan:
    """Set rules in the bureau's plan: set_rules(B1, fire__form_deadline=DeadlineRule(7))."""
    plan = plan_of(owner, year)
    plan_rules_set(plan=plan, by=by, values={k.replace("__", "."): v for k, v in values.items()})
    return plan


def rules_post(plan: Plan, **changes) -> dict:
    """The rules form as the plan page sends it, with `changes` (field name -> value; a
    deadline's fields are "<key>.days" and "<key>.counting")."""
    form = PlanRulesForm(values=plan_values(plan))
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(changes)
    return {
        k: ("on" if v is True else v) for k, v in data.items() if v is not None and v is not False
    }


__all__ = ["plan_of", "rules_post", "set_rules"]
