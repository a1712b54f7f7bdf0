"""Walk every URL and every API route as every role: nobody sees an org outside their scope,
objects of another school answer 404, nothing answers 500, and anonymous users get nothing."""

import importlib
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from anwen.orgs.models import Org
from anwen.orgs.scope import visible_orgs
from anwen.testing.world import PERSONAS, api_key

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL2", "PL9")]

# Routes that take an object: how to find one inside and one outside a user's scope. A new
# route with a parameter fails `test_every_route_is_in_the_matrix` until it is added here.
OBJECT_ROUTES = {
    "orgs:org_detail": ("org", "pk"),
    "orgs:person_detail": ("person", "pk"),
    "api:get_org": ("org", "org_id"),
    "api:get_person": ("person", "person_id"),
}
# Routes whose objects belong to no org (installation-wide settings guarded by a permission,
# such as the calendar): tried with a pk that does not exist, which must answer 404 or 405.
UNSCOPED_OBJECT_ROUTES = {
    "calendar:override_edit",
    "calendar:override_delete",
    "calendar:semester_edit",
    "calendar:semester_delete",
    "calendar:period_edit",
    "calendar:period_delete",
}
# Routes whose other parameters name no object (a step's name, a case type's code): filled with
# these values, so the route is really reached (an unfilled `<slug:name>` would answer 404 for
# want of a match, proving nothing). Route name -> {parameter: value}.
FIXED_PARAMS: dict[str, dict[str, str]] = {}
# Each app may add its own routes in `<app>/tests/matrix.py`: OBJECT_ROUTES as above, with a kind
# that its SAMPLERS know (kind -> sampler(world, user, inside) -> pk, creating the object if
# needed), UNSCOPED_OBJECT_ROUTES, FIXED_PARAMS, and PUBLIC_ROUTES (a set of names, or a dict
# of name -> the tables a refused post may still write, such as its per-address counter).
SAMPLERS: dict[str, Callable[..., int]] = {}
# Routes open to anyone without logging in (the public write-in page and its API operations):
# they answer an anonymous visitor, and a post to them writes what anyone may write (a
# write-in, the count of an address's posts), so the POST walk leaves them to their own tests.
PUBLIC_ROUTES: dict[str, tuple[str, ...]] = {}
for _config in apps.get_app_configs():
    if not _config.name.startswith("anwen."):
        continue
    try:
        _matrix = importlib.import_module(f"{_config.name}.tests.matrix")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"{_config.name}.tests", f"{_config.name}.tests.matrix"):
            raise
        continue
    OBJECT_ROUTES.update(getattr(_matrix, "OBJECT_ROUTES", {}))
    UNSCOPED_OBJECT_ROUTES |= set(getattr(_matrix, "UNSCOPED_OBJECT_ROUTES", ()))
    SAMPLERS.update(getattr(_matrix, "SAMPLERS", {}))
    FIXED_PARAMS.update(getattr(_matrix, "FIXED_PARAMS", {}))
    _public = getattr(_matrix, "PUBLIC_ROUTES", {})
    PUBLIC_ROUTES.update(_public if isinstance(_public, dict) else dict.fromkeys(_public, ()))

# Routes that are not pages to GET (they only take POST, or they end a session).
SKIP = {"accounts:logout", "set_language"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None, prefix + str(p.pattern))


def routes():
    out = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name is None or name in SKIP:
            continue
        if "openapi" in pattern or pattern.endswith("docs"):
            continue
        for key, value in FIXED_PARAMS.get(name, {}).items():
            pattern = re.sub(r"<(?:\w+:)?" + key + r">|\{" + key + r"\}", value, pattern)
        out.append((name, pattern))
    return out


def _fill(pattern: str, key: str, value) -> str:
    url = "/" + pattern.lstrip("^").rstrip("$")
    url = re.sub(r"<(?:\w+:)?" + key + ">", str(value), url)
    url = re.sub(r"\{" + key + r"\}", str(value), url)
    return url.replace("\\", "")


def test_every_route_is_in_the_matrix():
    for name, pattern in routes():
        has_param = bool(re.search(r"<[^>]+>|\{[^}]+\}", pattern))
        known = name in OBJECT_ROUTES or name in UNSCOPED_OBJECT_ROUTES or name in PUBLIC_ROUTES
        assert not has_param or known, (
            f"route {name} ({pattern}) takes a parameter: add it to OBJECT_ROUTES"
        )


def _outsiders(world, username):
    """Orgs the user may not see. The chain above their own orgs (a school's centre and
    bureau) is not secret: it is where they stand."""
    from anwen.orgs.models import OrgKind
    from anwen.orgs.scope import has_perm

    user = world.users[username]
    seen = list(visible_orgs(user))
    ancestors = {pk for o in seen for pk in o.path.split("/") if pk}
    # Whoever leads inspections invites the district's agencies (police, transport) to its
    # joint ones, a centre too (the monthly school-bus inspection): their names are not secret.
    invites = has_perm(user, "inspections.lead")
    return [
        o
        for o in Org.objects.all()
        if str(o.pk) not in ancestors
        and not (invites and o.kind == OrgKind.AGENCY and str(o.parent_id) in ancestors)
    ]


def _sample(world, kind, username, inside: bool):
    user = world.users[username]
    if kind in SAMPLERS:
        return SAMPLERS[kind](world, user, inside)
    seen = set(visible_orgs(user).values_list("pk", flat=True))
    if kind == "org":
        return next(o.pk for o in Org.objects.order_by("path") if (o.pk in seen) == inside)
    person = next(p for p in world.people.values() if (p.org_id in seen) == inside)
    return person.pk


@pytest.mark.parametrize("username", list(PERSONAS))
def test_no_page_or_api_route_leaks_another_orgs_data(world, login, username):
    client = login(world.users[username])
    key = api_key(world.users[username])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    foreign_names = [o.name for o in _outsiders(world, username)]
    for name, pattern in routes():
        is_api = name.startswith("api:")
        headers = auth if is_api else {}
        if name in OBJECT_ROUTES:
            kind, param = OBJECT_ROUTES[name]
            outside = _fill(pattern, param, _sample(world, kind, username, inside=False))
            response = client.get(outside, **headers)
            assert response.status_code == 404, f"{username} {outside}: {response.status_code}"
            url = _fill(pattern, param, _sample(world, kind, username, inside=True))
        elif name in UNSCOPED_OBJECT_ROUTES:
            url = _fill(pattern, "pk", 999999)
        else:
            url = _fill(pattern, "", "")
        response = client.get(url, **headers)
        assert response.status_code in (200, 302, 404, 405), (
            f"{username} {url}: {response.status_code}"
        )
        if name in PUBLIC_ROUTES:
            continue  # what it shows, it shows to anyone (the bureaus one may write to)
        if response.status_code == 200 and response.get("Content-Type", "").startswith(
            ("text/", "application/json")
        ):
            body = response.content.decode()
            leaked = [n for n in foreign_names if n in body]
            assert not leaked, f"{username} sees {leaked} at {url}"


def test_anonymous_users_are_sent_to_log_in_or_refused(client, world):
    for name, pattern in routes():
        if name in ("accounts:login",) or name.startswith("accounts:") and "login" in name:
            continue
        url = _fill(pattern, "pk", world.S1.pk)
        for param in ("org_id", "person_id"):
            url = _fill(url.lstrip("/"), param, world.S1.pk)
        response = client.get(url)
        if name in PUBLIC_ROUTES:
            assert response.status_code in (200, 302, 400, 404, 405), f"{url}: {response}"
        elif name.startswith("api:"):
            # The API's root is no endpoint (404); every endpoint wants a token.
            expected = 404 if url == "/api/v1/" else 401
            assert response.status_code == expected, url
        else:
            assert response.status_code in (302, 404, 405), f"{url}: {response.status_code}"
            if response.status_code == 302:
                assert "/login/" in response["Location"]


# --- state-changing routes: a POST to another school's object changes nothing ------------------

# Routes where a POST changes only the user's own state, whatever it names, with why. Every
# other route is posted to by every persona, with another school's object or org, and must
# write nothing; a new route is covered automatically, or fails until listed here.
OWN_STATE_ROUTES = {
    "accounts:logout": "ends the user's own session",
    "set_language": "the user's own language (a cookie)",
    "accounts:token_create": "the user's own API token",
    "outbox:preferences": "the user's own notification channels",
    # The standard libraries load into the bureaus where the user's own role manages them
    # (services check it); nothing of the post names where.
    "inspections:standard_load": "the standard checklists of the user's own bureau",
    "duties:library_load": "the standard duty library of the user's own bureau",
}


def _outside_school(world, username):
    """A school the user may not see (another district's, for a bureau's officers)."""
    seen = set(visible_orgs(world.users[username]).values_list("pk", flat=True))
    return next(o for o in (world.S1, world.S2, world.S3, world.S9) if o.pk not in seen)


def _row_counts() -> dict[str, int]:
    """The number of rows of every table (one query), sessions aside: a POST that is refused
    leaves every other table as it was."""
    from django.db import connection

    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        }
        - {"django_session"}
    )
    quote = connection.ops.quote_name
    # The table names are the models' own, quoted: nothing from outside reaches the SQL.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + counts)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {t: (before[t], after[t]) for t in before if before[t] != after[t]}


def _payload(school) -> dict:
    """What a create or change form would take, naming the other school wherever a form
    names one: a refused post (404, a form shown again, a redirect with a message) must leave
    everything as it was."""
    return {
        "org": school.pk,
        "school": school.pk,
        "owner": school.pk,
        "action": "submit",
        "name": "矩阵",
        "title": "矩阵",
        "content": "矩阵",
        "description": "矩阵",
        "note": "矩阵",
        "code": "matrix-post",
        "kind": "public",
        "purpose": "spot",
        "date": "2026-03-10",
        "inspected_on": "2026-03-10",
        "occurred_on": "2026-03-10",
        "accepted": "on",
        "signature": "矩阵",
        "summary": "矩阵",
        "text": "矩阵",
    }


@pytest.mark.parametrize("username", list(PERSONAS))
def test_no_post_changes_another_schools_data(world, login, username):
    client = login(world.users[username])
    key = api_key(world.users[username])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    school = _outside_school(world, username)
    data = _payload(school)
    problems = []
    for name, pattern in routes():
        if name in OWN_STATE_ROUTES or name in PUBLIC_ROUTES:
            continue
        headers = auth if name.startswith("api:") else {}
        if name in OBJECT_ROUTES:
            kind, param = OBJECT_ROUTES[name]
            url = _fill(pattern, param, _sample(world, kind, username, inside=False))
            allowed = (404, 405)
        elif name in UNSCOPED_OBJECT_ROUTES:
            url = _fill(pattern, "pk", 999999)
            allowed = (404, 405)
        else:
            url = _fill(pattern, "", "") + f"?org={school.pk}"
            # A page without an object: 404 (not for this user), 405 (not a form), the form
            # shown again with its errors, or a redirect with a message.
            allowed = (200, 302, 400, 404, 405)
        if name.startswith("api:"):
            allowed += (422,)  # an API refuses a body that is not its JSON, with the reasons
        before = _row_counts()
        response = client.post(url, data, **headers)
        if response.status_code not in allowed:
            problems.append(f"{username} POST {url}: {response.status_code}")
        changed = _changed(before, _row_counts())
        for table in PUBLIC_ROUTES.get(name, ()):
            changed.pop(table, None)
        if changed:
            problems.append(f"{username} POST {url} ({name}) wrote {changed}")
    assert not problems, "\n".join(problems)
