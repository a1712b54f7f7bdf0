"""PL7, PL2: a file opens by the permission of the record it belongs to, as the owning app
answers through the registry, never merely because its org lies in the user's scope."""

import pytest
from django.apps import apps
from django.db import models

from anwen.evidence import registry
from anwen.evidence.models import EvidenceFile
from anwen.evidence.services import evidence_store
from anwen.evidence.tests.files import pdf_bytes, png_bytes, upload
from anwen.evidence.tests.holders import HOLDERS, letter
from anwen.orgs.roles import RoleName
from anwen.testing.world import add_persona

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL7", "PL2")]


def _file(world, org=None, name="扫描件.pdf", data=None):
    return evidence_store(
        upload=upload(name, data or pdf_bytes()), org=org or world.S1, by=world.users["school"]
    )


def _status(client, login, user, file) -> int:
    client.logout()
    return login(user).get(f"/files/{file.pk}/").status_code


def test_a_teacher_cannot_open_a_colleagues_paper_letter(world, login, client):
    colleague = add_persona(world, "teacher_b", RoleName.TEACHER, "S1")
    scan = _file(world, name="责任书扫描件.pdf")
    letter(world, scan, world.S1, person=world.people["teacher_b"])
    expected = {
        "teacher": 404,  # a colleague: the letter answers 404, so does its scan
        "guard": 404,
        "school3": 404,
        "other_school": 404,
        "agency": 404,
        "school": 200,
        "principal": 200,  # the school's safety office and principal
        "centre": 200,
        "bureau": 200,  # who watch the school's duties
    }
    for username, status in expected.items():
        assert _status(client, login, world.users[username], scan) == status, username
        if status == 404:
            assert client.get(f"/files/{scan.pk}/display/").status_code == 404
    assert _status(client, login, colleague, scan) == 200  # the signer himself


def test_the_letter_page_and_its_scan_agree(world, login, client):
    scan = _file(world)
    held = letter(world, scan, world.S1, person=world.people["guard"])
    for username in ("teacher", "guard", "principal", "school3"):
        client.logout()
        c = login(world.users[username])
        page = c.get(f"/duties/letters/{held.pk}/").status_code
        file = c.get(f"/files/{scan.pk}/").status_code
        assert page == file, (username, page, file)


@pytest.mark.parametrize("code", sorted(HOLDERS))
def test_every_registered_owner_opens_by_its_records_rule(world, login, client, code):
    photo = _file(world, name="证据.png", data=png_bytes())
    HOLDERS[code](world, photo, world.S1)
    # The school's principal and the bureau watch all the school's records; a teacher who has
    # no part in this one, another school and another district do not.
    for username, status in {
        "principal": 200,
        "bureau": 200,
        "teacher": 404,
        "school3": 404,
        "other_school": 404,
        "other_bureau": 404,
        "agency": 404,
    }.items():
        assert _status(client, login, world.users[username], photo) == status, (code, username)


def test_a_file_no_registered_record_holds_opens_to_nobody(world, login, client):
    orphan = _file(world)
    for username in ("school", "principal", "bureau", "admin"):
        assert _status(client, login, world.users[username], orphan) == 404, username


def test_an_invited_agency_opens_the_photos_of_its_joint_inspection(world, login, client):
    from anwen.inspections.models import Inspection

    photo = _file(world, name="联合检查.png", data=png_bytes())
    answer = HOLDERS["inspections.answer"](world, photo, world.S1)
    assert _status(client, login, world.users["agency"], photo) == 404
    Inspection.objects.filter(pk=answer.inspection_id).update(level="joint", purpose="joint")
    answer.inspection.invited.add(world.A1)
    assert _status(client, login, world.users["agency"], photo) == 200


def test_every_relation_to_an_evidence_file_is_a_registered_owner():
    """A new model holding files must say who opens them: else its files open to nobody."""
    registered = {(o.model_class, o.field) for o in registry.owners()}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, (models.ForeignKey, models.ManyToManyField))
                and field.related_model is EvidenceFile
                and not field.auto_created
            ):
                assert (model, field.name) in registered, (
                    f"{model._meta.label}.{field.name} holds evidence files: register an "
                    "evidence Owner for it in its app's ready()"
                )


def test_every_registered_owner_has_a_holder_here():
    assert {o.code for o in registry.owners()} == set(HOLDERS)


def test_the_file_list_shows_only_the_files_the_user_may_open(world, login):
    colleague_scan = _file(world, name="同事责任书.pdf")
    letter(world, colleague_scan, world.S1, person=world.people["guard"])
    own = _file(world, name="我的责任书.pdf")
    letter(world, own, world.S1, person=world.people["teacher"])
    page = login(world.users["teacher"]).get("/files/").content.decode()
    assert "我的责任书.pdf" in page and "同事责任书.pdf" not in page
