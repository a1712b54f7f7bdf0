import pytest
from django.http import Http404

from anwen.orgs.models import Org, Person
from anwen.orgs.scope import access_org, has_perm, scope_paths, scoped, visible_orgs

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL2")]


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_the_bureau_sees_its_whole_district_and_nothing_of_another(world):
    seen = codes(visible_orgs(world.users["bureau"]))
    assert {"B1", "D1", "C1", "C2", "S1", "S2", "S3", "A1"} == seen


def test_a_centre_sees_itself_and_its_schools(world):
    assert codes(visible_orgs(world.users["centre"])) == {"C1", "S1", "S2"}


def test_a_school_user_sees_only_the_school(world):
    for name in ("school", "principal", "teacher", "guard"):
        assert codes(visible_orgs(world.users[name])) == {"S1"}


def test_an_agency_inspector_sees_no_school(world):
    assert codes(visible_orgs(world.users["agency"])) == {"A1"}


def test_scoped_people_follow_the_org_tree(world):
    names = set(scoped(Person.objects.all(), world.users["centre"]).values_list("name", flat=True))
    assert "测试school" in names and "测试school3" not in names and "测试other_school" not in names


def test_a_missing_and_a_forbidden_org_give_the_same_404(world):
    user = world.users["school"]
    with pytest.raises(Http404):
        access_org(user, world.S2.pk)
    with pytest.raises(Http404):
        access_org(user, Org.objects.order_by("-pk").first().pk + 1000)
    assert access_org(user, world.S1.pk) == world.S1


def test_nested_roles_collapse_to_the_outer_subtree(world):
    from anwen.orgs import services

    user = world.users["centre"]
    services.role_assign(user=user, org=world.S1, role="safety_officer")
    assert scope_paths(user) == [world.C1.path]


def test_permissions_hold_only_inside_the_subtree(world):
    assert has_perm(world.users["bureau"], "orgs.import", world.S1)
    assert not has_perm(world.users["bureau"], "orgs.import", world.S9)
    assert not has_perm(world.users["school"], "orgs.import", world.S1)
    assert not has_perm(world.users["teacher"], "orgs.view_people", world.S1)
    assert has_perm(world.users["school"], "orgs.view_people", world.S1)


def test_a_person_who_left_is_not_reachable_by_id(world, login):
    person = world.people["teacher"]
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert login(world.users["school"]).get(f"/orgs/people/{person.pk}/").status_code == 404
