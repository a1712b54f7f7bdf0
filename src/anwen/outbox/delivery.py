"""The worker's half: sending the e-mail and SMS deliveries that are due, each exactly once.

Each row is claimed with one conditional UPDATE (pending and due, or sending with an expired
lease → sending, claimed now) before anything is sent, as healthchecks claims a flip: of two
workers, or of a run and its rerun, only one gets the row (on PostgreSQL the loser's UPDATE
waits for the winner's commit and then matches nothing; on SQLite writers queue). The send
happens outside any transaction, so no database lock is held while a gateway answers; the row
is then marked delivered, or put back for a later attempt with a growing pause, or failed
after the last allowed attempt. A worker killed between claim and send leaves the row in
sending; after the lease it is claimed again. The one window left is a crash after the
transport took the message and before the row says so: that message may go twice, which no
outbox can rule out without the transport's help.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from anwen.outbox.models import Channel, Delivery
from anwen.outbox.sms import SmsBackend, sms_backend

logger = logging.getLogger(__name__)


@dataclass
class DrainResult:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _lease() -> timedelta:
    return timedelta(seconds=settings.ANWEN_OUTBOX_LEASE_SECONDS)


def _claimable(now: datetime) -> Q:
    return Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - _lease()
    )


def claim(pk: int, *, now: datetime) -> bool:
    """Take delivery `pk` for sending; False when another worker has it or it is not due."""
    return (
        Delivery.objects.filter(
            _claimable(now), pk=pk, attempts__lt=settings.ANWEN_OUTBOX_MAX_ATTEMPTS
        )
        .exclude(channel=Channel.APP)
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def retry_delay(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failure: the base, doubled each time, at most a day."""
    seconds = settings.ANWEN_OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 86400))


def _site_link(link: str) -> str:
    return (
        f"{settings.ANWEN_SITE_URL.rstrip('/')}{link}" if link and settings.ANWEN_SITE_URL else ""
    )


def send_email(delivery: Delivery) -> None:
    notice = delivery.notice
    text = "\n\n".join(part for part in (notice.body, _site_link(notice.link)) if part)
    EmailMessage(subject=notice.title, body=text or notice.title, to=[delivery.address]).send()


def sms_text(delivery: Delivery) -> str:
    notice = delivery.notice
    text = f"{notice.title}：{notice.body}" if notice.body else notice.title
    link = _site_link(notice.link)
    if link:
        text = f"{text} {link}"
    limit = settings.ANWEN_SMS_MAX_CHARS
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sweep_exhausted(now: datetime) -> int:
    """Rows left in sending by workers that died on their last allowed attempt: failed, for an
    administrator to see, rather than claimed forever."""
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING,
        claimed_at__lt=now - _lease(),
        attempts__gte=settings.ANWEN_OUTBOX_MAX_ATTEMPTS,
    ).update(status=Delivery.Status.FAILED, last_error="the worker stopped while sending")


def deliver(delivery: Delivery, *, sms: SmsBackend | None) -> None:
    """Hand one claimed delivery to its transport; raises when the transport refused it."""
    if delivery.channel == Channel.EMAIL:
        send_email(delivery)
    elif delivery.channel == Channel.SMS:
        if sms is None:
            raise RuntimeError("no SMS back-end")
        sms.send(mobile=delivery.address, text=sms_text(delivery))
    else:  # pragma: no cover - in-app rows are never claimed
        raise ValueError(delivery.channel)


def drain(*, now: datetime | None = None, batch: int | None = None) -> DrainResult:
    """Send every delivery due at `now` (default: the current time), batch by batch."""
    now = now or timezone.now()
    batch = batch or settings.ANWEN_OUTBOX_BATCH
    result = DrainResult()
    result.failed += _sweep_exhausted(now)
    sms: SmsBackend | None = None
    seen: set[int] = set()
    while True:
        candidates = [
            pk
            for pk in Delivery.objects.filter(_claimable(now))
            .exclude(channel=Channel.APP)
            .exclude(pk__in=seen)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch]
        ]
        if not candidates:
            return result
        seen.update(candidates)
        for pk in candidates:
            if not claim(pk, now=now):
                continue
            delivery = Delivery.objects.select_related("notice", "user").get(pk=pk)
            if not delivery.user.is_active:
                # Locked or left since the event: nothing more goes to the old address.
                Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
                    status=Delivery.Status.FAILED, last_error="the account is no longer active"
                )
                result.failed += 1
                continue
            try:
                if delivery.channel == Channel.SMS and sms is None:
                    sms = sms_backend()
                deliver(delivery, sms=sms)
            except Exception as exc:  # noqa: BLE001 - any transport failure is retried
                _record_failure(delivery, exc, now=now, result=result)
                continue
            Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), last_error=""
            )
            result.delivered += 1


def _record_failure(delivery: Delivery, exc: Exception, *, now: datetime, result: DrainResult):
    # The error's class and message only: never the notice's text, which may name a
    # confidential record.
    error = f"{type(exc).__name__}: {exc}"[:300]
    logger.warning(
        "outbox: delivery %s (%s) attempt %s failed: %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        type(exc).__name__,
    )
    if delivery.attempts >= settings.ANWEN_OUTBOX_MAX_ATTEMPTS:
        status, result.failed = Delivery.Status.FAILED, result.failed + 1
    else:
        status, result.retried = Delivery.Status.PENDING, result.retried + 1
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=status,
        claimed_at=None,
        next_attempt_at=now + retry_delay(delivery.attempts),
        last_error=error,
    )
