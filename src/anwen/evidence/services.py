"""Storing evidence files: the type is read from the content, never from the name; the size is
limited; images are re-encoded (which drops EXIF, GPS position included) and downscaled for
display; everything goes through Django's storage API, so object storage works unchanged."""

import hashlib
import io
import os
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from anwen.evidence.models import IMAGE_KINDS, EvidenceFile, FileKind


class EvidenceError(Exception):
    """A file was refused; the message is for the user."""


def max_bytes() -> int:
    return getattr(settings, "ANWEN_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)


def display_pixels() -> int:
    return getattr(settings, "ANWEN_EVIDENCE_DISPLAY_PX", 1600)


_EXTENSIONS = {
    FileKind.JPEG: ".jpg", FileKind.PNG: ".png", FileKind.PDF: ".pdf",
    FileKind.XLSX: ".xlsx", FileKind.DOCX: ".docx",
}


def sniff(head: bytes, data: bytes) -> str | None:
    """The file's kind judged by its bytes, or None when it is none of the accepted kinds."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return FileKind.XLSX
            if "word/document.xml" in names:
                return FileKind.DOCX
    return None


def _reencode(data: bytes, kind: str, limit: int | None) -> tuple[bytes, int, int]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
            if limit:
                image.thumbnail((limit, limit))
            out = io.BytesIO()
            if kind == FileKind.JPEG:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise EvidenceError(_("The image cannot be read: it may be damaged.")) from exc
    return out.getvalue(), width, height


@transaction.atomic
def evidence_store(*, upload, org, by, confidential: bool = False) -> EvidenceFile:
    """Check and keep one uploaded file (a Django UploadedFile or File) for `org`."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise EvidenceError(
            _("The file is larger than %(mb)d MB. Please upload a smaller file.")
            % {"mb": limit // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise EvidenceError(
            _("The file is larger than %(mb)d MB. Please upload a smaller file.")
            % {"mb": limit // (1024 * 1024)}
        )
    if not data:
        raise EvidenceError(_("The file is empty."))
    kind = sniff(data[:16], data)
    if kind is None:
        raise EvidenceError(
            _("This file type is not accepted. Upload a JPEG or PNG photo, or a PDF, XLSX or "
              "DOCX document.")
        )
    name = os.path.basename(getattr(upload, "name", "") or "file")[:150]
    stem = os.path.splitext(name)[0] or "file"
    shown_name = stem + _EXTENSIONS[kind]
    width = height = None
    display = b""
    if kind in IMAGE_KINDS:
        # The kept original is re-encoded too, so no camera metadata (GPS) survives.
        data, width, height = _reencode(data, kind, None)
        display, _w, _h = _reencode(data, kind, display_pixels())
    record = EvidenceFile(
        org=org, kind=kind, name=shown_name, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), confidential=confidential, uploaded_by=by,
        width=width, height=height,
    )
    record.file.save(f"{record.id.hex}{_EXTENSIONS[kind]}", ContentFile(data), save=False)
    if display:
        record.display.save(f"{record.id.hex}-display{_EXTENSIONS[kind]}", ContentFile(display),
                            save=False)
    record.save()
    return record
