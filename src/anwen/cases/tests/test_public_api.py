"""The public write-in's two API operations, without a token: write in (the offline check
question answered, the per-address limit counted), and follow the tracking code — the stage
and the reply, nothing else, and the same answer for every code that finds nothing."""

import pytest

challenge = pytest.importorskip("anwen.public.challenge", reason="the public page's app")

from anwen.cases.models import Case  # noqa: E402

pytestmark = pytest.mark.django_db


def question(client) -> tuple[str, int]:
    token = client.get("/public/challenge/new/").json()["token"]
    return token, challenge.answer_for(token)


def write(client, world, **fields):
    token, answer = question(client)
    body = {
        "bureau": world.orgs["B1"].pk,
        "subject": "孩子在校被同学欺负",
        "content": "多次被推搡，班主任知情未处理。",
        "name": "李华",
        "phone": "138 0013 8000",
        "challenge": token,
        "answer": answer,
        **fields,
    }
    return client.post("/api/v1/public/write-in", body, content_type="application/json")


def status(client, code: str):
    return client.post("/api/v1/public/status", {"code": code}, content_type="application/json")


@pytest.mark.req("PS1.1")
def test_a_parent_writes_in_over_the_api_and_follows_the_code(client, world):
    response = write(client, world)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    case = Case.objects.get()
    assert case.channel == "online" and case.people == {"name": "李华", "phone": "13800138000"}
    assert code not in str(case.public_key)  # kept as a digest only
    found = status(client, code).json()
    assert found["found"] is True and found["stage"] and found["reply"] == ""
    assert set(found) == {"found", "stage", "reply", "received_on"}
    assert "李华" not in str(found) and "欺负" not in str(found)
    case.reply = "已核实，学校已处理。"
    case.save(update_fields=["reply"])
    assert status(client, code.lower().replace("-", "")).json()["reply"] == "已核实，学校已处理。"


@pytest.mark.req("PS1.1")
def test_every_code_that_finds_nothing_gets_the_same_answer(client, world):
    write(client, world)
    answers = {
        status(client, code).content
        for code in ("ABCD-EFGH-JKMN-PQRS", "x", "1" * 200, "' OR 1=1 --", "")
    }
    assert answers == {b'{"found": false, "stage": null, "reply": null, "received_on": null}'}


@pytest.mark.req("PS1.1")
def test_the_question_must_be_answered_once_and_right(client, world):
    token, answer = question(client)
    wrong = write(client, world, challenge=token, answer=answer + 1)
    assert wrong.status_code == 422 and wrong.json()["field"] == "answer"
    again = write(client, world, challenge=token, answer=answer)  # used up, right or wrong
    assert again.status_code == 422 and again.json()["field"] == "answer"
    bad_phone = write(client, world, phone="12345")
    assert bad_phone.status_code == 422 and bad_phone.json()["field"] == "phone"
    other = write(client, world, bureau=world.orgs["B1"].pk + 999)
    assert other.status_code == 422 and other.json()["field"] == "bureau"
    assert not Case.objects.exists()


@pytest.mark.req("PS1.1")
def test_an_address_is_limited_per_hour(client, world, settings):
    settings.ANWEN_PUBLIC_MAX_PER_HOUR = 2
    settings.ANWEN_PUBLIC_LOOKUPS_PER_HOUR = 2
    assert write(client, world).status_code == 201
    assert write(client, world).status_code == 201
    limited = write(client, world)
    assert limited.status_code == 429 and limited.json()["detail"]
    assert Case.objects.count() == 2
    status(client, "ABCD-EFGH-JKMN-PQRS")
    status(client, "ABCD-EFGH-JKMN-PQRS")
    assert status(client, "ABCD-EFGH-JKMN-PQRS").status_code == 429


def test_the_same_once_token_writes_once(client, world):
    from anwen.once.tokens import new_token

    once = new_token()
    assert write(client, world, once=once).status_code == 201
    second = write(client, world, once=once)
    assert second.status_code == 422 and second.json()["field"] == "once"
    assert Case.objects.count() == 1
