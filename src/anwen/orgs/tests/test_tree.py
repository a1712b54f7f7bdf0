import pytest

from anwen.audit.models import AuditEvent
from anwen.orgs import services
from anwen.orgs.models import Org, OrgKind

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL1")]


def test_each_org_path_extends_its_parents(world):
    assert world.B1.path == f"{world.B1.pk}/"
    assert world.C1.path == f"{world.B1.pk}/{world.C1.pk}/"
    assert world.S1.path == f"{world.C1.path}{world.S1.pk}/"
    assert world.S1.depth == 2


def test_everything_under_a_centre_is_one_prefix_query(world):
    under_c1 = set(
        Org.objects.filter(path__startswith=world.C1.path).values_list("code", flat=True)
    )
    assert under_c1 == {"C1", "S1", "S2"}


def test_moving_a_school_moves_its_path_and_is_audited(world):
    services.org_update(org=world.S2, parent=world.C2, by=world.users["admin"])
    world.S2.refresh_from_db()
    assert world.S2.path == f"{world.C2.path}{world.S2.pk}/"
    assert AuditEvent.objects.filter(action="orgs.org.updated", object_id=str(world.S2.pk)).exists()


def test_a_centre_moving_keeps_its_schools_below_it(world):
    new_bureau = services.org_create(kind=OrgKind.BUREAU, name="新区教委", code="B3")
    services.org_update(org=world.C1, parent=new_bureau)
    world.S1.refresh_from_db()
    assert world.S1.path.startswith(new_bureau.path)
    assert world.S1.depth == 2


def test_it_refuses_a_school_directly_under_a_school(world):
    with pytest.raises(services.OrgError):
        services.org_create(kind=OrgKind.SCHOOL, name="分校", code="S1-2", parent=world.S1)


def test_it_refuses_moving_an_org_under_itself(world):
    with pytest.raises(services.OrgError):
        services.org_update(org=world.C1, parent=world.S1)


def test_school_profile_holds_the_plan_facts(world, login):
    services.school_profile_save(
        org=world.S1,
        school_type="nine_year",
        enrolment=1200,
        boarding=True,
        boarders=300,
        gates=3,
        area_m2=42000,
        address="重庆市永川区青峰镇正街1号",
        longitude="105.9",
        latitude="29.3",
        legal_representative=world.people["principal"],
    )
    response = login(world.users["school"]).get(f"/orgs/{world.S1.pk}/")
    text = response.content.decode()
    for expected in (
        "九年一贯制",
        "1200",
        "300",
        "42000",
        "青峰镇正街1号",
        "105.9",
        "测试principal",
    ):
        assert expected in text


def test_saving_a_stale_copy_after_an_ancestor_moved_keeps_the_new_path(world):
    stale = Org.objects.get(pk=world.S1.pk)
    services.org_update(org=world.C1, parent=world.B2)
    services.org_update(org=stale, name="改名小学")
    fresh = Org.objects.get(pk=world.S1.pk)
    assert fresh.name == "改名小学" and fresh.path.startswith(world.B2.path)
