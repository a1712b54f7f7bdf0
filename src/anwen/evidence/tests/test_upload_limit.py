"""PL7: an upload over the limit is refused while it streams in, not after it was received
whole: a file is cut off once it passes the limit (no more of it is read or buffered), a
request declaring more than the whole-request limit is refused before its body is read, and
the user is back on the page with a message in Chinese, nothing stored."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from PIL import Image

from anwen.evidence.models import EvidenceFile
from anwen.evidence.uploads import LimitedUploadHandler
from anwen.inspections.models import Finding

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL7")]

LIMIT = 100 * 1024


def _big_png(size: int) -> bytes:
    """A real PNG of about `size` bytes (noise does not compress)."""
    import os

    side = int((size / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0)
    return out.getvalue()


@pytest.fixture
def spot(world):
    from anwen.inspections.services import inspection_start, standard_templates_load

    standard_templates_load(owner=world.B1)
    with time_machine.travel("2026-03-10 09:00+08:00", tick=False):
        return inspection_start(
            org=world.S1, purpose="spot", level="bureau", by=world.users["bureau"]
        )


@pytest.fixture
def received(monkeypatch):
    """How many bytes of file content reached the handler that keeps them."""
    seen = {"bytes": 0}
    original = MemoryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        seen["bytes"] += len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", counting)
    return seen


def _post(client, spot, data: bytes, **extra):
    return client.post(
        f"/inspections/{spot.pk}/finding/",
        {
            "description": "消防通道堆放杂物",
            "photos": SimpleUploadedFile("现场.png", data, content_type="image/png"),
        },
        HTTP_REFERER=f"http://testserver/inspections/{spot.pk}/",
        **extra,
    )


def test_a_file_over_the_limit_is_cut_off_while_it_streams(world, login, spot, settings, received):
    settings.ANWEN_EVIDENCE_MAX_BYTES = LIMIT
    data = _big_png(8 * LIMIT)
    assert len(data) > 8 * LIMIT
    client = login(world.users["bureau"])
    response = _post(client, spot, data)
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver/inspections/{spot.pk}/"
    # No more than the limit and one chunk of the file was read.
    assert received["bytes"] <= LIMIT + LimitedUploadHandler.chunk_size
    page = client.get(response["Location"]).content.decode()
    assert "文件超过 100 KB" in page
    assert not Finding.objects.exists() and not EvidenceFile.objects.exists()


def test_a_request_declared_too_large_is_refused_before_its_body_is_read(
    world, login, spot, settings, received, monkeypatch
):
    settings.ANWEN_UPLOAD_MAX_REQUEST_BYTES = LIMIT
    parsed = []
    monkeypatch.setattr(LimitedUploadHandler, "new_file", lambda self, *a, **k: parsed.append(a))
    client = login(world.users["bureau"])
    response = _post(client, spot, _big_png(2 * LIMIT))
    assert response.status_code == 302
    assert parsed == [] and received["bytes"] == 0
    page = client.get(response["Location"]).content.decode()
    assert "一次上传的文件合计超过 100 KB" in page
    assert not Finding.objects.exists() and not EvidenceFile.objects.exists()


def test_a_file_within_the_limit_goes_through(world, login, spot, settings):
    settings.ANWEN_EVIDENCE_MAX_BYTES = LIMIT
    client = login(world.users["bureau"])
    response = _post(client, spot, _big_png(LIMIT // 2))
    assert response.status_code == 302
    assert Finding.objects.get().photos.count() == 1


def test_the_api_answers_413(world, settings, client):
    settings.ANWEN_UPLOAD_MAX_REQUEST_BYTES = LIMIT
    response = client.post("/api/v1/orgs/", {"f": SimpleUploadedFile("a.png", b"x" * 2 * LIMIT)})
    assert response.status_code == 413
