"""A parent writes in on the public page, without logging in, and follows the matter with the
tracking code (PS1.1): the check question, the per-address limit, the checks on every field
and file, and a status page that tells nothing to a code it does not know."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anwen.cases import intake
from anwen.cases.models import Case
from anwen.cases.petitions import Channel
from anwen.cases.services import public_key
from anwen.public import challenge
from anwen.public.models import Hit

from .helpers import filled, hidden, without_tokens

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _code_of(page: str) -> str:
    found = re.search(r'id="tracking-code" data-code>([^<]+)<', page)
    assert found, "no tracking code on the page"
    return found.group(1).strip()


def _look_up(client, code: str):
    return client.post("/public/status/", {"code": code})


@pytest.mark.req("PS1.1")
def test_a_parent_writes_in_without_logging_in_and_follows_the_code(world, client):
    page = client.get("/public/")
    assert page.status_code == 200 and "永川区教育委员会" in page.content.decode()
    data = filled(client, name="王芳", phone="138 1234 5678")
    response = client.post("/public/", data)
    assert response.status_code == 302 and response.url == "/public/done/"
    shown = client.get("/public/done/").content.decode()
    code = _code_of(shown)
    assert len(code) >= 16 and "抄下" in shown
    assert code not in client.get("/public/done/").content.decode()  # shown once
    case = Case.objects.get(public_key=public_key(code))
    assert case.org == world.B1 and case.channel == Channel.ONLINE
    assert case.subject == data["subject"] and case.people["phone"] == "13812345678"
    status = intake.public_status(code)
    assert status is not None and status.stage
    answer = _look_up(client, code)
    body = answer.content.decode()
    assert answer.status_code == 200 and status.stage in body
    # Only the stage and the reply: nothing the parent wrote, nor the code itself.
    for private in ("王芳", "13812345678", "推搡", "孩子在校被同学欺负", code):
        assert private not in body


@pytest.mark.req("PS1.1")
def test_every_unknown_code_gets_the_same_page(world, client):
    code = None
    client.post("/public/", filled(client))
    code = _code_of(client.get("/public/done/").content.decode())
    known = _look_up(client, code).content.decode()
    pages = {
        without_tokens(_look_up(client, wrong).content.decode())
        for wrong in (code[:-1] + ("0" if code[-1] != "0" else "1"), "X", "' OR 1=1 --", "9" * 500)
    }
    assert len(pages) == 1
    (page,) = pages
    assert "未找到" in page and without_tokens(known) != page


def test_a_code_in_the_query_string_is_ignored(world, client):
    client.post("/public/", filled(client))
    code = _code_of(client.get("/public/done/").content.decode())
    page = client.get(f"/public/status/?code={code}").content.decode()
    assert "public-status" not in page and "未找到" not in page


def test_a_wrong_answer_keeps_what_was_typed_and_asks_a_new_question(world, client):
    data = filled(client, subject="食堂卫生问题")
    data["answer"] = str(challenge.answer_for(data["challenge"]) + 1)
    response = client.post("/public/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "验证题答案不正确" in page
    assert "食堂卫生问题" in page and hidden(page, "challenge") != data["challenge"]
    # The same question cannot be tried again, even with the right answer now.
    data["answer"] = str(challenge.answer_for(data["challenge"]))
    again = client.post("/public/", data).content.decode()
    assert "已经回答过" in again


def test_a_missing_or_non_numeric_answer_is_asked_for(world, client):
    data = filled(client, answer="八")
    page = client.post("/public/", data).content.decode()
    assert "请回答验证题" in page


def test_an_expired_question_is_refused(world, client, settings):
    settings.ANWEN_PUBLIC_CHALLENGE_SECONDS = 600
    data = filled(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        page = client.post("/public/", data).content.decode()
    assert "验证题已过期" in page


def test_sent_twice_makes_one_matter(world, client):
    data = filled(client)
    assert client.post("/public/", data).status_code == 302
    second = client.post("/public/", data, follow=True)
    assert "已提交过" in second.content.decode()
    assert second.redirect_chain[-1][0] == "/public/status/"


@pytest.mark.parametrize(
    "phone", ["12345", "1381234567", "23812345678", "138123456789", "abcdefghijk"]
)
def test_a_phone_number_that_is_no_mobile_is_refused(world, client, phone):
    response = client.post("/public/", filled(client, phone=phone))
    assert response.status_code == 400 and "11 位" in response.content.decode()


def test_a_mobile_number_is_taken_as_people_write_it():
    from anwen.public.forms import mobile_number

    for written in ("13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678"):
        assert mobile_number(written) == "13812345678"


def test_a_file_that_is_not_what_it_claims_is_refused_with_a_message(world, client):
    fake = SimpleUploadedFile("证据.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post("/public/", {**filled(client), "files": [fake]})
    page = response.content.decode()
    assert response.status_code == 400 and "证据.png" in page
    assert "请重新选择附件" in page


def test_too_many_files_are_refused(world, client, settings):
    settings.ANWEN_PUBLIC_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{n}.png", PNG, content_type="image/png") for n in range(3)]
    response = client.post("/public/", {**filled(client), "files": files})
    assert response.status_code == 400 and "最多上传 2 个文件" in response.content.decode()


def test_attachments_larger_together_than_the_limit_are_refused(world, client, settings):
    settings.ANWEN_PUBLIC_MAX_UPLOAD_BYTES = 100
    files = [SimpleUploadedFile(f"{n}.png", PNG, content_type="image/png") for n in range(2)]
    response = client.post("/public/", {**filled(client), "files": files})
    assert response.status_code == 400 and "附件合计超过" in response.content.decode()


@pytest.mark.req("PS1.1")
def test_a_photo_is_accepted(world, client):
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post("/public/", {**filled(client), "files": [photo]})
    assert response.status_code == 302
    code = _code_of(client.get("/public/done/").content.decode())
    case = Case.objects.get(public_key=public_key(code))
    assert case.files.count() == 1
    kept = case.files.get()
    assert kept.uploaded_by is None and kept.confidential  # sent by the public, kept closed


def test_the_writer_chooses_the_bureau_when_several_accept_write_ins(world, client):
    page = client.get("/public/").content.decode()
    assert '<select name="bureau"' in page and "另一区教育委员会" in page
    response = client.post("/public/", filled(client, bureau=str(world.B2.pk)))
    assert response.status_code == 302
    code = _code_of(client.get("/public/done/").content.decode())
    assert Case.objects.get(public_key=public_key(code)).org == world.B2
    bad = client.post("/public/", filled(client, bureau=str(world.S1.pk)))
    assert bad.status_code == 400 and not Case.objects.filter(org=world.S1).exists()


def test_too_many_write_ins_from_one_address_are_refused(world, client, settings):
    settings.ANWEN_PUBLIC_MAX_PER_HOUR = 2
    for _n in range(2):
        data = filled(client, subject="")  # refused posts count as well
        assert client.post("/public/", data).status_code == 400
    refused = client.post("/public/", filled(client))
    assert refused.status_code == 429 and "一小时后再试" in refused.content.decode()
    other = client.post("/public/", filled(client), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302  # another address has its own hour
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert client.post("/public/", filled(client)).status_code == 302
    assert "127.0.0.1" not in str(list(Hit.objects.values_list("key", flat=True)))


def test_too_many_lookups_from_one_address_are_refused(world, client, settings):
    settings.ANWEN_PUBLIC_LOOKUPS_PER_HOUR = 3
    for n in range(3):
        assert _look_up(client, f"WRONG{n}").status_code == 200
    refused = _look_up(client, "WRONG9")
    assert refused.status_code == 429 and "一小时后再试" in refused.content.decode()
    assert "未找到" not in refused.content.decode()


def test_an_ipv6_network_shares_one_hour(world, client, settings):
    settings.ANWEN_PUBLIC_LOOKUPS_PER_HOUR = 2
    _look_up_from = lambda ip: client.post("/public/status/", {"code": "X"}, REMOTE_ADDR=ip)  # noqa: E731
    assert _look_up_from("2001:db8:1:2::1").status_code == 200
    assert _look_up_from("2001:db8:1:2::ffff").status_code == 200
    assert _look_up_from("2001:db8:1:2:abcd::7").status_code == 429
    assert _look_up_from("2001:db8:1:3::1").status_code == 200


def test_the_picture_of_the_question_is_served_and_a_forged_one_is_missing(world, client):
    token = hidden(client.get("/public/").content.decode(), "challenge")
    picture = client.get(f"/public/challenge/{token}.png")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")
    assert client.get("/public/challenge/forged:token:x.png").status_code == 404


def test_another_question_comes_without_reloading_the_page(world, client):
    fresh = client.get("/public/challenge/new/").json()
    assert challenge.question_of(fresh["token"]) is not None
    assert fresh["url"].startswith("/public/challenge/") and "等于几" in fresh["alt"]


def test_the_public_pages_reach_nothing_outside_public_and_static(world, client):
    client.post("/public/", filled(client))
    pages = [
        client.get("/public/").content.decode(),
        client.get("/public/done/").content.decode(),
        client.get("/public/status/").content.decode(),
        _look_up(client, "nothing").content.decode(),
    ]
    for page in pages:
        for target in re.findall(r'(?:href|src|action)="([^"]*)"', page):
            assert target.startswith(("/public/", "/static/", "?", "#")), target


def test_nothing_personal_reaches_a_url_or_the_log(world, client, caplog):
    caplog.set_level("DEBUG")
    response = client.post("/public/", filled(client, name="李四", phone="13900001111"))
    assert "李四" not in response.url and "13900001111" not in response.url
    client.post("/public/", filled(client, name="李四", phone="139", subject=""))
    assert "李四" not in caplog.text and "139" not in caplog.text
