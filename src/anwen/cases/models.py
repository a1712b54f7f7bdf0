"""A case: a matter someone raised that someone must handle in time — a petition, a dispute, a
threat, an incident, a bullying report, a care record, a key person, a clue, a public-opinion
item. One table for every type; what differs between types (steps, clocks, fields, who may
see what) is declared in `types.py` and the type modules, not in columns.

A case has two faces. What every person who may see the case sees: its number, type, stage,
org, channel, dates and clocks. What only its named handlers see when the type is
confidential: the subject, the content, the people in it (`people`) and the confidential
fields (`private`). Nothing of the second face goes into URLs, logs, notifications or the
audit trail's data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld and resolved")
    NOT_UPHELD = "not_upheld", _("Not upheld: explanation given")
    BEYOND_POLICY = "beyond_policy", _("Beyond policy: explanation given")


class Case(models.Model):
    type = models.CharField(_("type"), max_length=30)  # a registered CaseType's code
    number = models.CharField(_("number"), max_length=30, unique=True)  # "XF-2026-0001"
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="cases", verbose_name=_("org")
    )
    state = models.CharField(_("stage"), max_length=30)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("received at"))
    urgent = models.BooleanField(_("urgent"), default=False)
    # The face everyone who may see the case sees, declared per type (a dispute's risk level).
    details = models.JSONField(default=dict, blank=True)

    # The confidential face (for a confidential type: the named handlers only).
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    people = models.JSONField(default=dict, blank=True)  # {"name": …, "phone": …}
    private = models.JSONField(default=dict, blank=True)
    reply = models.TextField(_("reply"), blank=True)  # told to the writer
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    files = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+")

    # 首接责任: who first received it, and who owns it now (until handed over).
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handling_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader = models.ForeignKey(  # 包案: the leader in charge of the case
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Repeat petitions (PS1.6): the earlier case on the same matter, and a keyed digest of
    # the writer's identity (name and phone), so the same writer's cases are found without
    # the identity being readable or searchable.
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    writer_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The public write-in's tracking code, kept as a keyed digest only: the code is a key.
    public_key = models.CharField(max_length=64, blank=True, db_index=True)

    closed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["type", "closed", "received_at"]),
            models.Index(fields=["org", "closed", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.number  # never the subject: a case's name in logs is its number
