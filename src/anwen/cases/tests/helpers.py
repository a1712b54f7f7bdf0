"""Small steps the case tests share: register through the page, take a step through the page."""

import re

from anwen.cases.models import Case
from anwen.once.tokens import new_token


def register_letter(client, world, **extra) -> Case:
    data = {
        "once": new_token(),
        "org": str(world.orgs["B1"].pk),
        "channel": "letter",
        "subject": "食堂收费问题",
        "content": "家长反映食堂收费过高，要求公开账目。",
        "received_at": "2026-09-28T09:30",
        "name": "王小明",
        "phone": "13800138000",
        **extra,
    }
    response = client.post("/cases/new/petition/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.match(r"^/cases/(\d+)/$", response.url)
    assert match, response.url
    return Case.objects.get(pk=int(match.group(1)))


def step(client, case, name: str, **data):
    """Post step `name`'s form as the case page draws it (its fields prefixed by the step)."""
    fields = {"once": new_token(), **data}
    return client.post(
        f"/cases/{case.pk}/step/{name}/", {f"{name}-{k}": v for k, v in fields.items()}
    )


def handler_value(case, user) -> str:
    from anwen.cases.steps import handler_choices

    return next(v for v, label in handler_choices(case) if v.startswith(f"{user.pk}:"))
