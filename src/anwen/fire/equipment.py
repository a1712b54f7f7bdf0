"""What the fire equipment and risk assessment registers compute from the plan (SM7.2, SM7.3):
the next service of a piece of equipment (last service + the plan's months for its kind), the
next assessment of a high-risk school (assessed + the plan's months), which schools the plan
makes fire high-risk units, and which of them lack this year's assessment.

The due dates are stored (so the one expiry mechanism, `registers.expiry`, can list them in a
query); `derive_*` compute them before every save, `rederive_*` when the bureau changes the
interval in its plan."""

import calendar as pycalendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import paths_q, within_q

from . import rules
from .models import FireEquipment, FireRiskAssessment


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def service_months(kind: str, *, org: Org, today: date, plan: Rules | None = None) -> int:
    months = (plan or Rules(on=today)).get(rules.SERVICE_MONTHS, org=org)
    return int(months.get(kind, rules.SERVICE_MONTHS.default.get(kind, 12)))


def derive_service_due(values: dict[str, Any], org: Org, today: date) -> dict[str, Any]:
    """The register's `derive`: the next service from the last one and the plan's interval."""
    last, kind = values.get("last_serviced_on"), values.get("kind")
    values["service_due"] = (
        add_months(last, service_months(kind, org=org, today=today)) if last and kind else None
    )
    return values


def derive_next_assessment(values: dict[str, Any], org: Org, today: date) -> dict[str, Any]:
    """The year of an assessment is its day's unless given; the next is the plan's months on."""
    assessed = values.get("assessed_on")
    if assessed and not values.get("year"):
        values["year"] = assessed.year
    months = Rules(on=today).get(rules.ASSESSMENT_MONTHS, org=org)
    values["next_due"] = add_months(assessed, int(months)) if assessed else None
    return values


@transaction.atomic
def rederive_service_due(*, owner: Org, today: date) -> int:
    """Recompute the next service of the equipment under `owner` by the plan in force today;
    returns how many changed."""
    plan = Rules(on=today)
    changed = []
    rows = (
        FireEquipment.objects.select_for_update(of=("self",))
        .filter(within_q(owner, "org"), last_serviced_on__isnull=False)
        .select_related("org")
    )
    for item in rows:
        due = add_months(
            item.last_serviced_on,  # type: ignore[arg-type]  # filtered on not null
            service_months(item.kind, org=item.org, today=today, plan=plan),
        )
        if due != item.service_due:
            item.service_due = due
            changed.append(item)
    FireEquipment.objects.bulk_update(changed, ["service_due"], batch_size=500)
    return len(changed)


@transaction.atomic
def rederive_next_assessment(*, owner: Org, today: date) -> int:
    plan = Rules(on=today)
    changed = []
    rows = FireRiskAssessment.objects.select_for_update(of=("self",)).filter(within_q(owner, "org"))
    for item in rows.select_related("org"):
        due = add_months(item.assessed_on, int(plan.get(rules.ASSESSMENT_MONTHS, org=item.org)))
        if due != item.next_due:
            item.next_due = due
            changed.append(item)
    FireRiskAssessment.objects.bulk_update(changed, ["next_due"], batch_size=500)
    return len(changed)


# --- fire high-risk units ---------------------------------------------------------------------


def is_high_risk(school: Org, *, plan: Rules) -> bool:
    """By the plan's conditions on the school's profile: boarding; a kindergarten of at least
    the plan's number of children; any school of at least the plan's enrolment."""
    profile = getattr(school, "school", None)
    if profile is None:
        return False
    if profile.boarding and plan.get(rules.HIGH_RISK_BOARDING, org=school):
        return True
    children = int(plan.get(rules.HIGH_RISK_KINDERGARTEN, org=school))
    if profile.school_type == "kindergarten" and children and profile.enrolment >= children:
        return True
    students = int(plan.get(rules.HIGH_RISK_ENROLMENT, org=school))
    return bool(students) and profile.enrolment >= students


def high_risk_schools(paths: Sequence[str], *, today: date) -> list[Org]:
    """The active schools under `paths` the plan in force makes fire high-risk units."""
    plan = Rules(on=today)
    schools = (
        Org.objects.filter(paths_q(paths), kind=OrgKind.SCHOOL, is_active=True)
        .select_related("school", "parent")
        .order_by("path")
    )
    return [s for s in schools if is_high_risk(s, plan=plan)]


@dataclass(frozen=True)
class RiskRow:
    school: Org
    assessment: FireRiskAssessment | None  # this year's, or None: missing


def risk_rows(paths: Sequence[str], *, today: date) -> list[RiskRow]:
    """Each high-risk school under `paths` with its assessment of this year (None: missing),
    the missing ones first. A fixed number of queries."""
    schools = high_risk_schools(paths, today=today)
    done = {
        a.org_id: a
        for a in FireRiskAssessment.objects.filter(org__in=[s.pk for s in schools], year=today.year)
    }
    rows = [RiskRow(s, done.get(s.pk)) for s in schools]
    rows.sort(key=lambda r: (r.assessment is not None, r.school.path))
    return rows
