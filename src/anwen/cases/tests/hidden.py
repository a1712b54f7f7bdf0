"""What the tests of the confidential types share: register a case through its page, and prove
that a person who may not read it — a colleague at the same school who is not named, another
district's user — learns nothing of its confidential face from any page, list, search or step."""

import re

from django.utils import translation
from django.utils.translation import gettext

from anwen.cases.models import Case
from anwen.once.tokens import new_token
from anwen.workflow.models import Event, Grant


def register(client, case_type: str, org, **fields) -> Case:
    data = {"once": new_token(), "org": str(org.pk), **fields}
    response = client.post(f"/cases/new/{case_type}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    match = re.match(r"^/cases/(\d+)/$", response.url)
    assert match, response.url
    return Case.objects.get(pk=int(match.group(1)))


def step(client, case, name: str, **data):
    """Post step `name`'s form as the case page draws it (its fields prefixed by the step)."""
    fields = {"once": new_token(), **data}
    return client.post(
        f"/cases/{case.pk}/step/{name}/", {f"{name}-{k}": v for k, v in fields.items()}
    )


def page(client, case) -> str:
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _confidential() -> str:
    with translation.override("zh-hans"):
        return gettext("Confidential")


def _written(case) -> tuple:
    case.refresh_from_db()
    return (
        case.state,
        case.details,
        case.private,
        case.owner_id,
        Event.objects.filter(record_id=case.pk).count(),
        Grant.objects.filter(record_id=case.pk).count(),
    )


def assert_colleague_sees_nothing(client, case, secrets: list[str], steps: dict[str, dict]):
    """The logged-in colleague sees the case exists (its number and stage) but no secret on
    its page, reads "confidential" in the list, cannot find it by its subject, and every step
    they try is refused with nothing written."""
    body = page(client, case)
    assert case.number in body
    for secret in secrets:
        assert secret not in body, secret
    listing = client.get(f"/cases/?type={case.type}").content.decode()
    assert case.number in listing and _confidential() in listing
    for secret in secrets:
        assert secret not in listing, secret
    for word in (case.subject, *secrets):
        found = client.get("/cases/", {"q": word[:100]}).content.decode()
        assert case.number not in found, word
    before = _written(case)
    for name, data in steps.items():
        response = step(client, case, name, **data)
        assert response.status_code in (302, 404)
        assert _written(case) == before, name


def assert_stranger_sees_nothing(client, case, secrets: list[str], steps: dict[str, dict]):
    """Another district's user: the case does not exist for them."""
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    listing = client.get("/cases/")
    if listing.status_code == 200:
        body = listing.content.decode()
        assert case.number not in body
        for secret in secrets:
            assert secret not in body
    before = _written(case)
    for name, data in steps.items():
        assert step(client, case, name, **data).status_code == 404
        assert _written(case) == before, name
