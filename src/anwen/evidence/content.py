"""What a file is, judged by its bytes, never by its name or the browser's content type.

Accepted: JPEG and PNG photos, PDF, XLSX and DOCX documents. A renamed program or web page is
refused; an XLSX or DOCX must be a real Office Open XML package whose unpacked size and number
of parts stay within bounds (read from the zip's directory: nothing is inflated but the small
`[Content_Types].xml`, and that read is bounded too), so a zip bomb is refused unopened. An
image's pixel count is read from its header before any decoding, so a decompression bomb is
refused before it takes the memory. Images are then re-encoded: no camera metadata (GPS
position, device, time) survives, and the display copy is downscaled.
"""

import io
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anwen.errors import AppError
from anwen.evidence.models import IMAGE_KINDS, FileKind
from anwen.zipbounds import ZipTooLarge, check_bounds
from anwen.zipbounds import size_label as size_label  # its callers import it from here


class EvidenceError(AppError):
    """A file was refused; the message is for the user."""


# --- limits (settings, read at call time so a deployment or a test can change them) ---------


def max_bytes() -> int:
    return getattr(settings, "ANWEN_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)


def display_pixels() -> int:
    """The longest side of the display copy of an image."""
    return getattr(settings, "ANWEN_EVIDENCE_DISPLAY_PX", 1600)


def max_pixels() -> int:
    """The most pixels an image may have (a 50-megapixel phone photo passes)."""
    return getattr(settings, "ANWEN_EVIDENCE_MAX_PIXELS", 60_000_000)


def max_unzipped_bytes() -> int:
    return getattr(settings, "ANWEN_EVIDENCE_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)


def max_zip_entries() -> int:
    return getattr(settings, "ANWEN_EVIDENCE_MAX_ZIP_ENTRIES", 5000)


EXTENSIONS: dict[str, str] = {
    FileKind.JPEG: ".jpg",
    FileKind.PNG: ".png",
    FileKind.PDF: ".pdf",
    FileKind.XLSX: ".xlsx",
    FileKind.DOCX: ".docx",
}
CONTENT_TYPES: dict[str, str] = {
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.PDF: "application/pdf",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ALL_KINDS = frozenset(FileKind)

# The main part's content type names the document kind; the macro-enabled variants (xlsm,
# docm) and templates carry other types and are refused.
_OOXML_MAIN = {
    FileKind.XLSX: (
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/workbook.xml",
    ),
    FileKind.DOCX: (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/document.xml",
    ),
}
_CONTENT_TYPES_PART = "[Content_Types].xml"
_CONTENT_TYPES_MAX = 256 * 1024
_PIL_FORMATS: dict[str, str] = {FileKind.JPEG: "JPEG", FileKind.PNG: "PNG"}


def kinds_label(kinds=ALL_KINDS) -> str:
    return "、".join(label for value, label in FileKind.choices if value in kinds)


def too_large() -> EvidenceError:
    return EvidenceError(
        _(
            "The file is larger than %(limit)s. Please make it smaller (compress the photo or "
            "split the document) and upload it again."
        )
        % {"limit": size_label(max_bytes())}
    )


def _not_accepted(kinds) -> EvidenceError:
    return EvidenceError(
        _(
            "This file type is not accepted (the content is checked, not the name). Upload one "
            "of: %(kinds)s."
        )
        % {"kinds": kinds_label(kinds)}
    )


def _ooxml_kind(data: bytes) -> str | None:
    """XLSX or DOCX when `data` is a genuine OOXML package within bounds, else None; raises
    EvidenceError for a package too large once unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            try:
                check_bounds(
                    archive, max_unzipped=max_unzipped_bytes(), max_entries=max_zip_entries()
                )
            except ZipTooLarge as exc:
                raise EvidenceError(exc.message) from exc
            names = {entry.filename for entry in entries}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros
            try:
                types_entry = archive.getinfo(_CONTENT_TYPES_PART)
            except KeyError:
                return None
            if types_entry.file_size > _CONTENT_TYPES_MAX:
                return None
            with archive.open(types_entry) as part:
                types = part.read(_CONTENT_TYPES_MAX + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        EOFError,
        ValueError,
        OSError,
    ):
        return None
    for kind, (main_type, main_part) in _OOXML_MAIN.items():
        if main_type in types and main_part in names:
            return kind
    return None


def _pdf_ok(data: bytes) -> bool:
    # Readers look for the end marker within the last kilobyte.
    return b"%%EOF" in data[-1024:]


def _image_size(data: bytes, kind: str) -> tuple[int, int]:
    """The pixel size from the header (no decoding), refusing what is not really `kind`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PIL_FORMATS[kind]:
                    raise EvidenceError(_("The image cannot be read: it may be damaged."))
                width, height = image.size
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise EvidenceError(_("The image cannot be read: it may be damaged.")) from exc
    if width * height > max_pixels():
        raise _too_many_pixels()
    return width, height


def _too_many_pixels() -> EvidenceError:
    return EvidenceError(
        _(
            "The image has too many pixels (more than %(mp)d megapixels). Please upload a "
            "smaller photo."
        )
        % {"mp": max_pixels() // 1_000_000}
    )


def identify(data: bytes, kinds=ALL_KINDS) -> str:
    """The kind of `data`, or EvidenceError with a message for the user."""
    if not data:
        raise EvidenceError(_("The file is empty."))
    if len(data) > max_bytes():
        raise too_large()
    kind: str | None = None
    if data.startswith(b"\xff\xd8\xff"):
        kind = FileKind.JPEG
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = FileKind.PNG
    elif data.startswith(b"%PDF-") and _pdf_ok(data):
        kind = FileKind.PDF
    elif data.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(data)
    if kind is None or kind not in kinds:
        raise _not_accepted(kinds)
    if kind in IMAGE_KINDS:
        _image_size(data, kind)
    return kind


def sniff(head: bytes, data: bytes) -> str | None:
    """The file's kind judged by its bytes, or None when it is none of the accepted kinds (or
    breaks a limit). `head` is kept for callers of the first version; `data` decides."""
    try:
        return identify(data or head)
    except EvidenceError:
        return None


def read_upload(upload) -> bytes:
    """The upload's bytes, refusing one over the size limit without reading all of it."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large()
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise too_large()
    return data


def check_upload(upload, kinds=ALL_KINDS) -> str:
    """Check an upload without storing it (forms call this so errors show before saving)."""
    return identify(read_upload(upload), kinds)


@dataclass(frozen=True)
class Picture:
    data: bytes  # the re-encoded original, without metadata
    display: bytes | None  # the downscaled copy, None when the original is small enough
    width: int
    height: int


def _encode(image: Image.Image, kind: str, icc: bytes | None, quality: int) -> bytes:
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if kind == FileKind.JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=quality, optimize=True, **extra)
    else:
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "I", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True, **extra)
    return out.getvalue()


def picture(data: bytes, kind: str) -> Picture:
    """Re-encode an image (turned upright by its EXIF orientation first, since the orientation
    goes with the rest of the metadata) and make its display copy."""
    _image_size(data, kind)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            icc = opened.info.get("icc_profile")
            image = ImageOps.exif_transpose(opened) or opened
            if image.mode == "P":
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            elif image.mode == "CMYK":
                image, icc = image.convert("RGB"), None
            width, height = image.size
            original = _encode(image, kind, icc, quality=90)
            display = None
            side = display_pixels()
            if max(width, height) > side:
                small = image.copy()
                small.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
                display = _encode(small, kind, icc, quality=82)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise EvidenceError(_("The image cannot be read: it may be damaged.")) from exc
    return Picture(original, display, width, height)
