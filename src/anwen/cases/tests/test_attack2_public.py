"""Second attack on the public write-in (issue 9, PS1.1): the question's picture and a new
question are limited per address like the forms; every wrong code gets the same answer after
the same work (the same queries), whatever it looks like; twenty identical posts of one form,
page or API, make one matter; hostile input is a message, never a 500."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anwen.cases.models import Case
from anwen.public import challenge
from anwen.public.tests.helpers import filled, hidden, without_tokens

pytestmark = pytest.mark.django_db

WRONG_CODES = (
    "ABCD-EFGH-JKMN-PQRS",  # well formed, unknown
    "X",
    "' OR 1=1 --",
    "9" * 500,
    "a" * 100_000,
    "ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ－ＰＱＲＳ",
    "ABCD\u200bEFGH-JKMN-PQRS",
)


def test_the_picture_of_the_question_is_limited_per_address(world, client, settings):
    settings.ANWEN_PUBLIC_PICTURES_PER_HOUR = 3
    token = hidden(client.get("/public/").content.decode(), "challenge")
    for _n in range(3):
        assert client.get(f"/public/challenge/{token}.png").status_code == 200
    refused = client.get(f"/public/challenge/{token}.png")
    assert refused.status_code == 429 and not refused.content.startswith(b"\x89PNG")
    assert client.get("/public/challenge/new/").status_code == 429
    # another address draws its own hour's pictures
    assert client.get(f"/public/challenge/{token}.png", REMOTE_ADDR="10.9.9.9").status_code == 200
    # the form itself still opens, the question in words for whoever has no picture
    page = client.get("/public/")
    assert page.status_code == 200 and "等于几" in page.content.decode()


def test_a_new_question_is_limited_per_address(world, client, settings):
    settings.ANWEN_PUBLIC_PICTURES_PER_HOUR = 2
    assert client.get("/public/challenge/new/").status_code == 200
    assert client.get("/public/challenge/new/").status_code == 200
    refused = client.get("/public/challenge/new/")
    assert refused.status_code == 429 and "detail" in refused.json()


def test_a_forged_picture_token_counts_too(world, client, settings):
    settings.ANWEN_PUBLIC_PICTURES_PER_HOUR = 2
    assert client.get("/public/challenge/forged.png").status_code == 404
    assert client.get("/public/challenge/forged.png").status_code == 404
    assert client.get("/public/challenge/forged.png").status_code == 429


def _queries(call) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        call()
    # The per-address count and the request's own bookkeeping are the same for all: compare
    # the statements by their shape (the parameters differ).
    return [
        re.sub(r'"s\d+_x\d+"', "savepoint", re.split(" WHERE | VALUES ", q["sql"])[0])
        for q in ctx.captured_queries
    ]


def test_every_wrong_code_gets_the_same_page_after_the_same_work(world, client):
    client.post("/public/", filled(client))
    pages, work = set(), set()
    for wrong in WRONG_CODES:
        response = client.post("/public/status/", {"code": wrong})
        assert response.status_code == 200, wrong[:20]
        pages.add(without_tokens(response.content.decode()))
        work.add(tuple(_queries(lambda w=wrong: client.post("/public/status/", {"code": w}))))
    assert len(pages) == 1 and "未找到" in pages.pop()
    assert len(work) == 1, work


def test_every_wrong_code_gets_the_same_api_answer_after_the_same_work(world, client):
    answers, work = set(), set()
    for wrong in WRONG_CODES:

        def post(w=wrong):
            return client.post(
                "/api/v1/public/status", {"code": w}, content_type="application/json"
            )

        response = post()
        assert response.status_code == 200, wrong[:20]
        answers.add(response.content)
        work.add(tuple(_queries(post)))
    assert len(answers) == 1 and len(work) == 1, (answers, work)


def _at_once(send, senders: int = 20) -> list[int]:
    barrier = threading.Barrier(senders)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            client = Client()
            barrier.wait()
            statuses.append(send(client))
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's thread
            failures.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_identical_write_ins_at_once_make_one_matter(world, client, settings):
    settings.ANWEN_PUBLIC_MAX_PER_HOUR = 100
    data = filled(client)
    before = Case.objects.count()
    statuses = _at_once(lambda c: c.post("/public/", data).status_code)
    assert Case.objects.count() == before + 1
    assert statuses.count(302) >= 1 and 500 not in statuses, statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_identical_api_write_ins_at_once_make_one_matter(world, client, settings):
    settings.ANWEN_PUBLIC_MAX_PER_HOUR = 100
    token = client.get("/public/challenge/new/").json()["token"]
    body = {
        "bureau": world.orgs["B1"].pk,
        "subject": "同时提交",
        "content": "二十次同时提交",
        "challenge": token,
        "answer": challenge.answer_for(token),
        "once": "same-once-token-for-all-twenty",
    }
    before = Case.objects.count()
    statuses = _at_once(
        lambda c: (
            c.post("/api/v1/public/write-in", body, content_type="application/json").status_code
        )
    )
    assert Case.objects.count() == before + 1
    assert statuses.count(201) == 1 and 500 not in statuses, statuses


HOSTILE_FIELDS = {
    "bureau": ("-1", "9" * 30, "1.5", "", "\x00"),
    "subject": ("x" * 100_000, "bad\x00", " " * 50),
    "content": ("y" * 200_000, "\x00"),
    "name": ("n" * 10_000, "\x00"),
    "phone": ("1" * 10_000, "+86\x00"),
    "answer": ("9" * 5000, "1e9", "-0", "١٢٣٤"),  # never a right answer (1..28)
    "challenge": ("c" * 100_000, "\x00", ""),
    "once": ("o" * 10_000, "\x00", "../../x"),
}


@pytest.mark.parametrize("field", HOSTILE_FIELDS)
def test_hostile_input_on_the_write_in_page_is_a_message(world, client, settings, field):
    settings.ANWEN_PUBLIC_MAX_PER_HOUR = 1000
    before = Case.objects.count()
    for value in HOSTILE_FIELDS[field]:
        response = client.post("/public/", filled(client, **{field: value}))
        assert response.status_code in (302, 400), (field, value[:20], response.status_code)
        if field in ("bureau", "subject", "content", "challenge", "answer"):
            assert Case.objects.count() == before, (field, value[:20])


@pytest.mark.parametrize("field", HOSTILE_FIELDS)
def test_hostile_input_on_the_write_in_api_is_a_message(world, client, settings, field):
    settings.ANWEN_PUBLIC_MAX_PER_HOUR = 1000
    for value in HOSTILE_FIELDS[field]:
        token = client.get("/public/challenge/new/").json()["token"]
        body = {
            "bureau": world.orgs["B1"].pk,
            "subject": "主题",
            "content": "内容",
            "challenge": token,
            "answer": challenge.answer_for(token),
            field: value,
        }
        response = client.post("/api/v1/public/write-in", body, content_type="application/json")
        assert response.status_code in (201, 422), (field, value[:20], response.status_code)
        assert len(response.content) < 5000, (field, value[:20])


def test_a_write_in_api_body_of_the_wrong_shape_is_a_message(world, client):
    for raw in ("[]", "null", '"x"', "{", '{"bureau": {"a": 1}}', "1" * 100_000):
        response = client.post("/api/v1/public/write-in", raw, content_type="application/json")
        assert response.status_code in (400, 422), (raw[:20], response.status_code)
    for raw in ("[]", "null", '{"code": 5}', '{"code": ["a"]}', "{"):
        response = client.post("/api/v1/public/status", raw, content_type="application/json")
        assert response.status_code in (400, 422), (raw[:20], response.status_code)
