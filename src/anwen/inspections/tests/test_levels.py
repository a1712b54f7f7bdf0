"""Weekly and monthly checks of the school (SM2.2) and the four levels of inspection (OG2):
school self-check, centre screening, bureau spot check, joint inspection with agencies. Each
finding keeps its level; commendations and accountability records follow."""

import pytest
from django.utils import timezone

from anwen.inspections import services
from anwen.inspections.models import Accountability, Finding, Inspection
from anwen.inspections.tests.conftest import photo_upload
from anwen.obligations.models import Record

pytestmark = pytest.mark.django_db


def _answer_all(client, inspection, *, fail=None, note="", action="submit"):
    data = {"action": action}
    for item in inspection.version.items.all():
        data[f"r{item.pk}"] = "fail" if item == fail else "pass"
    if fail is not None:
        data[f"n{fail.pk}"] = note
        data[f"p{fail.pk}"] = photo_upload()
    return client.post(f"/inspections/{inspection.pk}/", data)


@pytest.mark.req("SM2.2")
def test_the_safety_office_runs_the_weekly_check_with_participants(world, lists, login):
    client = login(world.users["school"])
    assert client.get("/inspections/new/").status_code == 200
    response = client.post(
        "/inspections/new/",
        {
            "purpose": "office_weekly",
            "school": world.S1.pk,
            "inspected_on": timezone.localdate().isoformat(),
            "participants": [world.people["school"].pk, world.people["guard"].pk],
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.purpose, inspection.level, inspection.lead_org) == (
        "office_weekly",
        "self",
        world.S1,
    )
    assert set(inspection.participants.all()) == {world.people["school"], world.people["guard"]}
    page = client.get(response["Location"]).content.decode()
    assert "测试guard" in page
    item = inspection.version.items.filter(evidence="photo_on_fail").first()
    response = _answer_all(client, inspection, fail=item, note="监控室录像只保存15天")
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "submitted"
    assert Finding.objects.get().level == "self"
    assert Record.objects.get().kind == "inspections.office_weekly"


@pytest.mark.req("SM2.2")
def test_the_principal_runs_the_monthly_check_and_a_teacher_cannot_start_one(world, lists, login):
    principal = login(world.users["principal"])
    principal.post(
        "/inspections/new/",
        {
            "purpose": "leadership_monthly",
            "school": world.S1.pk,
            "inspected_on": timezone.localdate().isoformat(),
        },
    )
    inspection = Inspection.objects.get(purpose="leadership_monthly")
    assert _answer_all(principal, inspection).status_code == 302
    assert Record.objects.get().kind == "inspections.leadership_monthly"
    teacher = login(world.users["teacher"])
    assert teacher.get("/inspections/new/").status_code == 404
    with pytest.raises(services.InspectionError):
        services.inspection_start(
            org=world.S1, purpose="office_weekly", level="self", by=world.users["teacher"]
        )


@pytest.mark.req("OG2")
def test_a_centre_screens_its_own_schools_only(world, lists, login):
    centre = world.users["centre"]
    inspection = services.inspection_start(
        org=world.S2,
        purpose="screening",
        level="centre",
        by=centre,
        participants=[world.people["centre"]],
    )
    assert inspection.lead_org == world.C1 and inspection.level == "centre"
    with pytest.raises(services.InspectionError):
        services.inspection_start(org=world.S3, purpose="screening", level="centre", by=centre)
    with pytest.raises(services.InspectionError):  # spot checks are the bureau's
        services.inspection_start(org=world.S1, purpose="spot", level="bureau", by=centre)
    client = login(centre)
    item = inspection.version.items.first()
    assert _answer_all(client, inspection, fail=item, note="消防通道堆放杂物").status_code == 302
    finding = Finding.objects.get()
    assert finding.level == "centre" and finding.org == world.S2
    assert Record.objects.get().kind == "inspections.screening"


@pytest.mark.req("OG2")
def test_the_bureau_spot_checks_any_school_and_adds_free_findings(world, lists, login):
    client = login(world.users["bureau"])
    response = client.post(
        "/inspections/new/",
        {
            "purpose": "spot",
            "school": world.S3.pk,
            "inspected_on": timezone.localdate().isoformat(),
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert (inspection.level, inspection.lead_org) == ("bureau", world.B1)
    response = client.post(
        f"/inspections/{inspection.pk}/finding/",
        {
            "description": "宿舍楼安全出口上锁",
            "category": "消防安全",
            "location": "男生宿舍",
            "photos": photo_upload(),
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.level, finding.org, finding.answer) == ("bureau", world.S3, None)
    assert finding.photos.count() == 1
    assert _answer_all(client, inspection).status_code == 302
    assert Record.objects.get().kind == "inspections.spot"


def _joint(world):
    return services.inspection_start(
        org=world.S1, purpose="joint", level="joint", by=world.users["bureau"], invited=[world.A1]
    )


@pytest.mark.req("OG2")
def test_a_joint_inspection_must_invite_an_agency_of_the_district(world, lists):
    bureau = world.users["bureau"]
    with pytest.raises(services.InspectionError):
        services.inspection_start(org=world.S1, purpose="joint", level="joint", by=bureau)
    with pytest.raises(services.InspectionError):
        services.inspection_start(
            org=world.S1, purpose="joint", level="joint", by=bureau, invited=[world.C1]
        )
    inspection = _joint(world)
    assert list(inspection.invited.all()) == [world.A1]


@pytest.mark.req("OG2", "PL2")
def test_an_agency_inspector_sees_only_the_joint_inspections_his_agency_joined(world, lists, login):
    joint = _joint(world)
    not_invited = services.inspection_start(
        org=world.S3, purpose="spot", level="bureau", by=world.users["bureau"]
    )
    own_check = services.inspection_start(
        org=world.S1, purpose="office_weekly", level="self", by=world.users["school"]
    )
    client = login(world.users["agency"])
    listing = client.get("/inspections/").content.decode()
    assert f"/inspections/{joint.pk}/" in listing
    assert f"/inspections/{not_invited.pk}/" not in listing
    assert f"/inspections/{own_check.pk}/" not in listing
    assert "永川区金龙中学" not in listing
    assert client.get(f"/inspections/{joint.pk}/").status_code == 200
    assert client.get(f"/inspections/{not_invited.pk}/").status_code == 404
    assert client.get(f"/inspections/{own_check.pk}/").status_code == 404
    for url in (
        "/inspections/areas/",
        "/inspections/today/",
        "/inspections/new/",
        "/inspections/accountability/",
        "/inspections/checklists/",
    ):
        assert client.get(url).status_code == 404, url

    response = client.post(
        f"/inspections/{joint.pk}/finding/",
        {"description": "校门口无交通警示标志", "category": "交通安全", "location": "校门口"},
    )
    assert response.status_code == 302
    assert Finding.objects.get().level == "joint"
    assert (
        client.post(f"/inspections/{not_invited.pk}/finding/", {"description": "x"}).status_code
        == 404
    )
    # He adds findings; he does not answer or submit the bureau's checklist.
    item = joint.version.items.first()
    assert (
        client.post(
            f"/inspections/{joint.pk}/", {"action": "submit", f"r{item.pk}": "pass"}
        ).status_code
        == 404
    )
    findings = client.get("/inspections/findings/").content.decode()
    assert "校门口无交通警示标志" in findings


@pytest.mark.req("OG2", "PL7")
def test_the_agency_inspector_opens_the_photos_of_his_joint_inspection(world, lists, login):
    from anwen.evidence.services import evidence_store

    joint = _joint(world)
    photo = evidence_store(upload=photo_upload(), org=world.S1, by=world.users["bureau"])
    services.finding_add(
        inspection=joint, by=world.users["bureau"], description="围墙破损", photos=[photo]
    )
    other = evidence_store(upload=photo_upload(), org=world.S1, by=world.users["school"])
    client = login(world.users["agency"])
    assert client.get(f"/files/{photo.pk}/").status_code == 200
    assert client.get(f"/files/{other.pk}/").status_code == 404


@pytest.mark.req("OG2")
def test_after_submission_the_agency_can_no_longer_add_findings(world, lists, login):
    joint = _joint(world)
    bureau = login(world.users["bureau"])
    assert _answer_all(bureau, joint).status_code == 302
    client = login(world.users["agency"])
    assert client.get(f"/inspections/{joint.pk}/").status_code == 200
    assert client.post(f"/inspections/{joint.pk}/finding/", {"description": "x"}).status_code == 404
    assert Record.objects.get().kind == "inspections.joint"


@pytest.mark.req("OG2")
def test_findings_are_listed_by_level_and_school_and_exported(world, lists, login):
    centre_check = services.inspection_start(
        org=world.S1, purpose="screening", level="centre", by=world.users["centre"]
    )
    services.finding_add(
        inspection=centre_check, by=world.users["centre"], description="中心排查：灭火器过期"
    )
    spot = services.inspection_start(
        org=world.S3, purpose="spot", level="bureau", by=world.users["bureau"]
    )
    services.finding_add(inspection=spot, by=world.users["bureau"], description="区抽查：监控损坏")
    client = login(world.users["bureau"])
    both = client.get("/inspections/findings/").content.decode()
    assert "中心排查：灭火器过期" in both and "区抽查：监控损坏" in both
    by_level = client.get("/inspections/findings/?level=centre").content.decode()
    assert "中心排查：灭火器过期" in by_level and "区抽查：监控损坏" not in by_level
    by_school = client.get(f"/inspections/findings/?school={world.S3.pk}").content.decode()
    assert "区抽查：监控损坏" in by_school and "中心排查：灭火器过期" not in by_school
    export = client.get("/inspections/findings/?format=xlsx&level=bureau")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.getvalue())).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "区抽查：监控损坏" in values and "中心排查：灭火器过期" not in values
    # The centre sees only its own schools' findings.
    centre = login(world.users["centre"]).get("/inspections/findings/").content.decode()
    assert "中心排查：灭火器过期" in centre and "区抽查：监控损坏" not in centre


@pytest.mark.req("OG2", "SM2.5")
def test_commendations_and_accountability_are_recorded_from_an_inspection(world, lists, login):
    spot = services.inspection_start(
        org=world.S1, purpose="spot", level="bureau", by=world.users["bureau"]
    )
    client = login(world.users["bureau"])
    response = client.post(
        f"/inspections/{spot.pk}/accountability/",
        {
            "kind": "interview",
            "issued_on": timezone.localdate().isoformat(),
            "text": "消防通道长期堵塞，约谈校长",
        },
    )
    assert response.status_code == 302
    record = Accountability.objects.get()
    assert (record.org, record.kind, record.issuer, record.inspection) == (
        world.S1,
        "interview",
        world.B1,
        spot,
    )
    listing = client.get(f"/inspections/accountability/?school={world.S1.pk}").content.decode()
    assert "消防通道长期堵塞，约谈校长" in listing
    # The school sees what concerns it, but cannot record it.
    school = login(world.users["school"])
    assert "消防通道长期堵塞" in school.get("/inspections/accountability/").content.decode()
    assert (
        school.post(
            f"/inspections/{spot.pk}/accountability/",
            {
                "kind": "commendation",
                "issued_on": timezone.localdate().isoformat(),
                "text": "自我表扬",
            },
        ).status_code
        == 404
    )
    other = login(world.users["school3"])
    assert "消防通道长期堵塞" not in other.get("/inspections/accountability/").content.decode()
    centre = world.users["centre"]
    praise = services.accountability_add(
        org=world.S2,
        by=centre,
        kind="commendation",
        issued_on=timezone.localdate(),
        text="日查全部按时完成",
    )
    assert praise.issuer == world.C1


@pytest.mark.req("OG2")
def test_a_schools_own_check_finds_problems_through_its_items_only(world, lists):
    weekly = services.inspection_start(
        org=world.S1, purpose="office_weekly", level="self", by=world.users["school"]
    )
    with pytest.raises(services.InspectionError):
        services.finding_add(inspection=weekly, by=world.users["school"], description="x")
