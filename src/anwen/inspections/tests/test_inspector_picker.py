"""SM2.2: the inspector picker of a school with many staff groups them by post and tells two
people of the same name apart (by post, then by the last digits of the mobile)."""

import re

import pytest

from anwen.orgs.models import Position
from anwen.orgs.services import person_create

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM2.2")]


def _labels(page: str) -> dict[str, list[str]]:
    """The picker's groups (folds), each with its people's labels, in page order."""
    picker = page.split('<div id="id_participants" class="picker">', 1)[1]
    groups: dict[str, list[str]] = {}
    for block in picker.split("<summary>")[1:]:
        group, body = block.split(' <span class="muted">', 1)
        body = body.split("</details>", 1)[0]
        groups[group.strip()] = [
            label.strip() for label in re.findall(r'name="participants"[^>]*>([^<]+)</label>', body)
        ]
    return groups


def _folds(page: str) -> dict[str, bool]:
    """Each group of the picker: open or folded."""
    picker = page.split('<div id="id_participants" class="picker">', 1)[1]
    return {
        block.split("<summary>", 1)[1].split(" <span", 1)[0]: block.startswith(" open")
        for block in picker.split('<details class="picker-group"')[1:]
    }


def test_the_picker_groups_by_post_and_tells_namesakes_apart(world, lists, login):
    post = {code: Position.objects.get(code=code) for code in ("principal", "teacher", "guard")}
    person_create(org=world.S1, name="王芳", positions=[post["teacher"]], phone="13800001234")
    person_create(org=world.S1, name="王芳", positions=[post["teacher"]], phone="13900005678")
    person_create(org=world.S1, name="王芳", positions=[post["guard"]])
    person_create(org=world.S1, name="李校长", positions=[post["principal"], post["teacher"]])
    page = login(world.users["school"]).get("/inspections/new/").content.decode()
    groups = _labels(page)
    assert list(groups)[:3] == ["校长", "任课教师", "保安"], list(groups)
    assert groups["校长"] == ["李校长"]
    assert "王芳（任课教师，手机尾号 1234）" in groups["任课教师"]
    assert "王芳（任课教师，手机尾号 5678）" in groups["任课教师"]
    assert groups["保安"] == ["王芳（保安）"]
    assert "测试school" in groups["任课教师"]  # a unique name stays as it is


def test_the_bureaus_joint_inspection_picker_holds_its_departments_and_ticks_the_user(
    world, lists, login
):
    post = Position.objects.get(code="teacher")
    liu = person_create(org=world.D1, name="刘芳", positions=[post])
    page = login(world.users["bureau"]).get("/inspections/new/?purpose=joint").content.decode()
    groups = _labels(page)
    office = [g for g in groups if g.startswith("安全稳定办公室 · ")]
    assert office and "刘芳" in groups[office[0]], list(groups)
    assert f'value="{liu.pk}"' in page
    me = world.people["bureau"]
    checkbox = page.split(f'value="{me.pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in checkbox
    # Another bureau's departments stay out.
    assert not any(g.startswith(world.orgs["B2"].name) for g in groups)


def test_the_school_form_knows_the_school_ticks_the_officer_and_folds_big_groups(
    world, lists, login
):
    class_teacher = Position.objects.get(code="class_teacher")
    principal = Position.objects.get(code="principal")
    for i in range(12):
        person_create(org=world.S1, name=f"班主任{i:02d}", positions=[class_teacher])
    person_create(org=world.S1, name="李校长", positions=[principal])
    client = login(world.users["school"])
    page = client.get("/inspections/new/").content.decode()
    assert f'<input type="hidden" name="school" value="{world.S1.pk}"' in page
    assert '<label for="id_school">' not in page
    me = world.people["school"]
    assert "checked" in page.split(f'value="{me.pk}"', 1)[1].split(">", 1)[0]
    folds = _folds(page)
    assert folds["班主任"] is False and folds["校长"] is True
    # Sent as it comes, the form starts the inspection at the officer's school with him in it.
    response = client.post(
        "/inspections/new/",
        {
            "purpose": "office_weekly",
            "school": str(world.S1.pk),
            "inspected_on": page.split('name="inspected_on" value="', 1)[1].split('"', 1)[0],
            "participants": [str(me.pk)],
        },
    )
    assert response.status_code == 302
