"""The worker's drain: every e-mail and SMS sent once, retried when the transport fails, taken
again when a worker died between claim and send."""

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from anwen.outbox import delivery as delivery_module
from anwen.outbox.delivery import claim, drain
from anwen.outbox.models import Channel, Delivery
from anwen.outbox.services import announce
from anwen.outbox.tasks import drain_outbox
from anwen.outbox.tests.contacts import give_contacts

pytestmark = [pytest.mark.django_db]

SECRET = "the dormitory fire door of building 3 is chained"


class Gateway:
    """A fake SMS gateway on a local port: records each request, answers `status`/`answer`."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.answer = b'{"code": 0}'
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server protocol
                length = int(self.headers.get("Content-Length", 0))
                gateway.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length).decode(),
                    }
                )
                self.send_response(gateway.status)
                self.end_headers()
                self.wfile.write(gateway.answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.ANWEN_SMS_BACKEND = "http"
    settings.ANWEN_SMS_URL = gw.url
    settings.ANWEN_SMS_TOKEN = "tok-123"
    settings.ANWEN_SMS_HEADERS = {"X-App": "anwen"}
    settings.ANWEN_SMS_BODY = '{"phone": "{mobile}", "content": "{text}", "sign": "安稳"}'
    settings.ANWEN_SMS_TIMEOUT = 5
    yield gw
    gw.close()


@pytest.fixture
def reachable(world):
    give_contacts(world.school, email="school@example.cn", phone="13800138000")
    give_contacts(world.principal, email="principal@example.cn")
    return world


def overdue(world, key="hazard:7:overdue:1"):
    announce(
        key=key,
        recipients=[world.school, world.principal],
        title="Hazard overdue",
        body=SECRET,
        link="/hazards/7/",
    )


@pytest.mark.req("PL6")
def test_the_drain_sends_each_mail_and_text_once_even_when_run_twice(reachable, gateway):
    overdue(reachable)
    first = drain()
    second = drain()
    assert (first.delivered, second.delivered) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["principal@example.cn", "school@example.cn"]
    assert mail.outbox[0].subject == "Hazard overdue" and SECRET in mail.outbox[0].body
    assert len(gateway.requests) == 1
    sent = gateway.requests[0]
    assert json.loads(sent["body"]) == {
        "phone": "13800138000",
        "content": f"Hazard overdue：{SECRET}",
        "sign": "安稳",
    }
    assert sent["headers"]["Authorization"] == "Bearer tok-123"
    assert sent["headers"]["X-App"] == "anwen"
    assert set(Delivery.objects.exclude(channel=Channel.APP).values_list("status", flat=True)) == {
        Delivery.Status.DELIVERED
    }


@pytest.mark.req("PL6")
def test_the_same_event_announced_again_after_sending_sends_nothing_more(reachable, gateway):
    overdue(reachable)
    drain()
    overdue(reachable)
    assert drain().delivered == 0
    assert len(mail.outbox) == 2 and len(gateway.requests) == 1


@pytest.mark.req("PL6")
def test_a_worker_that_died_between_claim_and_send_is_taken_over_after_the_lease(
    reachable, monkeypatch, settings
):
    overdue(reachable)
    real_deliver = delivery_module.deliver

    def die(delivery, *, sms):
        raise KeyboardInterrupt  # the process is killed: nothing after the claim runs

    monkeypatch.setattr(delivery_module, "deliver", die)
    with pytest.raises(KeyboardInterrupt):
        drain()
    stuck = Delivery.objects.get(status=Delivery.Status.SENDING)
    monkeypatch.setattr(delivery_module, "deliver", real_deliver)
    # Within the lease the row is still the dead worker's: a second run leaves it.
    drain()
    stuck.refresh_from_db()
    assert stuck.status == Delivery.Status.SENDING
    later = timezone.now() + timedelta(seconds=settings.ANWEN_OUTBOX_LEASE_SECONDS + 1)
    drain(now=later)
    drain(now=later)
    stuck.refresh_from_db()
    assert stuck.status == Delivery.Status.DELIVERED and stuck.attempts == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["principal@example.cn", "school@example.cn"]


def test_nothing_goes_to_an_account_deactivated_before_the_send(reachable):
    overdue(reachable)
    reachable.school.is_active = False
    reachable.school.save()
    result = drain()
    assert (result.delivered, result.failed) == (1, 2)
    assert [m.to[0] for m in mail.outbox] == ["principal@example.cn"]


def test_a_claimed_row_cannot_be_claimed_twice(reachable):
    overdue(reachable)
    pk = Delivery.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True).first()
    now = timezone.now()
    assert claim(pk, now=now) is True
    assert claim(pk, now=now) is False


@pytest.mark.req("PL6")
def test_a_refusing_gateway_is_retried_with_backoff_then_failed_without_the_text_in_logs(
    reachable, gateway, settings, caplog
):
    settings.ANWEN_OUTBOX_MAX_ATTEMPTS = 3
    settings.ANWEN_OUTBOX_RETRY_SECONDS = 60
    gateway.status = 500
    overdue(reachable)
    now = timezone.now()
    with caplog.at_level(logging.DEBUG):
        assert drain(now=now).retried == 1
        sms = Delivery.objects.get(channel=Channel.SMS)
        assert sms.status == Delivery.Status.PENDING and sms.attempts == 1
        assert sms.next_attempt_at == now + timedelta(seconds=60)
        # Not due yet: nothing is tried.
        assert drain(now=now + timedelta(seconds=59)).retried == 0
        assert drain(now=now + timedelta(seconds=60)).retried == 1
        sms.refresh_from_db()
        assert sms.next_attempt_at == now + timedelta(seconds=60 + 120)
        assert drain(now=now + timedelta(seconds=180)).failed == 1
        assert drain(now=now + timedelta(days=2)).failed == 0
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.FAILED and sms.attempts == 3
    assert "500" in sms.last_error and SECRET not in sms.last_error
    assert len(gateway.requests) == 3
    assert SECRET not in caplog.text and "failed" in caplog.text


def test_a_gateway_answering_200_without_the_success_marker_is_a_failure(
    reachable, gateway, settings
):
    settings.ANWEN_SMS_OK_TEXT = '"code": 0'
    gateway.answer = b'{"code": 17, "msg": "balance"}'
    overdue(reachable)
    assert drain().retried == 1
    gateway.answer = b'{"code": 0}'
    assert drain(now=timezone.now() + timedelta(hours=1)).delivered == 1


def test_an_unreachable_gateway_is_a_retry_not_a_crash(reachable, settings):
    settings.ANWEN_SMS_BACKEND = "http"
    settings.ANWEN_SMS_URL = "http://127.0.0.1:9/send"
    settings.ANWEN_SMS_TIMEOUT = 1
    overdue(reachable)
    result = drain()
    assert (result.delivered, result.retried) == (2, 1)


def test_the_console_backend_prints_the_text(reachable, capsys):
    overdue(reachable)
    drain()
    assert "SMS to 13800138000: Hazard overdue" in capsys.readouterr().out


def test_a_form_encoded_gateway_gets_its_values_quoted(settings):
    from anwen.outbox.sms import HttpSmsBackend

    settings.ANWEN_SMS_URL = "https://sms.example.cn/api?to={mobile}"
    settings.ANWEN_SMS_CONTENT_TYPE = "application/x-www-form-urlencoded"
    settings.ANWEN_SMS_BODY = "to={mobile}&msg={text}"
    request = HttpSmsBackend().request(mobile="13800138000", text="隐患 & 逾期")
    assert request.full_url == "https://sms.example.cn/api?to=13800138000"
    assert request.data == b"to=13800138000&msg=%E9%9A%90%E6%82%A3%20%26%20%E9%80%BE%E6%9C%9F"


def test_the_task_reports_what_it_did(reachable):
    overdue(reachable)
    result = drain_outbox.enqueue()
    assert result.return_value == {"delivered": 3, "retried": 0, "failed": 0}


@pytest.mark.req("PL6")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_draining_at_once_send_each_mail_once(world):
    people = [world.school, world.principal, world.teacher, world.guard]
    for n, user in enumerate(people):
        give_contacts(user, email=f"u{n}@example.cn")
    # Written without the after-commit drain, so the two workers find the rows waiting.
    from django.db import transaction

    with transaction.atomic():
        for n in range(5):
            announce(key=f"e:{n}", recipients=people, title=f"event {n}")
        transaction.get_connection().run_on_commit.clear()
    mail.outbox.clear()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            drain(batch=3)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(sent) == 20 and len(set(sent)) == 20
