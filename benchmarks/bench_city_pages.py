"""Every page a bureau or centre user opens, at city scale: 4,000 schools and about 250,000 staff.

The goal (issue 7): for one user at a time, every page answers in at most 150 ms and weighs at
most 100 KB of HTML; nothing a school or a teacher sees grows with the number of schools. The
pages measured are the ones each demo login's own navigation offers (so a page added to the menu
is measured without editing this file), plus the home page.

Run on demand:  uv run pytest benchmarks/bench_city_pages.py -m benchmark -s
(ANWEN_CITY_SCHOOLS=N changes the scale). The table it prints goes into benchmarks/RESULTS.md.
"""

import os
import re
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anwen.demo.district import build_district
from anwen.testing.world import log_in

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=False)]

SCHOOLS = int(os.environ.get("ANWEN_CITY_SCHOOLS", "4000"))
# ANWEN_CITY_WITHOUT_TOP_BAR=1 leaves out the top bar's one-<select>-of-every-school (being
# replaced by a server-side search), to see what else a page spends.
WITHOUT_TOP_BAR = os.environ.get("ANWEN_CITY_WITHOUT_TOP_BAR", "") == "1"
REQUESTS = 7
GOAL_MS = 150
GOAL_KB = 100


def nav_links(html: str) -> list[str]:
    """The left navigation's links, in order, without duplicates."""
    marker = '<nav class="sidenav"'
    nav = html.split(marker, 1)[1].split("</nav>", 1)[0] if marker in html else ""
    links = re.findall(r'href="(/[^"]*)"', nav)
    return list(dict.fromkeys(link for link in links if not link.startswith("/i18n/")))


def landing(client: Client, url: str) -> str:
    """The page a menu link lands on (/patrol/ sends a bureau user on to the rounds)."""
    response = client.get(url, follow=True)
    return response.redirect_chain[-1][0] if response.redirect_chain else url


def measure(client: Client, url: str) -> tuple[float, int, int, int]:
    """(median ms, KB, queries, status) of a GET, after one warming request."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    n_queries = len(queries)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return (
        statistics.median(timings),
        len(response.content) // 1024,
        n_queries,
        response.status_code,
    )


def test_every_bureau_and_centre_page_at_city_scale(monkeypatch):
    if WITHOUT_TOP_BAR:
        from anwen.web.context_processors import _Shell

        monkeypatch.setattr(_Shell, "focus", None)
    started = time.perf_counter()
    district = build_district(schools=SCHOOLS)
    call_command("setup", "--bureau", district.bureau.code, verbosity=0)
    seeded = time.perf_counter() - started
    lines = [
        f"\n{SCHOOLS} schools, seeded in {seeded:.0f} s"
        + (", without the top bar's school <select>" if WITHOUT_TOP_BAR else ""),
        f"{'account':<9} {'page':<34} {'median ms':>9} {'KB':>5} {'queries':>7} {'status':>6}",
    ]
    over = []
    for username in ("bureau", "admin", "leader", "centre", "principal", "school", "teacher"):
        client = Client()
        log_in(client, district.accounts[username])
        home = client.get("/").content.decode()
        for url in dict.fromkeys(landing(client, link) for link in ["/", *nav_links(home)]):
            ms, kb, n_queries, status = measure(client, url)
            lines.append(f"{username:<9} {url:<34} {ms:>9.1f} {kb:>5} {n_queries:>7} {status:>6}")
            assert status == 200, (username, url)
            if ms > GOAL_MS or kb > GOAL_KB:
                over.append(f"{username} {url}: {ms:.0f} ms, {kb} KB")
    lines.append("over the goal: " + ("; ".join(over) if over else "none"))
    print("\n".join(lines))
