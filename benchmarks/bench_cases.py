"""The case engine at district scale (issue 9): "20,000 cases; the overdue list and a case page
keep a constant query count".

`test_case_pages_keep_their_query_count_from_10k_to_20k` seeds the 200-school district and
`case_history.py`'s cases (petitions of the bureau, a tenth disputes of the schools, with their
clocks, grants and created events) in two steps, and for the petitions clerk (CASE_CLERK at
the bureau), the bureau leader and a department's handler measures: the overdue list
(/cases/?overdue=1), the list's first and last page, a confidential case page the user handles
and one they see but do not handle (the same two cases at both sizes), and the API list when
`/api/v1/cases` exists. Printed: the query count at 10,000 and at 20,000 cases (they must be
equal: the test fails after printing the table if one is not) and the median and p95 of
ANWEN_CASE_RUNS requests (Django test client, no network).

    uv run pytest benchmarks/bench_cases.py -m benchmark -s -p no:randomly
"""

import os
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from datetime import date, datetime
from datetime import time as dtime

import pytest
import time_machine
from case_history import seed
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone

from anwen.accounts.models import User
from anwen.cases.models import Case
from anwen.cases.selectors import overdue_q
from anwen.cases.who import GRANTS, HANDLER
from anwen.demo.district import build_district
from anwen.orgs.models import Org, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.testing.world import api_key, log_in
from anwen.workflow.models import Grant, Timer

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=False)]

SCHOOLS = int(os.environ.get("ANWEN_CASE_SCHOOLS", "200"))
TOTAL = int(os.environ.get("ANWEN_CASE_ROWS", "20000"))
RUNS = int(os.environ.get("ANWEN_CASE_RUNS", "15"))
TODAY = date(2026, 12, 1)
NOW = datetime.combine(TODAY, dtime(18), tzinfo=timezone.get_current_timezone())
USERS = ("clerk", "leader", "handler")
NUMBER = re.compile(r"\b\d+\b")
# A list of ids of any length is one shape (the page's ids are not the table's size).
IN_LIST = re.compile(r"IN \((?:\?, )*\?\)")


def api_exists() -> bool:
    try:
        resolve("/api/v1/cases")
    except Resolver404:
        return False
    return True


def _account(district, username: str, role: str, org: Org) -> User:
    """A demo account, or one made here where the district has none of that name."""
    user = district.accounts.get(username)
    if user is None:
        user = User.objects.create(username=username, display_name=username)
        RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


def _cases_of(user) -> tuple[int, int]:
    """(a petition the user handles, a petition the user sees but does not handle): of those
    in the middle of their life (being handled), so the page has steps to offer."""
    from anwen.cases.selectors import visible_cases

    mine = Grant.objects.filter(record_type=GRANTS, user=user, reason=HANDLER).values("record_id")
    seen = visible_cases(user).filter(type="petition", state="handling")
    handled = seen.filter(pk__in=mine).order_by("pk").values_list("pk", flat=True).first()
    other = seen.exclude(pk__in=mine).order_by("pk").values_list("pk", flat=True).first()
    assert handled and other, f"{user.username}: no case to open ({handled}, {other})"
    return handled, other


def pages(case_pks: tuple[int, int], api_auth: dict) -> list[tuple[str, str, dict]]:
    handled, other = case_pks
    out = [
        ("overdue list", "/cases/?overdue=1", {}),
        ("list p1", "/cases/", {}),
        ("list last page", "/cases/?page=99999", {}),
        ("case handled", f"/cases/{handled}/", {}),
        ("case not handled", f"/cases/{other}/", {}),
    ]
    if api_exists():
        out.append(("api list", "/api/v1/cases?limit=50", api_auth))
    return out


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


REPEATED: dict[tuple[str, str, int], Counter] = {}
# Every statement's shape per page and user, at each size in turn: when a count differs, the
# statements that one size asked and the other did not are printed.
SHAPES: dict[tuple[str, str], list[Counter]] = {}


def measure(client: Client, url: str, headers: dict) -> tuple[int, int, float, float]:
    """(status, queries, median ms, p95 ms) of RUNS GETs after a warming one."""
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    n_queries = len(queries)
    # The same statement with other numbers: a query per row, if the page has one.
    shapes = Counter(
        IN_LIST.sub("IN (…)", NUMBER.sub("?", q["sql"])) for q in queries.captured_queries
    )
    user = str(client.session.get("_auth_user_id"))
    REPEATED[(url, user, n_queries)] = Counter({sql: n for sql, n in shapes.items() if n > 2})
    SHAPES.setdefault((url, user), []).append(shapes)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    return response.status_code, n_queries, statistics.median(timings), p95(timings)


def explain_slowest(clients, chosen, *, top: int = 2) -> list[str]:
    """The slowest statements of the list pages at the largest size, with their plans: where
    the time of a slow page goes."""
    out = ["slowest statements of the list pages at the largest size (ms, plan):"]
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for username, (client, _auth) in clients.items():
        for label, url, _h in pages(chosen[username], {})[:3]:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:top]
            total = sum(float(q["time"]) for q in queries.captured_queries) * 1000
            out.append(f"  {username} {label}: {len(queries)} queries, {total:.0f} ms in SQL")
            for q in slow:
                with connection.cursor() as cursor:
                    cursor.execute(explain + q["sql"])
                    plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
                out.append(f"    {float(q['time']) * 1000:.0f} ms: {q['sql'][:400]}")
                out.append(f"      plan: {plan[:400]}")
    return out


def test_case_pages_keep_their_query_count_from_10k_to_20k():
    started = time.perf_counter()
    district = build_district(schools=SCHOOLS)
    bureau = district.bureau
    safety = Org.objects.get(code=district.plan.safety_office_code)
    accounts = {
        "clerk": _account(district, "clerk", RoleName.CASE_CLERK, bureau),
        "leader": _account(district, "leader", RoleName.BUREAU_LEADER, bureau),
        "handler": _account(district, "handler", RoleName.DEPARTMENT_STAFF, safety),
    }
    # A colleague in the handler's department: the cases handed to them are the department's
    # (the handler sees them, by the org's grant) but not the handler's to read.
    _account(district, "handler2", RoleName.DEPARTMENT_STAFF, safety)
    seeded = time.perf_counter() - started
    rng = random.Random(9)
    results: dict[tuple[str, str], dict[int, tuple]] = defaultdict(dict)
    chosen: dict[str, tuple[int, int]] = {}
    lines = []
    with time_machine.travel(NOW, tick=True):
        clients = {}
        for username, user in accounts.items():
            client = Client()
            log_in(client, user)
            clients[username] = (client, {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"})
        for step in (TOTAL // 2, TOTAL - TOTAL // 2):
            started = time.perf_counter()
            seed(step, rng=rng, today=TODAY, now=NOW)
            total = Case.objects.count()
            lines.append(f"seeded to {total} cases in {time.perf_counter() - started:.0f} s")
            for username, (client, auth) in clients.items():
                if username not in chosen:
                    chosen[username] = _cases_of(accounts[username])
                for label, url, headers in pages(chosen[username], auth):
                    results[(username, label)][total] = (url, *measure(client, url, headers))
        explained = explain_slowest(clients, chosen)
        open_rows = Case.objects.filter(closed=False).count()
        overdue = Case.objects.filter(closed=False).filter(overdue_q(timezone.now())).count()
        visible = {}
        from anwen.cases.selectors import visible_cases

        for username, user in accounts.items():
            visible[username] = (
                visible_cases(user).count(),
                visible_cases(user).filter(closed=False).filter(overdue_q(timezone.now())).count(),
            )
    sizes = sorted({n for by_size in results.values() for n in by_size})
    small, large = sizes[0], sizes[-1]
    timers = Timer.objects.filter(record_type__startswith="cases.").count()
    table = [
        f"\n{SCHOOLS} schools (district seeded in {seeded:.0f} s), {large} cases ({open_rows} "
        f"open, {overdue} of them overdue on {TODAY}), {timers} timers, "
        f"{Grant.objects.filter(record_type=GRANTS).count()} case grants, {RUNS} runs per page, "
        f"{connection.vendor}",
        *lines,
        "seen (overdue) at the end: "
        + ", ".join(f"{u} {n} ({o})" for u, (n, o) in visible.items()),
        "api list: " + ("measured" if api_exists() else "/api/v1/cases not there, not measured"),
        f"{'account':<8} {'page':<17} {'status':>6} {'q@' + str(small):>8} {'q@' + str(large):>9}"
        f" {'med@' + str(small):>10} {'p95@' + str(small):>10} {'med@' + str(large):>11}"
        f" {'p95@' + str(large):>11}   (ms)",
    ]
    unequal = []
    for (username, label), by_size in results.items():
        _u, s1, q1, m1, p1 = by_size[small]
        _u, s2, q2, m2, p2 = by_size[large]
        flag = "" if q1 == q2 else "  <-- NOT CONSTANT"
        table.append(
            f"{username:<8} {label:<17} {s2:>6} {q1:>8} {q2:>9} {m1:>10.1f} {p1:>10.1f} "
            f"{m2:>11.1f} {p2:>11.1f}{flag}"
        )
        if q1 != q2 or s1 != 200 or s2 != 200:
            unequal.append(f"{username} {label}: {q1}→{q2} queries, status {s1}/{s2}")
    table.append(
        "cases opened: " + "; ".join(f"{u} handled {a}, not {b}" for u, (a, b) in chosen.items())
    )
    bad = {(v[small][0]) for v in results.values() if v[small][2] != v[large][2]}
    for (url, user, n), shapes in REPEATED.items():
        if url in bad:
            for sql, times in shapes.most_common(1):
                table.append(f"  user {user} {url} ({n} queries): {times}× {sql[:300]}")
    for (url, user), sizes in SHAPES.items():
        if len(sizes) == 2 and sizes[0] != sizes[1]:
            for sql in (sizes[1] - sizes[0]) + (sizes[0] - sizes[1]):
                table.append(f"  differs, user {user} {url}: {sql[:400]}")
    table += explained
    print("\n".join(table))
    assert not unequal, "query count not constant or page failed: " + "; ".join(unequal)
