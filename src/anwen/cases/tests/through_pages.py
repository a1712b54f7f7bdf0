"""Register a case of any declared type and take its steps through the generic pages, and read
what the engine wrote: the shared moves of the tests of the declared types."""

import re
from datetime import datetime

from django.utils import timezone

from anwen.cases.models import Case
from anwen.once.tokens import new_token
from anwen.outbox.models import Delivery
from anwen.workflow.models import Event, Timer

TZ = timezone.get_default_timezone()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def register(client, type_code: str, org, **fields) -> Case:
    """POST the registration page of `type_code`; the case it made (the page must redirect)."""
    response = client.post(
        f"/cases/new/{type_code}/", {"once": new_token(), "org": str(org.pk), **fields}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    match = re.match(r"^/cases/(\d+)/$", response.url)
    assert match, response.url
    return Case.objects.get(pk=int(match.group(1)))


def step(client, case, name: str, **data):
    """POST step `name`'s form as the case page draws it (its fields prefixed by the step)."""
    fields = {"once": new_token(), **data}
    return client.post(
        f"/cases/{case.pk}/step/{name}/", {f"{name}-{k}": v for k, v in fields.items()}
    )


def timer(case, name: str) -> Timer:
    return Timer.objects.get(record_type=f"cases.{case.type}", record_id=case.pk, name=name)


def events(case) -> list[str]:
    return list(
        Event.objects.filter(record_type=f"cases.{case.type}", record_id=case.pk)
        .order_by("at", "pk")
        .values_list("name", flat=True)
    )


def told(user, case, what: str) -> int:
    """How many in-app notices of kind `what` about `case` `user` got."""
    return Delivery.objects.filter(
        user=user, channel="app", notice__key__startswith=f"cases:{case.pk}:{what}:"
    ).count()
