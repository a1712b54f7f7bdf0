"""The autumn training of guards as a record of the rhythm engine (SM6.4, SM3.2).

The plan owes each school its guards' training every autumn: a yearly obligation ("guard-
autumn-training" in plan 2021) fulfilled by records of kind `guards.autumn_training`, due by
the plan's day (`rules.TRAINING_DUE`). The register is where the training is entered: a
guard's `trained_on` from the form or the security company's list. Whenever guards are saved,
each school's autumn training days among them become one record per school and day (a list of
30 guards trained on 20 September is one training); trainings before the autumn season (a
spring refresher) fulfil nothing. Records stay when a guard's date changes later: the training
took place."""

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import Rules
from anwen.obligations.registry import RecordKind
from anwen.orgs.models import Org

from .rules import TRAINING_DUE, TRAINING_FROM, in_autumn

KIND = "guards.autumn_training"


def training_due(obligation, start: date, end: date) -> date:
    return Rules(on=start).get(TRAINING_DUE, org=obligation.plan.owner).in_year(start.year)


RECORD_KIND = RecordKind(
    KIND,
    _("Autumn guard training"),
    url=lambda period: reverse("registers:list", kwargs={"key": "guards"}),
    due=training_due,
)


def record_trainings(guards: Sequence, by) -> int:
    """Write the records of the autumn trainings among `guards` not recorded yet; returns how
    many. A fixed number of queries: the orgs, the plans, the rule's values, the records."""
    from anwen.obligations.models import Record
    from anwen.obligations.services import records_bulk_add

    days = {(g.org_id, g.trained_on) for g in guards if g.trained_on}
    if not days:
        return 0
    orgs = Org.objects.in_bulk({org_id for org_id, _day in days})
    rules: dict[int, Rules] = {}
    wanted = set()
    for org_id, day in days:
        year_rules = rules.setdefault(day.year, Rules(on=day))
        if in_autumn(day, year_rules.get(TRAINING_FROM, org=orgs[org_id])):
            wanted.add((org_id, day))
    if not wanted:
        return 0
    recorded = set(
        Record.objects.filter(
            kind=KIND,
            org_id__in={o for o, _d in wanted},
            occurred_on__in={d for _o, d in wanted},
        ).values_list("org_id", "occurred_on")
    )
    new = sorted(wanted - recorded)
    by_id = getattr(by, "pk", None)
    return records_bulk_add(
        {"kind": KIND, "org_id": org_id, "occurred_on": day, "by_id": by_id} for org_id, day in new
    )
