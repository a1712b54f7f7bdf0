import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture
def lists(world):
    """The bureau's standard checklists."""
    from anwen.inspections.services import standard_templates_load

    return {t.code: t for t in standard_templates_load(owner=world.B1)}


def png_bytes(color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


def photo_upload(name="problem.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def area(world, lists):
    """A grid area of S1 owned by the teacher, on the standard building list."""
    from anwen.inspections.services import area_create

    return area_create(
        org=world.S1,
        by=world.users["school"],
        name="教学楼一楼",
        kind="floor",
        owner=world.people["teacher"],
    )
