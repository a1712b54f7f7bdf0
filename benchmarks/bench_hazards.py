"""The hazards engine at district scale (issue 8): 200 schools × 3 years of hazards (≈100,000).

Two measurements, printed (run with -s) for benchmarks/RESULTS.md:

- `test_hazard_pages_keep_their_query_count_from_50k_to_100k` — the district board (when the
  route `hazards:board` exists), the map data, the hazard list filtered and paged (page 1 and
  the last page, as a stale link lands there) and the API list, for the bureau, a centre and a
  school officer: the number of queries with 50,000 and with 100,000 hazards (they must be
  equal: the test fails after printing the table if one is not), and the median and p95 of
  ANWEN_HAZARD_RUNS requests (Django test client, no network).
- `test_hazard_exports_stream_in_flat_memory` — the hazard list's Excel export and the two lists
  of SM4.1 (problems, measures) of 1,000, 2,000, 10,000 and 40,000 rows: peak Python memory
  (tracemalloc) and peak RSS (the process's high-water mark, reset before each export where
  Linux allows). Rows are read `exports.xlsx.CHUNK` (2,000) at a time and two blocks are alive
  at once, so flat means: from the first size of two chunks (10,000) to 40,000 rows the peak
  grows less than 1.5×; a shorter list takes less. ANWEN_EXPORT_MAX_ROWS is checked too: a
  longer list is refused.

    uv run pytest benchmarks/bench_hazards.py -m benchmark -s -p no:randomly

The hazards come from `hazard_history.py` (bulk_create, the load scenario uses it too).
"""

import os
import random
import resource
import statistics
import time
import tracemalloc
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from hazard_history import seed

from anwen.demo.district import build_district
from anwen.exports.xlsx import CHUNK
from anwen.hazards.models import Hazard, HazardState
from anwen.orgs.models import Org, OrgKind
from anwen.testing.world import api_key, log_in

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=False)]

SCHOOLS = int(os.environ.get("ANWEN_HAZARD_SCHOOLS", "200"))
YEARS = 3
TOTAL = int(os.environ.get("ANWEN_HAZARD_ROWS", "100000"))
RUNS = int(os.environ.get("ANWEN_HAZARD_RUNS", "15"))
EXPORT_SIZES = tuple(
    int(n) for n in os.environ.get("ANWEN_HAZARD_EXPORT_SIZES", "1000,2000,10000,40000").split(",")
)
BATCH = 2000
TODAY = date(2026, 12, 1)
USERS = ("bureau", "centre", "school")
# The board is the bureau's and the centres' (a school officer gets 404 there, as designed).


def board_url() -> str | None:
    try:
        return reverse("hazards:board")
    except NoReverseMatch:
        return None


def pages(api_auth: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    """(label, url, headers) of what is measured."""
    listed = "/hazards/?category=fire&grade=general&state=closed"
    out = []
    board = board_url()
    if board is not None:
        out.append(("board", board, {}))
    out += [
        ("map data", "/maps/data.json?layer=hazards", {}),
        ("list p1 (3 filters)", listed, {}),
        ("list last page", listed + "&page=99999", {}),
        ("list overdue", "/hazards/?overdue=on&category=electrical", {}),
        ("api list", "/api/v1/hazards?category=fire&grade=general&limit=50", api_auth),
        (
            "api deep offset",
            "/api/v1/hazards?category=fire&grade=general&limit=50&offset=4000",
            api_auth,
        ),
    ]
    return out


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def measure(client: Client, url: str, headers: dict[str, str]) -> tuple[int, int, float, float]:
    """(status, queries, median ms, p95 ms) of RUNS GETs after a warming one."""
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    n_queries = len(queries)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    return response.status_code, n_queries, statistics.median(timings), p95(timings)


def test_hazard_pages_keep_their_query_count_from_50k_to_100k():
    from anwen.maps import marks

    started = time.perf_counter()
    district = build_district(schools=SCHOOLS)
    agency = Org.objects.filter(kind=OrgKind.AGENCY).order_by("pk").first()
    rng = random.Random(8)
    seeded = time.perf_counter() - started
    clients = {}
    for username in USERS:
        user = district.accounts[username]
        client = Client()
        log_in(client, user)
        clients[username] = (client, {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"})
    results: dict[tuple[str, str], dict[int, tuple]] = defaultdict(dict)
    lines = []
    for step in (TOTAL // 2, TOTAL - TOTAL // 2):
        started = time.perf_counter()
        seed(step, rng=rng, today=TODAY, agency=agency)
        total = Hazard.objects.count()
        lines.append(f"seeded to {total} hazards in {time.perf_counter() - started:.0f} s")
        for username, (client, auth) in clients.items():
            for label, url, headers in pages(auth):
                results[(username, label)][total] = (url, *measure(client, url, headers))
    sizes = sorted({n for by_size in results.values() for n in by_size})
    small, large = sizes[0], sizes[-1]
    open_rows = Hazard.objects.exclude(state=HazardState.CLOSED).count()
    overdue = Hazard.objects.exclude(state=HazardState.CLOSED).filter(deadline__lt=TODAY).count()
    header = (
        f"\n{SCHOOLS} schools (district seeded in {seeded:.0f} s), {large} hazards "
        f"({open_rows} open, {overdue} of them overdue on {TODAY}), {RUNS} runs per page, "
        f"{connection.vendor}"
    )
    table = [
        header,
        *lines,
        "board: " + ("measured" if board_url() else "route hazards:board not there, not measured"),
        "map layer 'hazards': "
        + (
            "registered"
            if marks.layer("hazards") and marks.layer("hazards").name == "hazards"
            else "NOT registered (the map's default layer answered)"
        ),
        f"{'account':<8} {'page':<20} {'status':>6} {'q@' + str(small):>8} {'q@' + str(large):>9}"
        f" {'med@' + str(small):>10} {'p95@' + str(small):>10} {'med@' + str(large):>11}"
        f" {'p95@' + str(large):>11}   (ms)",
    ]
    unequal = []
    for (username, label), by_size in results.items():
        _u, s1, q1, m1, p1 = by_size[small]
        _u, s2, q2, m2, p2 = by_size[large]
        flag = "" if q1 == q2 else "  <-- NOT CONSTANT"
        table.append(
            f"{username:<8} {label:<20} {s2:>6} {q1:>8} {q2:>9} {m1:>10.1f} {p1:>10.1f} "
            f"{m2:>11.1f} {p2:>11.1f}{flag}"
        )
        expected = 404 if (username, label) == ("school", "board") else 200
        if q1 != q2 or s1 != expected or s2 != expected:
            unequal.append(f"{username} {label}: {q1}→{q2} queries, status {s1}/{s2}")
    table.append("urls: " + "; ".join(f"{label} {url}" for label, url, _h in pages({})))
    print("\n".join(table))
    assert not unequal, "query count not constant or page failed: " + "; ".join(unequal)


def _reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process (Linux ≥ 4.0), so VmHWM is the peak
    of what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _vm(field: str) -> int:
    """VmRSS or VmHWM of this process, in KB (0 where /proc is not there)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _download(client: Client, url: str) -> tuple[int, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = sum(len(chunk) for chunk in response.streaming_content)
    # Reading it to the end closes the temporary file (not response.close(): outside a
    # request that would close the test's database connection).
    return response.status_code, size


def test_hazard_exports_stream_in_flat_memory():
    district = build_district(schools=SCHOOLS)
    client = Client()
    log_in(client, district.accounts["bureau"])
    rng = random.Random(4)
    unique = os.environ.get("ANWEN_HAZARD_UNIQUE_TITLES", "") == "1"
    exports = {"hazard list": "xlsx", "problem list": "problems", "measure list": "measures"}
    can_reset = _reset_peak_rss()
    lines = [
        f"\nexport memory, bureau, {SCHOOLS} schools"
        + (", every title different" if unique else ", titles as inspectors write them")
        + f"; peak RSS {'reset before each export' if can_reset else 'process lifetime'}",
        f"{'export':<13} {'rows':>6} {'KB file':>8} {'s':>5} {'tracemalloc peak MB':>20}"
        f" {'peak RSS MB (VmHWM)':>20} {'ru_maxrss MB':>13}",
    ]
    peaks: dict[str, dict[int, float]] = defaultdict(dict)
    for size in EXPORT_SIZES:
        seed(size - Hazard.objects.count(), rng=rng, today=TODAY, agency=None, unique_titles=unique)
        assert Hazard.objects.count() == size
        for label, fmt in exports.items():
            url = f"/hazards/?format={fmt}"
            if size == EXPORT_SIZES[0]:
                _download(client, url)  # warm: templates, translations, imports
            # RSS first, without tracemalloc (its own bookkeeping would count).
            _reset_peak_rss()
            started = time.perf_counter()
            _status, kb = _download(client, url)
            seconds = time.perf_counter() - started
            hwm = _vm("VmHWM") / 1024
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            tracemalloc.start()
            _download(client, url)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peaks[label][size] = peak / 2**20
            lines.append(
                f"{label:<13} {size:>6} {kb // 1024:>8} {seconds:>5.1f} {peak / 2**20:>20.1f}"
                f" {hwm:>20.0f} {maxrss:>13.0f}"
            )
    # ANWEN_EXPORT_MAX_ROWS: a longer list is sent back to be narrowed, not exported.
    with override_settings(ANWEN_EXPORT_MAX_ROWS=EXPORT_SIZES[-1] - 1):
        status = client.get("/hazards/?format=xlsx").status_code
    lines.append(
        f"{EXPORT_SIZES[-1]} rows with ANWEN_EXPORT_MAX_ROWS={EXPORT_SIZES[-1] - 1}: status "
        f"{status} " + ("(refused)" if status == 302 else "(NOT refused: the limit is not applied)")
    )
    # Rows are read CHUNK at a time, and Django's cursor_iter still holds the block before
    # while it fetches the next (django/db/models/sql/compiler.py, cursor_iter): the bound is
    # two blocks of rows. A list shorter than that holds fewer rows at once, so "flat" is read
    # from the first size of at least two chunks to the largest.
    full = next((n for n in EXPORT_SIZES if n >= 2 * CHUNK), EXPORT_SIZES[0])
    largest = EXPORT_SIZES[-1]
    growth = {label: by_size[largest] / by_size[full] for label, by_size in peaks.items()}
    lines.append(
        f"tracemalloc peak {largest} ÷ {full} rows (2 × CHUNK={CHUNK} or more): "
        + ", ".join(f"{label} {ratio:.2f}×" for label, ratio in growth.items())
        + f"; {largest} ÷ {EXPORT_SIZES[0]} rows: "
        + ", ".join(
            f"{label} {by_size[largest] / by_size[EXPORT_SIZES[0]]:.2f}×"
            for label, by_size in peaks.items()
        )
    )
    print("\n".join(lines))
    assert status == 302, "ANWEN_EXPORT_MAX_ROWS is not applied to the hazard export"
    assert all(ratio < 1.5 for ratio in growth.values()), growth
