"""The rhythm engine on a 200-school district with a year of daily grid-area inspections: how
long period generation, bulk records and recounting take, how fast the month's completion for
every school is, and that the to-do provider's query count does not grow with the history.
Numbers are printed (run with -s); the assertions only catch gross regressions."""

import time
from datetime import date, datetime, timedelta
from datetime import time as dtime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anwen.accounts.models import User
from anwen.demo.district import build_district
from anwen.obligations import selectors
from anwen.obligations.models import Obligation, Period, Plan, Record, Target
from anwen.obligations.registry import (
    Subject,
    SubjectProvider,
    register_subjects,
    unregister_subjects,
)
from anwen.obligations.services import ensure_periods, records_bulk_add
from anwen.obligations.todo import waiting_on
from anwen.orgs.models import Org, OrgKind, Person
from anwen.orgs.services import role_assign

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

AREAS_PER_SCHOOL = 6
PROVIDER = "bench.grid_area"


class GridAreas:
    """Six areas per school, each owned by one of the school's staff, existing since `since`."""

    def __init__(self):
        self.since: date | None = None
        self.owners: dict[int, list[int]] = {}

    def __call__(self, org_ids):
        for org_id in org_ids:
            owners = self.owners.get(org_id) or [None]
            for i in range(AREAS_PER_SCHOOL):
                yield Subject(
                    org_id,
                    org_id * 100 + i,
                    owners[i % len(owners)],
                    f"网格{i + 1}",
                    since=self.since,
                )


@pytest.fixture
def grid():
    provider = GridAreas()
    register_subjects(SubjectProvider(code=PROVIDER, label="网格", subjects=provider))
    yield provider
    unregister_subjects(PROVIDER)


def _timed(label, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:>8.3f} s")
    return result, seconds


def _records(obligation, start, end):
    """A record for most periods between start and end: every ninth school skips a third."""
    rows = []
    periods = (
        Period.objects.filter(obligation=obligation, start__gte=start, start__lte=end)
        .values_list("org_id", "subject_id", "start")
        .iterator(chunk_size=20000)
    )
    for org_id, subject_id, day in periods:
        if org_id % 9 == 0 and (subject_id + day.toordinal()) % 3 == 0:
            continue
        late = (subject_id + day.toordinal()) % 17 == 0
        moment = timezone.make_aware(
            datetime.combine(day + timedelta(days=2 if late else 0), dtime(16, 30))
        )
        rows.append(
            {
                "kind": "inspections.area_daily",
                "org_id": org_id,
                "subject_id": subject_id,
                "occurred_on": day,
                "submitted_at": moment,
                "by_id": None,
                "source": None,
            }
        )
    return rows


def _todo_queries(user, today):
    waiting_on(user, today=today)  # today's periods may be made on the first call
    with CaptureQueriesContext(connection) as queries:
        items = waiting_on(user, today=today)
    return len(queries), items


def test_a_year_of_daily_area_inspections_for_200_schools(grid):
    print()
    district, _ = _timed(
        "district of 200 schools", lambda: build_district(schools=200, with_accounts=False)
    )
    bureau = district.bureau
    today = timezone.localdate()
    schools = list(Org.objects.filter(kind=OrgKind.SCHOOL).values_list("pk", flat=True))
    for org_id, person_id in Person.objects.filter(org_id__in=schools).values_list("org_id", "pk"):
        grid.owners.setdefault(org_id, []).append(person_id)
    owner = Person.objects.get(pk=grid.owners[schools[0]][0])
    owner.user = User.objects.create_user(username="owner", password="x-bench-2026")
    owner.save(update_fields=["user"])
    role_assign(user=owner.user, org=owner.org, role="teacher")
    officer = User.objects.create_user(username="officer", password="x-bench-2026")
    role_assign(user=officer, org=bureau, role="bureau_officer")

    plan = Plan.objects.create(owner=bureau, code="bench", name="基准")
    obligation = Obligation.objects.create(
        plan=plan,
        code="area-daily",
        name="网格日查",
        record_kind="inspections.area_daily",
        frequency="working_daily",
        per_subject=PROVIDER,
        starts_on=today - timedelta(days=14),
    )

    # A short history: two weeks.
    grid.since = today - timedelta(days=14)
    _timed("periods, two weeks", lambda: ensure_periods(through=today))
    records_bulk_add(_records(obligation, today - timedelta(days=14), today))
    short_queries, short_items = _todo_queries(owner.user, today)

    # A year: every target starts again a year back.
    year_ago = today - timedelta(days=365)
    Target.objects.filter(obligation=obligation).delete()
    Obligation.objects.filter(pk=obligation.pk).update(starts_on=year_ago, generated_through=None)
    grid.since = year_ago
    _timed("periods, one year", lambda: ensure_periods(through=today))
    rows, _ = _timed(
        "plan a year of records", lambda: _records(obligation, year_ago, today - timedelta(days=15))
    )
    _timed(f"records_bulk_add ({len(rows)} rows, recount)", lambda: records_bulk_add(rows))
    n_periods, n_records = Period.objects.count(), Record.objects.count()
    print(f"{'rows':<44} {n_periods} periods, {n_records} records")
    assert n_periods > 200 * AREAS_PER_SCHOOL * 240

    _, again = _timed("ensure_periods again (nothing to do)", lambda: ensure_periods(through=today))
    assert again < 5

    long_queries, long_items = _todo_queries(owner.user, today)
    print(f"{'to-do queries, two weeks / one year':<44} {short_queries} / {long_queries}")
    assert long_queries == short_queries
    assert len(long_items) <= 2 * AREAS_PER_SCHOOL

    last_month_end = today.replace(day=1) - timedelta(days=1)
    month = selectors.window("month", last_month_end)
    selectors.completion(user=officer, start=month.start, end=month.end)  # warm the scope
    timings = {}
    for group in ("school", "centre"):
        rows_, seconds = _timed(
            f"completion of a month per {group}",
            lambda g=group: selectors.completion(
                user=officer, start=month.start, end=month.end, group=g
            ),
        )
        timings[group] = seconds
        if group == "school":
            assert len(rows_) == 200
            assert sum(r.expected for r in rows_) >= 200 * AREAS_PER_SCHOOL * 15
    _, year_seconds = _timed(
        "completion of the year per school",
        lambda: selectors.completion(user=officer, start=year_ago, end=today),
    )
    assert timings["school"] < 1.0 and timings["centre"] < 1.0 and year_seconds < 5.0
