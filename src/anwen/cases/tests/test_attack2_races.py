"""Second attack on double submits (issue 9): twenty posts of one step at once, from twenty
threads with their own connections — the same form (one token), or twenty tabs (twenty
tokens) of a step that keeps the stage — make one event; a reception's form likewise; an
account switched off mid-session writes nothing."""

import pytest

from anwen.accounts.services import account_deactivate
from anwen.cases.petitions import PETITION
from anwen.cases.services import case_register
from anwen.cases.who import GRANTS, HANDLER
from anwen.once.tokens import new_token
from anwen.outbox.models import Notice
from anwen.receptions.models import Reception
from anwen.testing.concurrency import post_at_once
from anwen.testing.world import api_key
from anwen.workflow.models import Event, Grant

race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _petition(world):
    return case_register(
        case_type=PETITION,
        org=world.orgs["B1"],
        by=world.users["bureau"],
        subject="并发测试",
        content="二十次同时提交",
        channel="letter",
    )


def _events(case, name: str) -> int:
    return Event.objects.filter(record_id=case.pk, name=name).count()


@race
def test_twenty_urges_of_one_form_at_once_make_one_urging(world):
    case = _petition(world)
    data = {"urge-once": new_token(), "urge-note": "请加快办理"}
    statuses = post_at_once(world.users["leader"], f"/cases/{case.pk}/step/urge/", data)
    assert statuses == [302] * 20
    assert _events(case, "urge") == 1
    assert Notice.objects.filter(key__startswith=f"cases:{case.pk}:urged").count() == 1


@race
def test_twenty_tabs_taking_charge_at_once_make_one_leader(world):
    case = _petition(world)
    leader = world.users["leader"]
    statuses = post_at_once(
        leader,
        f"/cases/{case.pk}/step/take_charge/",
        lambda: {"take_charge-once": new_token()},
    )
    assert statuses == [302] * 20
    assert _events(case, "take_charge") == 1
    grants = Grant.objects.filter(record_type=GRANTS, record_id=case.pk, user=leader)
    assert grants.filter(reason=HANDLER).count() == 1


@race
def test_twenty_api_actions_with_one_token_at_once_make_one_event(world):
    import threading

    from django.db import close_old_connections, connection
    from django.test import Client

    case = _petition(world)
    key = api_key(world.users["leader"])
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def send() -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                f"/api/v1/cases/{case.pk}/actions/urge",
                {"note": "请加快", "once": "one-token-for-all-twenty"},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {key}",
            )
            statuses.append(response.status_code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    assert _events(case, "urge") == 1


@race
def test_twenty_posts_of_one_reception_form_at_once_make_one_reception(world):
    from anwen.receptions.models import ReceptionKind

    leader = world.users["leader"]
    data = {
        "once": new_token(),
        "leader": str(leader.pk),
        "kind": ReceptionKind.values[0],
        "date": "2030-06-03",
        "time": "09:00",
        "place": "区教委信访接待室",
        "topic": "食堂收费",
        "case_number": "",
    }
    statuses = post_at_once(world.users["leader"], "/receptions/new/", data)
    assert 500 not in statuses, statuses
    assert Reception.objects.count() == 1


def test_an_account_switched_off_mid_session_writes_nothing(client, login, world):
    case = _petition(world)
    leader = world.users["leader"]
    key = api_key(leader)
    login(leader)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    account_deactivate(user=leader, by=world.users["admin"])
    response = client.post(
        f"/cases/{case.pk}/step/urge/", {"urge-once": new_token(), "urge-note": "督办"}
    )
    assert response.status_code == 302 and "/login" in response.url
    api = client.post(
        f"/api/v1/cases/{case.pk}/actions/urge",
        {"note": "督办"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 401
    assert client.get("/cases/").status_code == 302
    assert _events(case, "urge") == 0
