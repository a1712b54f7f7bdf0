"""The audit trail: append-only, each row chained to the one before by an HMAC-SHA256
(see `chain`). The database refuses UPDATE and DELETE itself (triggers, on SQLite and
PostgreSQL), except inside the retention purge."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove audit events through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    # The trail only grows through `services.record` (which chains the hash) and only shrinks
    # through `services.purge_expired` (which keeps the chain verifiable). Everything else that
    # would rewrite it is refused here, before any SQL is sent.
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are appended one by one through audit.record.")

    def _purge(self) -> int:
        """Delete these rows. Only `services.purge_expired` calls this, under the chain lock."""
        deleted, _by_model = models.QuerySet.delete(self)
        return deleted


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The actor is kept as id and label, not a foreign key: deleting an account must not
    # rewrite the trail.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which key made `hash` (chain.key_id_of); empty for rows written before the trail was keyed.
    key_id = models.CharField(max_length=8, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        # A guard, not a side effect: a saved event is never written again.
        if self.pk is not None:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")


class AuditHead(models.Model):
    """The single row (pk=1) that holds the end and the start of the chain, sealed by `mac`.

    Appends lock this row, so they are serialised on PostgreSQL as on SQLite and the chain
    never forks. `hash`/`last_id` are the newest event, so deleting the last rows is detected;
    `anchor` is the prev_hash the oldest kept event must carry: the genesis value until a
    retention purge moves it forward; `keyed_since` the first event id that must be keyed.
    `mac` (chain.head_mac, under the key `key_id` names) covers all of them, so none can be
    changed without the key."""

    hash = models.CharField(max_length=64)
    last_id = models.BigIntegerField(null=True, blank=True)
    anchor = models.CharField(max_length=64)
    purged_at = models.DateTimeField(null=True, blank=True)
    keyed_since = models.BigIntegerField(default=0)
    key_id = models.CharField(max_length=8, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")
    # SQLite has no session settings: the purge raises this flag inside its transaction and
    # the append-only triggers let rows go only while it is up (PostgreSQL: anwen.audit_purge).
    purging = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head {self.last_id} {self.hash[:12]}"
