"""SM2.2: the inspector picker of a school with many staff groups them by post and tells two
people of the same name apart (by post, then by the last digits of the mobile)."""

import re

import pytest

from anwen.orgs.models import Position
from anwen.orgs.services import person_create

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM2.2")]


def _labels(page: str) -> dict[str, list[str]]:
    """The picker's groups, each with its people's labels, in page order."""
    picker = page.split('<div id="id_participants">', 1)[1].split("</div></div>", 1)[0]
    groups: dict[str, list[str]] = {}
    for block in picker.split("<div><label>")[1:]:
        group, body = block.split("</label>", 1)
        groups[group.strip()] = [
            label.strip() for label in re.findall(r'name="participants"[^>]*>([^<]+)</label>', body)
        ]
    return groups


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
