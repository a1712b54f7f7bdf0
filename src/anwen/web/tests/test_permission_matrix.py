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
    "calendar:override_edit", "calendar:override_delete", "calendar:semester_edit",
    "calendar:semester_delete", "calendar:period_edit", "calendar:period_delete",
}
# Each app may add its own routes in `<app>/tests/matrix.py`: OBJECT_ROUTES as above, with a kind
# that its SAMPLERS know (kind -> sampler(world, user, inside) -> pk, creating the object if
# needed), and UNSCOPED_OBJECT_ROUTES.
SAMPLERS: dict[str, Callable[..., int]] = {}
for _config in apps.get_app_configs():
    if not _config.name.startswith("anwen."):
        continue
    try:
        _matrix = importlib.import_module(f"{_config.name}.tests.matrix")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_config.name}.tests.matrix":
            raise
        continue
    OBJECT_ROUTES.update(getattr(_matrix, "OBJECT_ROUTES", {}))
    UNSCOPED_OBJECT_ROUTES |= set(getattr(_matrix, "UNSCOPED_OBJECT_ROUTES", ()))
    SAMPLERS.update(getattr(_matrix, "SAMPLERS", {}))

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
        assert not has_param or name in OBJECT_ROUTES or name in UNSCOPED_OBJECT_ROUTES, (
            f"route {name} ({pattern}) takes a parameter: add it to OBJECT_ROUTES"
        )


def _outsiders(world, username):
    """Orgs the user may not see. The chain above their own orgs (a school's centre and
    bureau) is not secret: it is where they stand."""
    user = world.users[username]
    seen = list(visible_orgs(user))
    ancestors = {pk for o in seen for pk in o.path.split("/") if pk}
    return [o for o in Org.objects.all() if str(o.pk) not in ancestors]


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
        assert response.status_code in (200, 302, 404, 405), f"{username} {url}: {response.status_code}"
        if response.status_code == 200 and response.get("Content-Type", "").startswith(("text/", "application/json")):
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
        if name.startswith("api:"):
            # The API's root is no endpoint (404); every endpoint wants a token.
            expected = 404 if url == "/api/v1/" else 401
            assert response.status_code == expected, url
        else:
            assert response.status_code in (302, 404, 405), f"{url}: {response.status_code}"
            if response.status_code == 302:
                assert "/login/" in response["Location"]
