"""The rows the workflow engine writes: one event per step of a record's life, and the grants
that let a person or an org outside the record's tree see that one record.

Both point at their record by its type code ("hazards.hazard") and primary key rather than by
a foreign key, so any engine's record type is a declaration, not a migration here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One step of a record's life: a transition (`from_state` → `to_state`) or a step that
    leaves the state alone (escalated, reminded, re-checked, commented: `to_state` equals
    `from_state`). The chronology of a record is its events in order."""

    record_type = models.CharField(max_length=60)
    record_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=40)  # the transition or step ("verify", "escalated")
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    # A step that must happen once per record ("escalate:2"): the database keeps it once even
    # when the job writing it runs twice at once.
    key = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["record_type", "record_id", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "key"],
                condition=~models.Q(key=""),
                name="workflow_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} {self.name}"

    @property
    def is_transition(self) -> bool:
        return self.from_state != self.to_state


class Grant(models.Model):
    """Access to one record beyond the org tree: an invited agency (every user of that org),
    or one named person (the centre inspector who found a hazard, a petition's handler).
    `orgs.scope.perm_or_granted_q` answers it alongside the tree."""

    record_type = models.CharField(max_length=60)
    record_id = models.PositiveBigIntegerField()
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["record_type", "user"]),
            models.Index(fields=["record_type", "org"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org__isnull=False) | models.Q(user__isnull=False),
                name="workflow_grant_someone",
            ),
            models.UniqueConstraint(
                fields=["record_type", "record_id", "org", "user"], name="workflow_grant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} → {self.org_id or ''}/{self.user_id or ''}"


class Timer(models.Model):
    """A clock the engine keeps for one record (a clock declared without a record field): when
    it started, the moment it runs out, whether it is held (a hearing's time does not count),
    when it stopped and whether that was in time. One row per record and clock; starting it
    again starts it afresh. Every change to it is also in the record's events."""

    record_type = models.CharField(max_length=60)
    record_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=30)
    started_at = models.DateTimeField()
    # The last day of the period (shown to people) and the moment it runs out: the next local
    # midnight for a clock in days, the hour itself for a clock in hours.
    due_on = models.DateField()
    due_at = models.DateTimeField()
    in_hours = models.BooleanField(default=False)
    duty = models.BooleanField(default=True)  # see engine.Clock.duty
    paused_at = models.DateTimeField(null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "name"], name="workflow_timer_once"
            )
        ]
        indexes = [
            # "What is overdue or due soon" across one record type: the running clocks by due.
            models.Index(
                fields=["record_type", "due_at"],
                condition=models.Q(stopped_at__isnull=True),
                name="workflow_timer_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} {self.name} → {self.due_at}"

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None

    def overdue_at(self, now) -> bool:
        return self.duty and self.running and now >= self.due_at
