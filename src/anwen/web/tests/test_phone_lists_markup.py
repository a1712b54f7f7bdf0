"""What the phone cards and the detail pages are built from, as the server sends it: the
header cells that name a card's title and its actions (lists.js reads them), the link back to
the list above a detail page's title, units beside the numbers, no cell that holds only
whitespace (a card line "照片：" with nothing after it), and no menu entry that is always empty."""

import datetime
import re

import pytest

from anwen.testing.world import add_persona

pytestmark = pytest.mark.django_db


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def header_of(page: str, attribute: str) -> list[str]:
    """The text of every <th> carrying the attribute."""
    cells = re.findall(rf"<th[^>]*\b{attribute}\b[^>]*>(.*?)</th>", page, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def back_link(page: str) -> tuple[str, str]:
    found = re.search(r'<a class="back-link" href="([^"]*)">([^<]*)</a>', page)
    assert found, "no back link"
    main = page.index('<main class="content"')
    assert main < found.start() < page.index("<h1", main)  # above the title
    return found.group(1), found.group(2)


@pytest.fixture
def spot_checks(world):
    from anwen.inspections import services

    services.standard_templates_load(owner=world.B1)
    return [
        services.inspection_start(
            org=world.orgs[key],
            purpose="spot",
            level="bureau",
            lead_org=world.B1,
            by=world.users["bureau"],
            inspected_on=datetime.date(2026, 11, 30),
        )
        for key in ("S1", "S3")
    ]


def test_the_staff_list_of_a_school_is_titled_by_name_and_ends_with_its_actions(world, login):
    page = html(login(world.users["school"]), "/duties/")
    assert header_of(page, "data-card-title") == ["姓名"]
    assert len(header_of(page, "data-card-actions")) == 1
    assert "录入纸质责任书" in page


def test_the_checkpoint_cards_are_titled_by_the_checkpoint_and_count_schedules(world, login):
    from anwen.patrol.services import checkpoint_create

    checkpoint_create(org=world.S1, by=world.users["school"], name="东大门", place="门卫室旁")
    page = html(login(world.users["school"]), "/patrol/")
    assert "巡更点" in header_of(page, "data-card-title")
    assert len(header_of(page, "data-card-actions")) == 2  # checkpoints and schedules
    assert re.search(r'<td class="num">0 项</td>', page)
    assert re.search(r"0<small>项</small></div><div class=\"label\">巡更计划", page)


def test_a_district_list_is_titled_by_the_school_and_a_school_list_by_the_date(
    world, login, spot_checks
):
    bureau = html(login(world.users["bureau"]), "/inspections/")
    assert header_of(bureau, "data-card-title") == ["学校"]
    school = html(login(world.users["school"]), "/inspections/")
    assert header_of(school, "data-card-title") == ["日期"]


def test_a_district_too_big_for_the_school_picker_is_still_titled_by_the_school(
    world, login, spot_checks
):
    from anwen.paging import CHOICES_MAX
    from anwen.testing.world import add_schools

    add_schools(world, CHOICES_MAX)
    page = html(login(world.users["bureau"]), "/inspections/")
    assert header_of(page, "data-card-title") == ["学校"]


def test_a_bureau_spot_check_does_not_say_its_kind_twice(world, login, spot_checks):
    page = html(login(world.users["bureau"]), "/inspections/")
    row = re.search(r"<tr><td><a href=\"/inspections/\d+/\">.*?</tr>", page, re.S).group(0)
    assert row.count("区教委抽查") == 1
    assert 'title="与检查相同">—</span>' in row
    assert "0 项" in row  # findings, with their unit


def test_an_inspection_and_its_items_lead_back_to_the_list(world, login, spot_checks):
    from anwen.inspections import services

    inspection = spot_checks[0]
    services.inspection_answer_all_pass(inspection=inspection, by=world.users["bureau"])
    services.inspection_submit(inspection=inspection, by=world.users["bureau"])
    page = html(login(world.users["bureau"]), f"/inspections/{inspection.pk}/")
    assert back_link(page) == ("/inspections/", "检查")
    # An item without photos has an empty photo cell: nothing for a card to label.
    assert "<td></td></tr>" in page
    assert not re.search(r"<td>\s+</td>", page)


@pytest.mark.parametrize(
    ("url", "back"),
    [
        ("/orgs/people/{person}/", ("/orgs/people/", "教职工")),
        ("/orgs/{school}/", ("/orgs/schools/", "学校")),
        ("/inspections/areas/", ("/inspections/", "检查")),
        ("/inspections/findings/", ("/inspections/", "检查")),
        ("/duties/commitments/new/", ("/duties/commitments/", "公示承诺")),
    ],
)
def test_a_detail_page_leads_back_to_its_list(world, login, url, back):
    client = login(world.users["school"])
    page = html(client, url.format(person=world.people["teacher"].pk, school=world.S1.pk))
    href, label = back_link(page)
    assert href == back[0]
    assert back[1] in label


def test_the_school_page_of_the_letters_leads_back_only_when_it_is_not_the_list(world, login):
    bureau = html(login(world.users["bureau"]), f"/duties/schools/{world.S1.pk}/")
    assert back_link(bureau)[0].startswith("/duties/?year=")
    school = html(login(world.users["school"]), "/duties/")  # the school's own list
    assert 'class="back-link"' not in school


def test_a_self_check_that_found_nothing_says_so(world, login):
    from anwen.duties.services import commitment_record

    commitment_record(
        school=world.S1,
        kind="self_check",
        date=datetime.date(2026, 11, 20),
        title="十一月自查",
        content="逐项自查",
        location="校门公示栏",
        signer="测试principal",
        by=world.users["school"],
    )
    page = html(login(world.users["bureau"]), "/duties/commitments/")
    assert "未发现" in page
    assert "0 / 0" not in page
    assert header_of(page, "data-card-title") == ["标题"]


def test_the_fire_cards_count_schools(world, login):
    page = html(login(world.users["bureau"]), "/fire/")
    figures = re.findall(r'<div class="figure">(\d+)<small>([^<]*)</small>', page)
    assert len(figures) == 6
    assert {unit for _n, unit in figures} == {"所"}


def test_the_calendar_cards_count_days(world, login):
    page = html(login(world.users["bureau"]), "/calendar/")
    units = re.findall(r'<div class="figure">\d+<small>([^<]*)</small>', page)
    assert units == ["天", "天", "项"]


def test_an_agency_is_not_offered_an_always_empty_school_list(world, login):
    agency = login(world.users["agency"]).get("/")
    assert "/orgs/schools/" not in [item["url"] for item in agency.context["shell"].nav]
    bureau = login(world.users["bureau"]).get("/")
    assert "/orgs/schools/" in [item["url"] for item in bureau.context["shell"].nav]


def test_an_agency_inspector_who_also_holds_a_school_role_keeps_the_school_list(world, login):
    from anwen.orgs import services
    from anwen.orgs.roles import RoleName

    user = add_persona(world, "agency_and_school", RoleName.AGENCY_INSPECTOR, "A1")
    services.role_assign(user=user, org=world.S1, role=RoleName.SAFETY_OFFICER)
    nav = login(user).get("/").context["shell"].nav
    assert "/orgs/schools/" in [item["url"] for item in nav]
