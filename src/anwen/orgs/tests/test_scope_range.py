"""The scope's prefix filter is a range (`path >= p AND path < p'`), so both databases answer it
from the path index; it must keep exactly the rows `startswith` keeps, for real paths and for
characters that sort just around '/' ('.', '0', a non-ASCII letter, LIKE's own '%' and '_')."""

import itertools

import pytest
from django.db import connection

from anwen.orgs.models import Org, OrgKind, Person
from anwen.orgs.scope import paths_q, within_q

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL2")]

# Segments that sort next to '/' (0x2f): '.' (0x2e) below it, '0' (0x30) above it.
ODD_PATHS = [
    "1/",
    "1/7/",
    "1/7/42/",
    "1/70/",
    "1/7./",
    "1/7",
    "1/7//",
    "1/7/0/",
    "1/7.",
    "1/70",
    "1/7/é/",
    "1/7é/",
    "1/8/",
    "10/",
    "1/6/",
    "1/7%/",
    "1/7_/",
    "1/7/_/",
    "2/",
    "1//",
    "0/",
]


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_the_range_keeps_what_startswith_keeps_for_paths_around_the_slash():
    Org.objects.bulk_create(
        Org(kind=OrgKind.SCHOOL, name=f"odd {i}", code=f"ODD{i}", path=path)
        for i, path in enumerate(ODD_PATHS)
    )
    odd = Org.objects.filter(code__startswith="ODD")
    prefixes = {path[:end] for path in ODD_PATHS for end in range(1, len(path) + 1)}
    for prefix in sorted(prefixes):
        assert codes(odd.filter(paths_q([prefix]))) == codes(odd.filter(path__startswith=prefix)), (
            prefix
        )
    for one, two in itertools.combinations(["1/7/", "1/70/", "1/7.", "10/", "1/7/é/"], 2):
        assert codes(odd.filter(paths_q([one, two]))) == codes(
            odd.filter(path__startswith=one) | odd.filter(path__startswith=two)
        )
    assert codes(odd.filter(paths_q([]))) == set()


def test_the_range_through_a_relation_keeps_the_subtrees_people(world):
    for org in Org.objects.all():
        expected = set(Person.objects.filter(org__path__startswith=org.path).values_list("pk"))
        assert set(Person.objects.filter(within_q(org, "org")).values_list("pk")) == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_sqlite_answers_the_scope_from_the_path_index(world):
    sql, params = Org.objects.filter(within_q(world.C1)).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "USING" in plan and "INDEX" in plan and "path" in plan, plan
