import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def png_bytes(color=(30, 120, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


def photo_upload(name="after.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def raise_hazard(world):
    """Open a hazard at S1 (or `org`) as the safety officer."""
    from anwen.hazards.services import hazard_raise

    def make(**kwargs):
        kwargs.setdefault("org", world.S1)
        kwargs.setdefault("source", "self")
        kwargs.setdefault("title", "灭火器压力不足")
        kwargs.setdefault("category", "fire")
        kwargs.setdefault("by", world.users["school"])
        return hazard_raise(**kwargs)

    return make


@pytest.fixture
def announced(monkeypatch):
    """The notices the hazards engine sends, as (key, username) pairs, kept once each the way
    the outbox keeps them."""
    from anwen.hazards import services

    sent: list[tuple[str, str]] = []

    def record(*, key, recipients, title, body="", link=""):
        for user in recipients:
            if user is not None and (key, user.username) not in sent:
                sent.append((key, user.username))

    monkeypatch.setattr(services, "_announce", record)
    return sent


@pytest.fixture
def photo(world):
    """A stored photo of S1 (an after-photo for services called directly)."""
    from anwen.evidence.services import evidence_store

    def make():
        return evidence_store(upload=photo_upload(), org=world.S1, by=world.users["school"])

    return make
