"""Uploads and workbooks for the duties tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anwen.testing.sheets import sheet_rows as table


def pdf(name="scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n% a scanned page\n%%EOF\n", content_type="application/pdf"
    )


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [list(row) for row in table(response)]
