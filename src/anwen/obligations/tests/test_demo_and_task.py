"""The demo history and the periodic task: both bulk, both idempotent where it matters."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anwen.demo.district import build_district
from anwen.obligations import selectors
from anwen.obligations.demo import load_demo
from anwen.obligations.models import Period, Plan, Record
from anwen.obligations.services import ensure_periods, recount
from anwen.obligations.tasks import ensure_obligation_periods
from anwen.orgs.models import Org, OrgKind

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(Period.objects.order_by("pk").values_list("records", "done_at", "on_time"))


@pytest.mark.req("SM2.4", "OG3.1")
def test_the_demo_history_is_three_months_of_imperfect_routine_logs():
    district = build_district(schools=30, with_accounts=False)
    today = timezone.localdate()
    load_demo(bureau=district.bureau, today=today, rng=random.Random(7))
    plan = Plan.objects.get(owner=district.bureau)
    assert (
        plan.obligations.filter(starts_on=today - timedelta(days=91)).count()
        == plan.obligations.count()
    )
    assert Record.objects.filter(kind__startswith="routine.").count() > 30 * 300
    # The closing steps of the history loader: recount everything, generate through today.
    before = _snapshot()
    recount()
    with CaptureQueriesContext(connection) as queries:
        ensure_periods(through=today)
    assert _snapshot() == before
    assert not any(q["sql"].startswith("INSERT") for q in queries)
    # Routine work is mostly done, but not everywhere and not always on time.
    schools = list(Org.objects.filter(kind=OrgKind.SCHOOL).values_list("pk", flat=True))
    figures = selectors.completion_for_orgs(
        schools,
        today - timedelta(days=91),
        today,
        obligation_codes=list(
            plan.obligations.filter(record_kind__startswith="routine.").values_list(
                "code", flat=True
            )
        ),
    )
    rates = sorted(f.rate for f in figures.values())
    assert rates[-1] > 0.9 and rates[0] < 0.8
    assert any(f.late for f in figures.values())


def test_the_demo_is_deterministic_for_a_seed():
    district = build_district(schools=5, with_accounts=False)
    today = timezone.localdate()
    load_demo(bureau=district.bureau, today=today, rng=random.Random(3))
    first = list(
        Record.objects.order_by("org_id", "kind", "occurred_on", "submitted_at").values_list(
            "org_id", "kind", "occurred_on", "submitted_at"
        )
    )
    Record.objects.all().delete()
    Period.objects.all().delete()
    Plan.objects.all().delete()
    load_demo(bureau=district.bureau, today=today, rng=random.Random(3))
    assert (
        list(
            Record.objects.order_by("org_id", "kind", "occurred_on", "submitted_at").values_list(
                "org_id", "kind", "occurred_on", "submitted_at"
            )
        )
        == first
    )


@pytest.mark.req("SM2.2")
def test_the_periodic_task_makes_todays_periods_once(world, make_obligation):
    today = timezone.localdate()
    make_obligation("daily", starts_on=today - timedelta(days=2))
    first = ensure_obligation_periods.enqueue().return_value
    assert first["periods"] == 9 and first["through"] == today.isoformat()
    second = ensure_obligation_periods.enqueue().return_value
    assert second["periods"] == 0 and Period.objects.count() == 9
