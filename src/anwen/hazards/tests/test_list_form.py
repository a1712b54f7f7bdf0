"""The hazard list's fast form of the visibility (`selectors.visible_hazards`: the tree's orgs
and the few hazards named beyond it, resolved first) keeps exactly the hazards of the guard's
form (`selectors.visible_q`), for every role, grant and person named; and the list answers in
as many queries with 3 hazards as with 40 (issue 8)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.hazards import selectors
from anwen.hazards.models import Hazard
from anwen.orgs import scope
from anwen.orgs import services as orgs
from anwen.orgs.models import OrgKind
from anwen.orgs.roles import RoleName
from anwen.testing.world import api_key


@pytest.fixture
def spread(world, raise_hazard):
    """Hazards in every school of both districts, and the ways beyond the tree: a grant to the
    agency, a grant to one inspector of another school, a hazard of S9 (the other district)
    whose responsible is S1's safety officer, and one of S3 reported by S1's teacher."""
    other = world.users["other_school"]
    for org in (world.S1, world.S2, world.S3, world.S9):
        by = other if org == world.S9 else world.users["school"]
        raise_hazard(org=org, title=f"{org.name}隐患", category="fire", by=by)
    raise_hazard(org=world.S2, title="联合检查发现", grant_orgs=[world.A1])
    raise_hazard(org=world.S1, title="中心检查员发现", grant_users=[world.users["school3"]])
    beyond = raise_hazard(org=world.S9, title="外区隐患", by=other)
    Hazard.objects.filter(pk=beyond.pk).update(responsible=world.people["school"])
    raise_hazard(org=world.S3, title="教师报告", by=world.users["teacher"])


def _same_for_everyone(world):
    for username, user in world.users.items():
        for full in (False, True):
            guard = set(Hazard.objects.filter(selectors.visible_q(user, full=full)))
            listed = set(selectors.visible_hazards(user, full=full))
            assert listed == guard, (username, full)


@pytest.mark.req("OG2")
def test_the_list_form_keeps_exactly_the_hazards_of_the_guard(world, spread):
    _same_for_everyone(world)
    assert {h.title for h in selectors.visible_hazards(world.users["agency"])} == {"联合检查发现"}
    school3 = {h.title for h in selectors.visible_hazards(world.users["school3"])}
    assert "中心检查员发现" in school3 and "永川区青峰镇幼儿园隐患" not in school3
    # Named responsible for a hazard of a school they are not on the staff of (the other
    # district's): not theirs to fix, so not theirs to see; nor is the other district's own.
    school = {h.title for h in selectors.visible_hazards(world.users["school"])}
    assert "外区隐患" not in school and "另一区第一小学隐患" not in school
    # A reporter sees what they reported while their roles cover its school: S1's teacher
    # reported at S3, where they hold no role.
    assert "教师报告" not in {h.title for h in selectors.visible_hazards(world.users["teacher"])}
    # A bureau officer narrowed to one school by the top bar: the same narrowing.
    bureau = world.users["bureau"]
    scope.set_focus(bureau, world.S1.path)
    guard = set(Hazard.objects.filter(selectors.visible_q(bureau)))
    assert set(selectors.visible_hazards(bureau)) == guard
    # (S2's hazard granted to the agency stays: grants are read over the whole scope.)
    assert world.S1.pk in {h.org_id for h in guard} and world.S3.pk not in {h.org_id for h in guard}


def test_the_list_form_keeps_them_when_many_are_named_beyond_the_tree(world, spread, monkeypatch):
    # Past LISTED_IDS_MAX the named conditions are asked in the query itself.
    monkeypatch.setattr(selectors, "LISTED_IDS_MAX", 0)
    _same_for_everyone(world)


def test_a_bureau_whose_tree_holds_every_org_lists_without_an_org_condition(db):
    from anwen.accounts.models import User
    from anwen.hazards.services import hazard_raise

    bureau = orgs.org_create(kind=OrgKind.BUREAU, name="唯一的区教委", code="X1")
    school = orgs.org_create(kind=OrgKind.SCHOOL, name="唯一的学校", code="X2", parent=bureau)
    officer = User.objects.create_user(username="only", password="Test-pass-2026")
    orgs.role_assign(user=officer, org=bureau, role=RoleName.BUREAU_OFFICER)
    hazard = hazard_raise(org=school, source="self", title="楼梯扶手松动", by=officer)
    rows = selectors.visible_hazards(officer)
    assert list(rows) == [hazard]
    assert "WHERE" not in str(rows.query)
    # A second district: the tree no longer holds every org, the condition is back.
    orgs.org_create(kind=OrgKind.BUREAU, name="另一区教委", code="X3")
    scope.forget(officer)
    assert "WHERE" in str(selectors.visible_hazards(officer).query)


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


@pytest.mark.req("PL9")
def test_every_roles_list_keeps_its_query_count_as_hazards_grow(world, login, raise_hazard):
    urls = [
        "/hazards/",
        "/hazards/?category=fire&grade=general&state=closed",
        "/hazards/?overdue=on&category=electrical&page=2",
    ]
    users = ("bureau", "centre", "school", "agency", "school3")

    def counts():
        out = {}
        for username in users:
            user = world.users[username]
            client = login(user)
            auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}
            out[username] = [_queries(client, url) for url in urls] + [
                _queries(client, "/api/v1/hazards?category=fire", **auth)
            ]
        return out

    # One hazard each sees already: an empty page draws less than a full one.
    raise_hazard(title="第一条", grant_orgs=[world.A1], grant_users=[world.users["school3"]])
    few = counts()
    for n in range(40):
        org = (world.S1, world.S2, world.S3)[n % 3]
        raise_hazard(
            org=org,
            title=f"隐患{n}",
            grant_orgs=[world.A1] if n % 4 == 0 else [],
            grant_users=[world.users["school3"]] if n % 5 == 0 else [],
        )
    assert counts() == few
