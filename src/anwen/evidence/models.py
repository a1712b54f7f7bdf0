"""Evidence files (PL7): photos and documents attached to records of any engine.

A file belongs to an org and to the record that holds it; only someone who may open that
record (as its own app answers through the registry) may fetch it. Its id is a random UUID, so a URL reveals nothing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    DOCX = "docx", "DOCX"


IMAGE_KINDS = {FileKind.JPEG, FileKind.PNG}


class EvidenceFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("file type"), max_length=8, choices=FileKind.choices)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=200)
    # Images get a downscaled copy for display; the page never loads a 12-megapixel original.
    display = models.FileField(upload_to="evidence/%Y/%m/", max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Files of confidential records are served only through the record's own guard.
    confidential = models.BooleanField(default=False)
    # None: sent by a member of the public (the write-in page has no account behind it).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind in IMAGE_KINDS
