"""PL7: nothing outside the authorised scope can fetch a file; files are sent with the type
their content was checked as, documents as downloads; a file opens through the record that
holds it (test_owners.py); confidential files are never listed, each opening audited."""

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from anwen.audit.models import AuditEvent
from anwen.evidence import registry
from anwen.evidence.registry import Owner
from anwen.evidence.services import evidence_store
from anwen.evidence.tests.files import (
    docx_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)
from anwen.evidence.tests.holders import record

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL7")]


@pytest.fixture
def owners(monkeypatch):
    """A clean owner registry for the test (the real apps' owners are put back after)."""
    monkeypatch.setattr(registry, "_OWNERS", {})
    return registry


def store(world, name, data, org=None, *, held=True, **kwargs):
    """A stored file, held by a logged activity of its org (a record whose files open to the
    school's safety office and to those who watch the school) unless `held=False`."""
    file = evidence_store(
        upload=upload(name, data), org=org or world.S1, by=world.users["school"], **kwargs
    )
    if held:
        record(world, file, file.org)
    return file


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "data", "content_type", "disposition"),
    [
        ("现场.jpg", jpeg_bytes(), "image/jpeg", "inline"),
        ("公示栏.png", png_bytes(), "image/png", "inline"),
        ("记录表.pdf", pdf_bytes(), "application/pdf", "attachment"),
        (
            "台账.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
        ),
        (
            "责任书.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment",
        ),
    ],
)
def test_a_file_is_sent_with_its_checked_type_and_no_sniffing(
    world, login, name, data, content_type, disposition
):
    f = store(world, name, data)
    response = login(world.users["school"]).get(reverse("evidence:file", args=[f.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    assert len(body(response)) == f.size


def test_a_pdf_named_jpg_is_sent_as_a_pdf_download(world, login):
    f = store(world, "照片.jpg", pdf_bytes())
    response = login(world.users["school"]).get(reverse("evidence:file", args=[f.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_url_holds_the_uuid_only(world):
    f = store(world, "张三的检查照片.png", png_bytes())
    url = reverse("evidence:file", args=[f.pk])
    assert url == f"/files/{f.pk}/" and "张三" not in url
    assert reverse("evidence:display", args=[f.pk]) == f"/files/{f.pk}/display/"


def test_the_display_route_sends_the_downscaled_image(world, login, settings):
    settings.ANWEN_EVIDENCE_DISPLAY_PX = 120
    f = store(world, "操场.jpg", jpeg_bytes(600, 400))
    client = login(world.users["school"])
    shown = client.get(reverse("evidence:display", args=[f.pk]))
    assert shown["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(body(shown))).size == (120, 80)
    full = client.get(reverse("evidence:file", args=[f.pk]))
    assert Image.open(io.BytesIO(body(full))).size == (600, 400)


def test_the_display_route_falls_back_to_the_original(world, login):
    client = login(world.users["school"])
    small = store(world, "小图.png", png_bytes(40, 30))
    shown = client.get(reverse("evidence:display", args=[small.pk]))
    assert Image.open(io.BytesIO(body(shown))).size == (40, 30)
    document = store(world, "记录表.pdf", pdf_bytes())
    sent = client.get(reverse("evidence:display", args=[document.pk]))
    assert sent["Content-Type"] == "application/pdf"
    assert sent["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("route", ["evidence:file", "evidence:display"])
def test_who_may_fetch_a_schools_file(world, login, client, route):
    f = store(world, "现场.jpg", jpeg_bytes())
    url = reverse(route, args=[f.pk])
    expected = {
        "school": 200,
        "principal": 200,  # the school's safety office, which logs activities
        "teacher": 404,
        "guard": 404,  # the school's staff do not see its activity log
        "centre": 200,
        "bureau": 200,
        "leader": 200,  # those who watch the school
        "school3": 404,
        "centre2": 404,  # another school, another centre
        "agency": 404,  # an agency sees no school's file unless its record opens to it
        "other_bureau": 404,
        "other_school": 404,  # another district
    }
    for username, status in expected.items():
        client.logout()
        assert login(world.users[username]).get(url).status_code == status, username
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_a_missing_file_and_a_forbidden_one_answer_alike(world, login):
    f = store(world, "现场.jpg", jpeg_bytes(), org=world.S3)
    client = login(world.users["school"])
    forbidden = client.get(reverse("evidence:file", args=[f.pk]))
    missing = client.get(reverse("evidence:file", args=[uuid.uuid4()]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_a_file_answers_only_get(world, login):
    f = store(world, "现场.jpg", jpeg_bytes())
    assert (
        login(world.users["school"]).post(reverse("evidence:file", args=[f.pk])).status_code == 405
    )


def _cases(user):
    """A confidential record kind of a test: the records its handler logged."""
    from anwen.obligations.models import Record

    return Record.objects.filter(by=user)


def _held_by(world, file, user) -> None:
    from anwen.obligations.models import Record

    Record.objects.filter(pk=record(world, file, world.S1).pk).update(by=user)


def test_an_owner_opens_a_file_outside_the_scope_and_only_its_own(world, login, owners):
    f = store(world, "联合检查.jpg", jpeg_bytes(), held=False)
    agency = world.users["agency"]
    url = reverse("evidence:file", args=[f.pk])
    assert login(agency).get(url).status_code == 404
    owners.register_owner(
        Owner(code="tests.case", model="obligations.Record", field="evidence", records=_cases)
    )
    _held_by(world, f, agency)
    assert login(agency).get(url).status_code == 200
    # Only what the owner says: another file stays closed.
    other = store(world, "其他.jpg", jpeg_bytes())
    assert login(agency).get(reverse("evidence:file", args=[other.pk])).status_code == 404


def test_registering_an_owner_twice_keeps_one(owners):
    owner = Owner(code="tests.case", model="obligations.Record", field="evidence", records=_cases)
    owners.register_owner(owner)
    owners.register_owner(owner)
    assert owners.owners() == (owner,)


def test_a_confidential_file_opens_only_through_its_record_and_each_view_is_logged(
    world, login, client, owners
):
    f = store(world, "个案记录.pdf", pdf_bytes(), confidential=True, held=False)
    url = reverse("evidence:file", args=[f.pk])
    handler = world.users["school"]
    owners.register_owner(
        Owner(code="tests.case", model="obligations.Record", field="evidence", records=_cases)
    )
    _held_by(world, f, handler)
    # In scope is not enough: the principal and the bureau do not handle the case.
    for username in ("principal", "bureau"):
        client.logout()
        assert login(world.users[username]).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="audit.confidential.viewed").exists()

    client.logout()
    viewer = login(handler)
    first = viewer.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    viewer.get(reverse("evidence:display", args=[f.pk]))
    views = AuditEvent.objects.filter(action="audit.confidential.viewed", object_id=str(f.pk))
    assert views.count() == 2
    assert {e.actor_id for e in views} == {handler.pk}
    client.logout()
    assert login(world.users["principal"]).get(url).status_code == 404
    assert views.count() == 2


def test_the_file_list_shows_the_scope_without_confidential_files(world, login):
    store(world, "青峰现场.jpg", jpeg_bytes())
    store(world, "个案记录.pdf", pdf_bytes(), confidential=True)
    store(world, "金龙现场.jpg", jpeg_bytes(), org=world.S3)
    page = login(world.users["centre"]).get(reverse("evidence:index")).content.decode()
    assert "青峰现场.jpg" in page
    assert "个案记录.pdf" not in page and "金龙现场.jpg" not in page


def test_the_file_list_exports_to_excel(world, login):
    from anwen.testing.sheets import sheet_rows

    store(world, "青峰现场.jpg", jpeg_bytes())
    response = login(world.users["bureau"]).get(reverse("evidence:index") + "?format=xlsx")
    rows = sheet_rows(response)
    assert rows[1][0] == "青峰现场.jpg" and rows[1][3] == world.S1.name


def test_the_thumbnail_snippet_links_images_and_documents(world):
    from django.template.loader import render_to_string

    photo = store(world, "现场.jpg", jpeg_bytes())
    scan = store(world, "记录表.pdf", pdf_bytes())
    html = render_to_string("evidence/_thumbs.html", {"files": [photo, scan]})
    assert f'href="/files/{photo.pk}/"' in html and f'src="/files/{photo.pk}/display/"' in html
    assert 'alt="现场.jpg"' in html
    assert f'href="/files/{scan.pk}/"' in html and "PDF" in html and "记录表.pdf" in html
    assert f"/files/{scan.pk}/display/" not in html
    assert render_to_string("evidence/_thumbs.html", {"files": []}).strip() == ""


def test_the_guard_answers_404_for_an_id_that_is_no_uuid(world):
    from django.http import Http404

    from anwen.evidence.selectors import access_file

    with pytest.raises(Http404):
        access_file(world.users["school"], "not-a-uuid")
