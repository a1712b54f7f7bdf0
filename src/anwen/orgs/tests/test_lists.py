import pytest

from anwen.testing.sheets import sheet_rows as table

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL8", "PL2")]


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [list(row) for row in table(response)]


def test_the_school_list_exports_to_excel_within_scope(world, login):
    rows = sheet_rows(login(world.users["centre"]).get("/orgs/schools/?format=xlsx"))
    assert rows[0][:3] == ["代码", "学校名称", "学校类型"]
    assert sorted(r[0] for r in rows[1:]) == ["S1", "S2"]
    assert any(r[2] == "幼儿园" for r in rows[1:])


def test_the_school_list_filters_by_type_and_search(world, login):
    client = login(world.users["bureau"])
    kindergartens = client.get("/orgs/schools/?type=kindergarten").context["page"]
    assert [o.code for o in kindergartens] == ["S2"]
    found = client.get("/orgs/schools/?q=金龙").context["page"]
    assert [o.code for o in found] == ["S3"]


def test_the_staff_list_exports_with_positions(world, login):
    rows = sheet_rows(login(world.users["school"]).get("/orgs/people/?format=xlsx"))
    names = {r[0] for r in rows[1:]}
    assert names == {"测试principal", "测试school", "测试teacher", "测试guard"}
    assert all(r[3] == "任课教师" for r in rows[1:])


def test_a_teacher_may_not_list_staff(world, login):
    assert login(world.users["teacher"]).get("/orgs/people/").status_code == 404


def test_the_staff_of_another_school_cannot_be_listed_by_org(world, login):
    response = login(world.users["school"]).get(f"/orgs/people/?org={world.S2.pk}")
    assert response.status_code == 404


def test_a_name_that_looks_like_a_formula_is_exported_as_text(world, login):
    from anwen.orgs import services

    services.person_create(org=world.S1, name='=HYPERLINK("http://x","y")')
    rows = sheet_rows(login(world.users["school"]).get("/orgs/people/?format=xlsx"))
    assert '\'=HYPERLINK("http://x","y")' in {r[0] for r in rows}
