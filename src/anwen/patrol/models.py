"""Electronic guard patrol (电子巡更, SM3.4): checkpoints with QR codes posted around the campus,
the schedules of the rounds that must visit them, the scans guards make with their phones, and
each night's round as judged the next morning.

A checkpoint's QR code holds a random token, never its primary key, so the codes of one school
cannot be guessed from another's.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Checkpoint(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    name = models.CharField(_("checkpoint"), max_length=80)
    place = models.CharField(
        _("where"),
        max_length=120,
        blank=True,
        help_text=_("Where the code is posted, for example: east wall of the main gate."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("patrol checkpoint")
        verbose_name_plural = _("patrol checkpoints")
        ordering = ["org", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="patrol_checkpoint_name")
        ]

    def __str__(self) -> str:
        return self.name


class PatrolSchedule(models.Model):
    """A round that must be walked every night: the checkpoints to visit between a start and an
    end time (the end may lie after midnight). A checkpoint first scanned after the end plus the
    grace minutes is late; the round is judged at `judged_at` the next morning."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=80)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(
        _("ends at"), help_text=_("An end before the start means the next morning.")
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace (minutes)"),
        default=30,
        help_text=_("A checkpoint first scanned later than the end plus these minutes is late."),
    )
    judged_at = models.TimeField(
        _("judged at"),
        default=time(8, 0),
        help_text=_("The round is judged at this time after it ends; later scans do not count."),
    )
    checkpoints = models.ManyToManyField(
        Checkpoint, related_name="schedules", verbose_name=_("checkpoints to visit")
    )
    starts_on = models.DateField(_("in use from"), default=timezone.localdate)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("patrol schedule")
        verbose_name_plural = _("patrol schedules")
        ordering = ["org", "start_time", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="patrol_schedule_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    def window(self, night: date) -> "Window":
        """The times of the round of `night` (the date the round starts on)."""
        start = timezone.make_aware(datetime.combine(night, self.start_time))
        end_day = night + timedelta(days=1) if self.crosses_midnight else night
        end = timezone.make_aware(datetime.combine(end_day, self.end_time))
        late_after = end + timedelta(minutes=self.grace_minutes)
        closes = timezone.make_aware(datetime.combine(late_after.date(), self.judged_at))
        if closes <= late_after:
            closes = timezone.make_aware(
                datetime.combine(late_after.date() + timedelta(days=1), self.judged_at)
            )
        return Window(start=start, end=end, late_after=late_after, closes=closes)


@dataclass(frozen=True)
class Window:
    """start ≤ on time ≤ late_after < late < closes; scans outside [start, closes) count for
    nothing."""

    start: datetime
    end: datetime
    late_after: datetime
    closes: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.closes


class Scan(models.Model):
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="scans", verbose_name=_("checkpoint")
    )
    # The checkpoint's school, kept on the row so that scoping needs no join.
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    # Always set by a real scan; empty only in loaded history (staff without accounts).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(_("scanned at"))
    # The round this scan counts for when it was made (None: outside every round's window).
    schedule = models.ForeignKey(
        PatrolSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    night = models.DateField(_("night"), null=True, blank=True)

    class Meta:
        verbose_name = _("patrol scan")
        verbose_name_plural = _("patrol scans")
        ordering = ["-scanned_at"]
        indexes = [
            models.Index(fields=["checkpoint", "scanned_at"]),
            models.Index(fields=["org", "scanned_at"]),
            models.Index(fields=["schedule", "night"]),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.scanned_at:%Y-%m-%d %H:%M}"


class RoundStatus(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    LATE = "late", _("Late")
    PARTIAL = "partial", _("Partial")
    MISSED = "missed", pgettext_lazy("patrol round", "Missed")


FLAGGED = (RoundStatus.LATE, RoundStatus.PARTIAL, RoundStatus.MISSED)


class Round(models.Model):
    """One night of one schedule, judged once the next morning."""

    schedule = models.ForeignKey(
        PatrolSchedule,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("schedule"),
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    night = models.DateField(_("night"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices)
    checkpoints_total = models.PositiveSmallIntegerField(_("checkpoints"), default=0)
    scanned_count = models.PositiveSmallIntegerField(_("scanned"), default=0)
    late_count = models.PositiveSmallIntegerField(_("late"), default=0)
    missing_count = models.PositiveSmallIntegerField(_("not scanned"), default=0)
    missing_names = models.JSONField(default=list, blank=True)
    late_names = models.JSONField(default=list, blank=True)
    first_scan_at = models.DateTimeField(null=True, blank=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(_("judged at"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledge_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-night", "org", "schedule"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "night"], name="patrol_round_per_night")
        ]
        indexes = [
            models.Index(fields=["org", "night"]),
            models.Index(fields=["status", "acknowledged_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.night}"

    @property
    def is_flagged(self) -> bool:
        return self.status in FLAGGED

    @property
    def state_class(self) -> str:
        """The colour of UI.md: done green, late orange, missed/partial red."""
        states: dict[str, str] = {RoundStatus.COMPLETE: "done", RoundStatus.LATE: "late"}
        return states.get(self.status, "missed")
