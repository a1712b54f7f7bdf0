"""PL7: evidence files are checked by content, not name; size-limited; images re-encoded
without their camera metadata and downscaled for display; stored through Django's storage."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import ExifTags, Image

from anwen.audit.models import AuditEvent
from anwen.evidence.models import EvidenceFile, FileKind
from anwen.evidence.services import EvidenceError, evidence_store, sniff
from anwen.evidence.tests.files import (
    DOCM_MAIN,
    EXE,
    HTML,
    SVG,
    docx_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bomb_docx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL7")]


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English text, whatever the catalogue says."""
    with translation.override("en"):
        yield


def store(world, name, data, **kwargs):
    return evidence_store(
        upload=upload(name, data), org=world.S1, by=world.users["school"], **kwargs
    )


def stored_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("现场.jpg", jpeg_bytes(), FileKind.JPEG),
        ("公示栏.png", png_bytes(), FileKind.PNG),
        ("透明.png", png_bytes(mode="RGBA"), FileKind.PNG),
        ("调色板.png", png_bytes(mode="P"), FileKind.PNG),
        ("记录表.pdf", pdf_bytes(), FileKind.PDF),
        ("台账.xlsx", xlsx_bytes(), FileKind.XLSX),
        ("责任书.docx", docx_bytes(), FileKind.DOCX),
    ],
)
def test_each_accepted_type_is_stored_with_its_kind(world, name, data, kind):
    f = store(world, name, data)
    f.refresh_from_db()
    assert f.kind == kind and f.name == name and f.org == world.S1
    assert default_storage.exists(f.file.name)
    assert f.size == len(stored_bytes(f.file))
    if kind in (FileKind.PDF, FileKind.XLSX, FileKind.DOCX):
        assert stored_bytes(f.file) == data  # documents are kept byte for byte


def test_the_kind_comes_from_the_content_and_the_name_is_corrected(world):
    f = store(world, "扫描件.jpg", pdf_bytes())  # a PDF called .jpg
    assert f.kind == FileKind.PDF and f.name == "扫描件.pdf"
    photo = store(world, "photo", png_bytes())  # no extension at all
    assert photo.kind == FileKind.PNG and photo.name == "photo.png"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", EXE),
        ("photo.jpg", HTML),
        ("photo.jpg", SVG),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + HTML),  # a PNG signature and nothing of a PNG
        ("photo.jpg", b"\xff\xd8\xff\xe0" + HTML),  # a JPEG start and a web page
        ("scan.pdf", b"%PDF-1.4\n<script>alert(1)</script>"),  # no end of a PDF
        ("table.xlsx", b"PK\x03\x04" + b"\0" * 100),  # a broken zip
        ("letter.docx", docx_bytes(main=DOCM_MAIN)),  # a macro-enabled document renamed
        ("letter.docx", docx_bytes(extra={"word/vbaProject.bin": b"\0" * 10})),
        ("archive.docx", b"PK" + zipfile.ZipFile.__name__.encode()),
    ],
)
def test_wrong_content_with_the_right_extension_is_refused(world, name, data):
    with pytest.raises(EvidenceError):
        store(world, name, data)
    assert not EvidenceFile.objects.exists()


def test_a_plain_zip_is_not_an_office_document(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")  # but no [Content_Types].xml
    with pytest.raises(EvidenceError):
        store(world, "报表.xlsx", out.getvalue())


def test_a_zip_bomb_is_refused_without_being_inflated(world, settings, monkeypatch):
    settings.ANWEN_EVIDENCE_MAX_UNZIPPED_BYTES = 4 * 1024 * 1024
    bomb = zip_bomb_docx(5 * 1024 * 1024)
    assert len(bomb) < 64 * 1024  # small packed, large unpacked
    opened = []
    original_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(EvidenceError, match="unpacked"):
        store(world, "责任书.docx", bomb)
    assert "word/media/padding.bin" not in opened
    assert not EvidenceFile.objects.exists()


def test_a_document_of_too_many_parts_is_refused(world, settings):
    settings.ANWEN_EVIDENCE_MAX_ZIP_ENTRIES = 50
    parts = {f"word/media/{i}.xml": "<x/>" for i in range(60)}
    with pytest.raises(EvidenceError, match="too many parts"):
        store(world, "责任书.docx", docx_bytes(extra=parts))


def test_the_size_limit_is_a_setting_and_the_message_names_the_limit(world, settings):
    settings.ANWEN_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    big = pdf_bytes() + b"%" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(EvidenceError) as refused:
        store(world, "大文件.pdf", big)
    assert "2 MB" in str(refused.value)
    assert not EvidenceFile.objects.exists()
    ok = store(world, "小文件.pdf", pdf_bytes())
    assert ok.size < 2 * 1024 * 1024


def test_the_default_size_limit_is_20_mb():
    from anwen.evidence.content import max_bytes

    assert max_bytes() == 20 * 1024 * 1024


def test_gps_and_camera_metadata_are_stripped_from_a_photo(world):
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    f = store(world, "现场.jpg", original)
    kept = stored_bytes(f.file)
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG"
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"Exif\x00\x00" not in kept and b"PhoneMaker" not in kept
    assert f.sha256 != __import__("hashlib").sha256(original).hexdigest()


def test_a_png_loses_its_exif_and_text_chunks(world):
    from PIL import PngImagePlugin

    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (29.0, 21.0, 25.0)
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "张三")
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(out, "PNG", exif=exif.tobytes(), pnginfo=text)
    assert b"eXIf" in out.getvalue() and b"Author" in out.getvalue()
    kept = stored_bytes(store(world, "截图.png", out.getvalue()).file)
    assert b"eXIf" not in kept and b"Author" not in kept and b"tEXt" not in kept
    assert not Image.open(io.BytesIO(kept)).getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_photo_taken_sideways_is_turned_upright_before_its_orientation_is_dropped(world):
    # EXIF orientation 6: the camera held sideways; viewers rotate it 90° clockwise.
    f = store(world, "侧拍.jpg", jpeg_bytes(80, 40, orientation=6))
    image = Image.open(io.BytesIO(stored_bytes(f.file)))
    assert image.size == (40, 80) == (f.width, f.height)
    # The red marker of the top-left corner is now at the top right.
    assert image.getpixel((35, 3))[0] > 200 and image.getpixel((3, 3))[0] < 100


def test_the_display_copy_is_downscaled_and_the_original_keeps_its_size(world, settings):
    settings.ANWEN_EVIDENCE_DISPLAY_PX = 100
    f = store(world, "教学楼.jpg", jpeg_bytes(400, 300))
    assert (f.width, f.height) == (400, 300)
    assert Image.open(io.BytesIO(stored_bytes(f.file))).size == (400, 300)
    display = Image.open(io.BytesIO(stored_bytes(f.display)))
    assert display.size == (100, 75) and display.format == "JPEG"
    png = store(world, "平面图.png", png_bytes(120, 360))
    assert Image.open(io.BytesIO(stored_bytes(png.display))).size == (33, 100)


def test_a_small_image_is_its_own_display_copy_and_documents_have_none(world, settings):
    settings.ANWEN_EVIDENCE_DISPLAY_PX = 100
    assert not store(world, "小图.png", png_bytes(80, 60)).display
    assert not store(world, "记录.pdf", pdf_bytes()).display


def test_an_image_of_too_many_pixels_is_refused_before_decoding(world, settings):
    settings.ANWEN_EVIDENCE_MAX_PIXELS = 10_000
    with pytest.raises(EvidenceError, match="too many pixels"):
        store(world, "大图.png", png_bytes(200, 200))
    assert store(world, "小图.png", png_bytes(90, 90)).kind == FileKind.PNG


def test_a_decompression_bomb_header_is_refused(world):
    # A PNG that claims 100,000 × 100,000 pixels in a file of a few bytes.
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(EvidenceError, match="too many pixels"):
        store(world, "bomb.png", bomb)


def test_storage_names_hold_the_uuid_only_and_storing_is_audited(world):
    f = store(world, "张三的心理辅导记录.pdf", pdf_bytes())
    assert f.file.name.endswith(f"{f.pk.hex}.pdf") and "张三" not in f.file.name
    event = AuditEvent.objects.get(action="evidence.file.stored")
    assert event.object_id == str(f.pk) and "张三" not in str(event.data)


def test_a_caller_may_narrow_the_accepted_kinds(world):
    from anwen.evidence.forms import PHOTO_KINDS

    with pytest.raises(EvidenceError, match="JPEG"):
        store(world, "记录.pdf", pdf_bytes(), kinds=PHOTO_KINDS)
    assert store(world, "现场.jpg", jpeg_bytes(), kinds=PHOTO_KINDS).kind == FileKind.JPEG


def test_sniff_tells_the_kind_of_bytes():
    assert sniff(b"", jpeg_bytes()) == FileKind.JPEG
    assert sniff(b"", xlsx_bytes()) == FileKind.XLSX
    assert sniff(b"", EXE) is None
