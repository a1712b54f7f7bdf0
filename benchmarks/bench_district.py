"""How long the demo district takes to load, and how the home page performs for each role on
it. Numbers are printed (run with -s); the assertions only catch gross regressions."""

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anwen.demo.district import build_district
from anwen.orgs.models import Org, Person, SchoolProfile
from anwen.testing.world import log_in

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

REQUESTS = 20


def test_seeding_a_200_school_district():
    started = time.perf_counter()
    district = build_district(schools=200, with_accounts=False)
    seconds = time.perf_counter() - started
    rows = {
        "orgs": Org.objects.count(),
        "schools": SchoolProfile.objects.count(),
        "people": Person.objects.count(),
        "positions": Person.positions.through.objects.count(),
    }
    print(
        f"\nseeded 200 schools in {seconds:.2f} s: "
        + ", ".join(f"{n} {name}" for name, n in rows.items())
    )
    assert rows["schools"] == district.counts["schools"] == 200
    assert seconds < 60


def test_home_page_latency_and_queries_per_demo_role():
    district = build_district(schools=200)
    lines = [f"\n{'account':<10} {'role':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"]
    for username, user in district.accounts.items():
        client = Client()
        log_in(client, user)
        assert client.get("/").status_code == 200  # warm: caches, templates
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        # Counted now: the next requests clear the connection's query log.
        n_queries = len(queries)
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get("/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        role = user.role_assignments.get().role
        p95 = timings[int(len(timings) * 0.95) - 1]
        lines.append(
            f"{username:<10} {role:<16} {statistics.median(timings):>10.1f} "
            f"{p95:>8.1f} {n_queries:>8}"
        )
        assert n_queries < 40, username
    print("\n".join(lines))
