import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.orgs import services
from anwen.orgs.models import OrgKind
from anwen.testing.world import PERSONAS

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL1", "PL2")]


def test_the_bureau_home_shows_the_whole_district(world, login):
    response = login(world.users["bureau"]).get("/")
    text = response.content.decode()
    assert response.status_code == 200
    for name in ("青峰镇教育管理中心", "金龙镇教育管理中心", "安全稳定办公室"):
        assert name in text
    overview = response.context["ov"]
    assert overview.schools == 3 and overview.centres == 2
    assert overview.enrolment == 820 + 210 + 1400
    assert {code for code, _label, _n, _e in overview.by_type} == {
        "primary",
        "kindergarten",
        "middle",
    }
    c1 = next(row for row in overview.units if row.org == world.C1)
    assert (c1.schools, c1.enrolment) == (2, 1030)
    assert c1.people == 5  # centre, principal, school, teacher, guard
    # A department runs no schools: its row says so instead of "0 / 0".
    row = text.split("安全稳定办公室", 1)[1].split("</tr>", 1)[0]
    assert "科室不直接管理学校" in row and row.count(">—<") == 2


def test_a_centre_home_shows_its_schools_only(world, login):
    response = login(world.users["centre"]).get("/")
    text = response.content.decode()
    assert "永川区青峰镇中心小学" in text and "永川区青峰镇幼儿园" in text
    assert "永川区金龙中学" not in text
    assert response.context["ov"].schools == 2


def test_a_school_home_shows_the_school_itself(world, login):
    response = login(world.users["school"]).get("/")
    overview = response.context["ov"]
    assert overview.level == "school"
    assert [r.code for r in overview.roots] == ["S1"]
    assert overview.people == 4
    assert "永川区青峰镇中心小学" in response.content.decode()


def test_a_school_user_gets_404_for_another_schools_page(world, login):
    client = login(world.users["school"])
    assert client.get(f"/orgs/{world.S2.pk}/").status_code == 404
    assert client.get(f"/orgs/{world.S9.pk}/").status_code == 404
    assert client.get(f"/orgs/{world.S1.pk}/").status_code == 200


def test_a_user_without_a_role_is_told_so(db, client):
    from anwen.accounts.models import User
    from anwen.testing.world import log_in

    log_in(client, User.objects.create_user("nobody", password="x"))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["ov"].roots == []


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("username", [u for u in PERSONAS if u != "other_bureau"])
def test_home_query_count_does_not_grow_with_the_number_of_schools(world, client, username):
    from anwen.testing.world import log_in

    log_in(client, world.users[username])
    _home_queries(client)  # warm the session and caches
    before = _home_queries(client)
    for i in range(15):
        centre = world.C1 if i % 2 else world.C2
        school = services.org_create(
            kind=OrgKind.SCHOOL, name=f"新学校{i}", code=f"N{i}", parent=centre
        )
        services.school_profile_save(org=school, school_type="primary", enrolment=100 + i)
        services.person_create(org=school, name=f"新老师{i}")
    assert _home_queries(client) == before


def test_a_user_with_roots_at_two_depths_sees_one_row_per_unit(world, login):
    services.role_assign(user=world.users["bureau"], org=world.C9, role="centre_officer")
    overview = login(world.users["bureau"]).get("/").context["ov"]
    codes = [row.org.code for row in overview.units]
    assert sorted(codes) == ["C1", "C2", "D1", "S9"]
    assert next(r for r in overview.units if r.org.code == "S9").enrolment == 500


def test_one_menu_entry_is_current_the_most_specific(world, login):
    client = login(world.users["school"])
    page = client.get("/obligations/log/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert 'href="/obligations/log/" aria-current="page"' in page


@pytest.mark.req("PL2")
def test_an_agency_home_lists_the_joint_inspections_it_is_invited_to(world, login):
    from anwen.inspections import services as inspections
    from anwen.inspections.services import standard_templates_load

    standard_templates_load(owner=world.B1)
    client = login(world.users["agency"])
    empty = client.get("/").content.decode()
    assert "所学校" not in empty and "0 学生" not in empty
    assert "尚未" in empty or "还没有" in empty  # says none has invited it yet
    joint = inspections.inspection_start(
        org=world.S1, purpose="joint", level="joint", by=world.users["bureau"], invited=[world.A1]
    )
    inspections.inspection_start(
        org=world.S3, purpose="spot", level="bureau", by=world.users["bureau"]
    )
    response = client.get("/")
    assert [i.pk for i in response.context["invitations"]] == [joint.pk]
    page = response.content.decode()
    assert f"/inspections/{joint.pk}/" in page and "永川区青峰镇中心小学" in page
    assert client.get(f"/inspections/{joint.pk}/").status_code == 200


def test_a_centres_table_of_schools_has_no_kind_nor_school_count_column(world, login):
    page = login(world.users["centre"]).get("/").content.decode()
    table = page.split("<h2>学校</h2>", 1)[1].split("</table>", 1)[0]
    head = table.split("</thead>", 1)[0]
    assert "类别" not in head and ">学校<" in head and "在校学生数" in head
    row = table.split("永川区青峰镇中心小学", 1)[1].split("</tr>", 1)[0]
    assert row.count("<td") == 2  # enrolment and staff after the name
