"""Storing evidence files: the type is read from the content, never from the name; the size is
limited; images are re-encoded (which drops EXIF, GPS position included) and downscaled for
display; everything goes through Django's storage API, so object storage works unchanged.

Stored names are the file's UUID only: the user's file name stays in the database row and
never reaches a URL, a storage path or a log.
"""

import hashlib
import os

from django.core.files.base import ContentFile
from django.db import transaction

from anwen import audit
from anwen.evidence.content import (
    ALL_KINDS,
    EXTENSIONS,
    EvidenceError,
    check_upload,
    identify,
    picture,
    read_upload,
    sniff,
)
from anwen.evidence.models import IMAGE_KINDS, EvidenceFile

__all__ = ["EvidenceError", "check_upload", "evidence_store", "sniff"]


def _shown_name(upload, kind: str) -> str:
    """The user's name for the file, with the extension of what it really is."""
    name = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))
    stem = os.path.splitext(name)[0].strip()[:150] or "file"
    return stem + EXTENSIONS[kind]


@transaction.atomic
def evidence_store(*, upload, org, by, confidential: bool = False, kinds=ALL_KINDS) -> EvidenceFile:
    """Check and keep one uploaded file (a Django UploadedFile or File) for `org`.

    `kinds` narrows what this caller accepts (a photo field: {JPEG, PNG}). Raises EvidenceError
    with a message for the user."""
    data = read_upload(upload)
    kind = identify(data, kinds)
    width = height = None
    display = None
    if kind in IMAGE_KINDS:
        # The kept original is re-encoded too, so no camera metadata (GPS) survives.
        pic = picture(data, kind)
        data, display, width, height = pic.data, pic.display, pic.width, pic.height
    record = EvidenceFile(
        org=org,
        kind=kind,
        name=_shown_name(upload, kind),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        confidential=confidential,
        uploaded_by=by,
        width=width,
        height=height,
    )
    extension = EXTENSIONS[kind]
    record.file.save(f"{record.id.hex}{extension}", ContentFile(data), save=False)
    if display:
        record.display.save(f"{record.id.hex}-display{extension}", ContentFile(display), save=False)
    record.save()
    audit.record(
        actor=by,
        action="evidence.file.stored",
        obj=record,
        org=org,
        data={"kind": kind, "size": record.size, "confidential": confidential},
    )
    return record
