"""SM7.7, SM2.2: a create form sent twice, or twenty times at once, makes one record.
Inspection drafts by a constraint of the domain (one open draft per inspector, school, kind,
level and day); commitments, findings, accountability records, checklist items and routine
log entries by the form's one-time token (the same OnceField and claim). A plain second submit gets a message, not a 500."""

import re

import pytest
import time_machine
from django.test import Client

from anwen.duties.models import Commitment
from anwen.inspections.models import Finding, Inspection
from anwen.testing.concurrency import post_at_once
from anwen.testing.world import log_in

DAY = "2026-03-10 09:00+08:00"
SENDERS = 20

# Real commits from real threads: a transactional database, the migrations' rows restored.
concurrent = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _token(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, "the form carries no one-time token"
    return match.group(1)


def _client(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


@pytest.fixture
def frozen():
    with time_machine.travel(DAY, tick=True):
        yield


def _commitment_form(page: str, world) -> dict:
    return {
        "once": _token(page),
        "school": world.S1.pk,
        "kind": "public",
        "date": "2026-03-10",
        "title": "校园安全公示承诺",
        "content": "我校承诺……",
        "location": "校门公示栏",
        "signer": "张校长",
        "risks_found": 0,
        "risks_fixed": 0,
    }


@pytest.mark.req("SM7.7")
@concurrent
def test_twenty_commitments_sent_at_once_make_one(world, frozen):
    officer = world.users["school"]
    page = _client(officer).get("/duties/commitments/new/").content.decode()
    statuses = post_at_once(officer, "/duties/commitments/new/", _commitment_form(page, world))
    assert set(statuses) <= {200, 302} and 500 not in statuses
    assert Commitment.objects.count() == 1


@pytest.mark.req("SM2.2")
@concurrent
def test_twenty_inspection_starts_at_once_make_one_draft(world, frozen):
    from anwen.inspections.services import standard_templates_load

    standard_templates_load(owner=world.B1)
    statuses = post_at_once(
        world.users["school"],
        "/inspections/new/",
        {"purpose": "office_weekly", "school": world.S1.pk, "inspected_on": "2026-03-10"},
    )
    assert statuses == [302] * SENDERS
    assert Inspection.objects.count() == 1


@pytest.mark.req("SM7.7")
@pytest.mark.django_db
def test_a_commitment_sent_again_says_so_and_keeps_one(world, login, frozen):
    client = login(world.users["school"])
    data = _commitment_form(client.get("/duties/commitments/new/").content.decode(), world)
    assert client.post("/duties/commitments/new/", data).status_code == 302
    again = client.post("/duties/commitments/new/", data, follow=True)
    assert again.status_code == 200
    assert "此表单已提交过" in again.content.decode()
    assert Commitment.objects.count() == 1
    # A new form (a new token) records a second one: only the same form is refused.
    data["once"] = _token(client.get("/duties/commitments/new/").content.decode())
    assert client.post("/duties/commitments/new/", data).status_code == 302
    assert Commitment.objects.count() == 2


@pytest.mark.req("SM7.7")
@pytest.mark.django_db
def test_a_refused_form_keeps_its_token_for_the_corrected_one(world, login, frozen):
    client = login(world.users["school"])
    data = _commitment_form(client.get("/duties/commitments/new/").content.decode(), world)
    refused = client.post("/duties/commitments/new/", {**data, "title": ""})
    assert refused.status_code == 200 and _token(refused.content.decode()) == data["once"]
    assert client.post("/duties/commitments/new/", data).status_code == 302
    assert Commitment.objects.count() == 1


@pytest.mark.req("SM2.2")
@pytest.mark.django_db
def test_an_inspection_started_again_resumes_the_draft(world, login, frozen):
    from anwen.inspections.services import standard_templates_load

    standard_templates_load(owner=world.B1)
    client = login(world.users["school"])
    form = {"purpose": "office_weekly", "school": world.S1.pk, "inspected_on": "2026-03-10"}
    first = client.post("/inspections/new/", form)
    again = client.post("/inspections/new/", form, follow=True)
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "已开始过这项检查" in again.content.decode()
    assert Inspection.objects.count() == 1
    # Another kind, or another inspector, starts its own.
    client.post("/inspections/new/", {**form, "purpose": "leadership_monthly"})
    login(world.users["principal"]).post("/inspections/new/", form)
    assert Inspection.objects.count() == 3


@pytest.mark.req("SM2.2")
@pytest.mark.django_db
def test_a_finding_sent_twice_is_recorded_once(world, login, frozen):
    from anwen.inspections.services import inspection_start, standard_templates_load

    standard_templates_load(owner=world.B1)
    spot = inspection_start(org=world.S1, purpose="spot", level="bureau", by=world.users["bureau"])
    client = login(world.users["bureau"])
    page = client.get(f"/inspections/{spot.pk}/").content.decode()
    data = {"once": _token(page), "description": "消防通道堆放杂物"}
    assert client.post(f"/inspections/{spot.pk}/finding/", data).status_code == 302
    again = client.post(f"/inspections/{spot.pk}/finding/", data, follow=True)
    assert "此表单已提交过" in again.content.decode()
    assert Finding.objects.count() == 1
