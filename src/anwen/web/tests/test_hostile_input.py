"""Hostile input never answers 500: every route, as several personas, with a bare word for
`next`, ids beyond 64 bits, negative and huge numbers and words in every query parameter the
code reads, and every form of every page posted back with such values.

The classes of defect this walks for (a bare `next` reverse()d, an id that overflows the
database driver, unbounded API paging) are fixed once, in `anwen.http`, `anwen.forms` and
`anwen.api`; this test is what stops a new route from bringing one back."""

import re
from html.parser import HTMLParser

import pytest

from anwen.accounts.models import ApiToken
from anwen.web.tests.test_permission_matrix import (
    OBJECT_ROUTES,
    UNSCOPED_OBJECT_ROUTES,
    _fill,
    _sample,
    routes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]

HUGE = str(2**70)
# Every query parameter a view of the project reads, and the API's paging.
PARAMS = [
    "next",
    "ids",
    "id",
    "org",
    "page",
    "year",
    "centre",
    "under",
    "plan",
    "date",
    "kind",
    "semester",
    "school",
    "status",
    "purpose",
    "level",
    "owner",
    "list",
    "group",
    "sort",
    "mine",
    "q",
    "type",
    "format",
    "limit",
    "offset",
    "org_id",
    "month",
    "period",
    "obligation",
    "participants",
    "invited",
    "checkpoints",
    "checklist",
    "copy_from",
]
VALUES = [HUGE, "-" + HUGE, "-1", "home", "1" * 5000]
PERSONAS = ["admin", "bureau", "centre", "school", "teacher", "guard", "agency"]
# These walk each parameter alone too (the first one refused must not hide the next); the others
# send them all at once, which is enough to cover what differs by role.
THOROUGH = {"admin"}


class _Forms(HTMLParser):
    """The method, action and field names of each form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (a.get("method") or "get").lower(),
                    "action": a.get("action") or "",
                    "fields": set(),
                }
            )
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            self.forms[-1]["fields"].add(a["name"])


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _urls(world, username):
    for name, pattern in routes():
        if name in OBJECT_ROUTES:
            kind, param = OBJECT_ROUTES[name]
            inside = _sample(world, kind, username, inside=True)
            yield name, _fill(pattern, param, inside)
            yield name, _fill(pattern, param, HUGE)
        elif name in UNSCOPED_OBJECT_ROUTES:
            yield name, _fill(pattern, "pk", HUGE)
        else:
            yield name, _fill(pattern, "", "")


class _Failures(list):
    def check(self, response, what: str) -> None:
        if response.status_code >= 500:
            self.append(f"{what}: {response.status_code}")


@pytest.mark.parametrize("username", PERSONAS)
def test_no_route_answers_500_to_hostile_input(world, client, username):
    from anwen.testing.world import log_in

    client.raise_request_exception = False
    user = world.users[username]
    log_in(client, user)
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="t", prefix=key[:8], key_hash=ApiToken.hash_key(key))
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    posted = set()
    failures = _Failures()
    check = failures.check
    for name, url in _urls(world, username):
        headers = api if name.startswith("api:") else {}
        if re.search(r"\d{15,}", url):
            check(client.get(url, **headers), f"{username} GET {url}")
            continue
        page = client.get(url, **headers)
        check(page, f"{username} GET {url}")
        if page.status_code == 404:
            continue  # not this role's page: refused before any parameter is read
        # Every route that is not refused outright takes a hostile post, GET-only ones too.
        check(
            client.post(
                url, {**dict.fromkeys(PARAMS, HUGE), "ids": [HUGE, "1"], "next": "home"}, **headers
            ),
            f"{username} POST {url}",
        )
        if page.status_code == 405:
            continue  # POST only
        for value in VALUES if username in THOROUGH else VALUES[:1] + VALUES[3:4]:
            query = {p: value for p in PARAMS}
            check(client.get(url, query, **headers), f"{username} GET {url}?…={value}")
        for param in PARAMS if username in THOROUGH else ():
            check(client.get(url, {param: HUGE}, **headers), f"{username} GET {url}?{param}={HUGE}")
        check(client.get(url, {"next": "home"}, **headers), f"{username} {url}?next=home")
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue
        for form in _forms(page.content.decode()):
            if form["method"] != "post":
                continue
            action = form["action"] or url
            key_ = (action, frozenset(form["fields"]))
            if key_ in posted or action.startswith(("/logout", "/i18n/")):
                continue
            posted.add(key_)
            for value in VALUES if username in THOROUGH else VALUES[:1] + VALUES[3:4]:
                data = {f: value for f in form["fields"] if f != "csrfmiddlewaretoken"}
                data["next"] = "home"
                check(client.post(action, data), f"{username} POST {action} {sorted(data)}={value}")
    assert not failures, "\n".join(failures)
