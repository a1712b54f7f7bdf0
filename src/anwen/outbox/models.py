"""The outbox: one Notice per event, one Delivery per (notice, person, channel).

An engine announces an event once it happens (`services.announce`); the worker drains the
pending deliveries (`delivery.drain`). The unique constraints are what make "each event
reaches each person once per channel" hold under a second run, a crash or concurrent callers:
every writer inserts with the constraint as referee, and every sender claims its row with a
conditional update before it sends.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    APP = "app", _("In the app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Notice(models.Model):
    """One event worth telling people about. `key` names the event ("hazard:12:overdue:1"),
    so announcing it again finds this row instead of making a second one."""

    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # May name a confidential record: it is shown to its recipients and sent to them, never
    # written to a log.
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.key


class Delivery(models.Model):
    """A notice on its way to one person through one channel.

    pending → sending (claimed, `claimed_at` set) → delivered; a failed attempt goes back to
    pending with `next_attempt_at` later, and after the last allowed attempt to failed. A row
    left in sending longer than the lease (the worker died between claim and send) is claimed
    again. In-app rows are delivered when written: they are the bell."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Where it was sent, fixed when written (the address or number of that moment).
    address = models.CharField(max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The transport's complaint (an exception's class and message), never the notice's text.
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "user", "channel"], name="outbox_delivery_once_per_channel"
            )
        ]
        indexes = [
            # The bell: one COUNT over this partial index per page.
            models.Index(
                fields=["user"],
                condition=models.Q(channel="app", read_at__isnull=True),
                name="outbox_unread",
            ),
            # The list of a person's notices, newest first.
            models.Index(fields=["user", "channel", "-created_at"], name="outbox_by_user"),
            # What the worker looks for.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id} ({self.channel})"


class Preference(models.Model):
    """Which channels beyond the app a person receives. No row: both on (an overdue hazard
    should reach its owner unless they said otherwise)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email} sms={self.sms}"
