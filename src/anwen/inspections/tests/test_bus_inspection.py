"""Each centre's monthly school-bus inspection (SM8.4) through the pages: the centre officer
runs a joint inspection of a school that runs buses, invites the police and the transport
authority, goes through the standard 校车安全检查表, and a failed item becomes a hazard of the
"school buses" campaign; the inspection fulfils the centre's monthly obligation."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from anwen.hazards.models import Hazard
from anwen.inspections.models import ChecklistTemplate, Finding, Inspection
from anwen.inspections.tests.conftest import photo_upload
from anwen.obligations.models import Period
from anwen.obligations.services import ensure_periods, plan_load
from anwen.orgs import services as org_services
from anwen.orgs.models import OrgKind, Position

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 11, 18))]


@pytest.fixture
def transport(world):
    return org_services.org_create(
        kind=OrgKind.AGENCY, name="永川区交通运输委员会", code="A2", parent=world.B1
    )


@pytest.fixture
def bus_school(world, lists):
    """S1 runs buses (a driver on its staff); the 2021 plan is loaded."""
    org_services.person_create(
        org=world.S1, name="刘师傅", positions=[Position.objects.get(code="bus_driver")]
    )
    today = timezone.localdate()
    plan_load(owner=world.B1, starts_on=today - timedelta(days=40))
    ensure_periods(through=today)
    return world.S1


def _start(client, world, **extra):
    return client.post(
        "/inspections/new/",
        {
            "purpose": "bus_monthly",
            "school": world.S1.pk,
            "inspected_on": timezone.localdate().isoformat(),
            "participants": [world.people["centre"].pk],
            **extra,
        },
    )


def test_the_standard_bus_checklist_is_served_with_the_statutes_items(world, lists):
    template = lists["bus-monthly"]
    assert template.name == "校车安全检查表" and template.purpose == "bus_monthly"
    texts = " ".join(template.versions.get().items.values_list("text", flat=True))
    for word in (
        "安全锤",
        "灭火器",
        "急救箱",
        "卫星定位",
        "校车标牌",
        "检验",
        "保险",
        "驾驶资格",
        "照管",
    ):
        assert word in texts, word


@pytest.mark.req("SM8.4")
def test_a_centre_runs_the_monthly_bus_inspection_and_a_failed_item_is_a_bus_hazard(
    world, login, bus_school, transport
):
    client = login(world.users["centre"])
    form = client.get("/inspections/new/?purpose=bus_monthly").content.decode()
    assert (
        'value="bus_monthly"' in form and "永川区公安局" in form and "永川区交通运输委员会" in form
    )
    response = _start(client, world, invited=[world.A1.pk, transport.pk])
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get()
    assert inspection.level == "joint" and inspection.lead_org == world.C1
    assert set(inspection.invited.all()) == {world.A1, transport}
    assert inspection.version.template.code == "bus-monthly"

    items = list(inspection.version.items.order_by("sort_order"))
    hammer = next(i for i in items if "安全锤" in i.text)
    data = {"action": "submit", **{f"r{i.pk}": "pass" for i in items}}
    data[f"r{hammer.pk}"] = "fail"
    data[f"n{hammer.pk}"] = "渝B·S1234 车上安全锤缺失"
    data[f"p{hammer.pk}"] = photo_upload()
    response = client.post(f"/inspections/{inspection.pk}/", data)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "submitted"

    finding = Finding.objects.get()
    hazard = Hazard.objects.get(pk=finding.hazard_id)
    assert hazard.theme == "school_bus" and hazard.org == world.S1
    assert "安全锤" in hazard.title
    # The centre's month is done by this inspection.
    today = timezone.localdate()
    month = Period.objects.get(
        obligation__code="centre-bus-inspection", org=world.C1, start__lte=today, end__gte=today
    )
    assert month.done_at is not None
    # The campaign's list of school-bus hazards shows it.
    board = client.get("/hazards/", {"theme": "school_bus"}).content.decode()
    assert "安全锤" in board
    # The police inspector invited sees the inspection.
    client = login(world.users["agency"])
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200


def test_a_joint_bus_inspection_needs_an_agency_and_a_school_of_the_centre(
    world, login, bus_school, transport
):
    client = login(world.users["centre"])
    response = _start(client, world)  # nobody invited
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    response = _start(client, world, school=world.S3.pk, invited=[world.A1.pk])  # centre C2's
    assert response.status_code == 200
    assert not Inspection.objects.exists()


def test_another_centre_gets_404_for_the_inspection(world, login, bus_school, transport):
    client = login(world.users["centre"])
    _start(client, world, invited=[world.A1.pk])
    inspection = Inspection.objects.get()
    client = login(world.users["centre2"])
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    items = inspection.version.items.all()
    response = client.post(
        f"/inspections/{inspection.pk}/",
        {"action": "submit", **{f"r{i.pk}": "pass" for i in items}},
    )
    assert response.status_code == 404
    inspection.refresh_from_db()
    assert inspection.status == "draft" and not inspection.answers.exists()


def test_the_migration_serves_the_bus_list_to_a_bureau_that_loaded_the_standards(world, lists):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("anwen.inspections.migrations.0005_school_bus_inspection_checklist")
    ChecklistTemplate.objects.filter(code="bus-monthly").delete()
    migration.serve_bus_checklist(apps, None)
    migration.serve_bus_checklist(apps, None)  # twice: served once
    served = ChecklistTemplate.objects.get(owner=world.B1, code="bus-monthly")
    assert served.versions.get().items.count() == 16
    assert not ChecklistTemplate.objects.filter(owner=world.B2, code="bus-monthly").exists()
