"""What each person sees of inspections: their scope, their own checks, nothing else."""

import pytest

from anwen.inspections import services
from anwen.inspections.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(world, area):
    teacher = world.users["teacher"]
    daily = services.inspection_start(
        org=world.S1, purpose="area_daily", level="self", by=teacher, area=area
    )
    weekly = services.inspection_start(
        org=world.S1, purpose="office_weekly", level="self", by=world.users["school"]
    )
    far = services.inspection_start(
        org=world.S3, purpose="office_weekly", level="self", by=world.users["school3"]
    )
    return daily, weekly, far


@pytest.mark.req("PL2", "SM2.2")
def test_another_schools_inspection_answers_404(world, checks, login):
    daily, weekly, far = checks
    client = login(world.users["school"])
    assert client.get(f"/inspections/{weekly.pk}/").status_code == 200
    assert client.get(f"/inspections/{daily.pk}/").status_code == 200
    assert client.get(f"/inspections/{far.pk}/").status_code == 404
    assert client.post(f"/inspections/{far.pk}/", {"action": "submit"}).status_code == 404
    listing = client.get("/inspections/").content.decode()
    assert f"/inspections/{weekly.pk}/" in listing and f"/inspections/{far.pk}/" not in listing
    outsider = login(world.users["other_bureau"])
    assert outsider.get(f"/inspections/{weekly.pk}/").status_code == 404


@pytest.mark.req("PL2", "SM2.2")
def test_a_teacher_sees_his_own_checks_only(world, checks, login):
    daily, weekly, far = checks
    client = login(world.users["teacher"])
    assert client.get(f"/inspections/{daily.pk}/").status_code == 200
    assert client.get(f"/inspections/{weekly.pk}/").status_code == 404
    listing = client.get("/inspections/").content.decode()
    assert f"/inspections/{daily.pk}/" in listing
    assert f"/inspections/{weekly.pk}/" not in listing


@pytest.mark.req("PL2", "OG2")
def test_the_centre_and_the_bureau_see_their_schools_checks(world, checks, login):
    daily, weekly, far = checks
    centre = login(world.users["centre"])
    assert centre.get(f"/inspections/{weekly.pk}/").status_code == 200
    assert centre.get(f"/inspections/{far.pk}/").status_code == 404
    # Seeing is not answering: the centre reads the school's check.
    page = centre.get(f"/inspections/{weekly.pk}/").content.decode()
    assert 'value="submit"' not in page
    leader = login(world.users["leader"])
    assert leader.get(f"/inspections/{far.pk}/").status_code == 200


@pytest.mark.req("SM2.2")
def test_the_list_filters_and_exports(world, checks, login):
    daily, weekly, far = checks
    client = login(world.users["bureau"])
    page = client.get("/inspections/?purpose=area_daily").content.decode()
    assert f"/inspections/{daily.pk}/" in page and f"/inspections/{weekly.pk}/" not in page
    page = client.get(f"/inspections/?school={world.S3.pk}").content.decode()
    assert f"/inspections/{far.pk}/" in page and f"/inspections/{weekly.pk}/" not in page
    page = client.get("/inspections/?status=submitted").content.decode()
    assert f"/inspections/{far.pk}/" not in page
    export = client.get("/inspections/?format=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Inspection.objects.count() == 3
