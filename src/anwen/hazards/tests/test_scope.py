"""A school user sees no other school's hazard through any route; grants open one hazard to
the agency and the inspector who found it."""

import pytest

from anwen.hazards.models import Hazard, HazardState
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import api_key
from anwen.workflow.models import Event


@pytest.mark.req("OG2")
def test_another_schools_hazard_is_404_on_every_route_and_writes_nothing(
    world, login, raise_hazard, photo
):
    picture = photo()
    hazard = raise_hazard(photos=[picture])
    client = login(world.users["school3"])
    assert client.get(f"/hazards/{hazard.pk}/").status_code == 404
    before = Event.objects.count()
    for step in ("assign", "start", "verify", "send_back", "reopen", "plan", "submit"):
        assert client.post(f"/hazards/{hazard.pk}/{step}/", {"note": "x"}).status_code == 404
    assert Event.objects.count() == before
    assert Hazard.objects.get().state == HazardState.REPORTED
    assert client.get(f"/files/{picture.pk}/").status_code == 404
    assert "灭火器压力不足" not in client.get("/hazards/").content.decode()
    export = client.get("/hazards/?format=xlsx")
    assert export.status_code == 200 and "灭火器压力不足" not in str(sheet_rows(export))
    key = api_key(world.users["school3"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/hazards/{hazard.pk}", **auth).status_code == 404
    assert client.get("/api/v1/hazards", **auth).json()["count"] == 0
    # The school's own people see it everywhere.
    own = login(world.users["principal"])
    assert own.get(f"/hazards/{hazard.pk}/").status_code == 200
    assert own.get(f"/files/{picture.pk}/").status_code == 200
    key = api_key(world.users["principal"])
    detail = own.get(f"/api/v1/hazards/{hazard.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert detail["title"] == "灭火器压力不足" and detail["events"][0]["name"] == "created"


@pytest.mark.req("OG2")
def test_the_joint_inspections_agency_and_its_inspector_keep_seeing_the_hazard(world, login):
    from anwen.inspections import services as inspections

    inspections.standard_templates_load(owner=world.B1)
    joint = inspections.inspection_start(
        org=world.S1, purpose="joint", level="joint", by=world.users["bureau"], invited=[world.A1]
    )
    finding = inspections.finding_add(
        inspection=joint, by=world.users["bureau"], description="校门口无减速带"
    )
    hazard = Hazard.objects.get(origin_id=finding.pk)
    assert hazard.source == "joint"
    agency = login(world.users["agency"])
    assert agency.get(f"/hazards/{hazard.pk}/").status_code == 200
    assert "校门口无减速带" in agency.get("/hazards/").content.decode()
    other = inspections.finding_add(
        inspection=inspections.inspection_start(
            org=world.S3, purpose="spot", level="bureau", by=world.users["bureau"]
        ),
        by=world.users["bureau"],
        description="食堂无留样",
    )
    assert agency.get(f"/hazards/{other.hazard_id}/").status_code == 404
    # The agency sees; it does not run the school's rectification.
    assert agency.post(f"/hazards/{hazard.pk}/assign/", {}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.REPORTED
