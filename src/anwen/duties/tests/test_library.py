"""SM1.1: the bureau's library of position safety-duty lists, and letters that keep the text
they were signed with."""

import pytest
from django.utils import timezone

from anwen.duties import library as standard
from anwen.duties.models import PositionDuty, ResponsibilityLetter
from anwen.duties.services import duty_library_load
from anwen.obligations.tests.rules import plan_of, rules_post
from anwen.orgs.models import Position

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.1")]


def test_the_standard_lists_cover_every_standard_position_with_three_to_eight_duties(world):
    positions = set(Position.objects.values_list("code", flat=True))
    assert positions <= set(standard.DUTIES)
    assert all(3 <= len(items) <= 8 for items in standard.DUTIES.values())


def test_loading_the_library_twice_adds_nothing_the_second_time(world):
    added = duty_library_load(owner=world.B1)
    assert added == sum(len(items) for items in standard.DUTIES.values())
    assert duty_library_load(owner=world.B1) == 0
    assert PositionDuty.objects.filter(owner=world.B1).count() == added
    teacher = PositionDuty.objects.filter(owner=world.B1, position__code="teacher")
    assert list(teacher.values_list("text", flat=True)) == standard.DUTIES["teacher"]


def test_loading_keeps_a_bureaus_own_edits(world, library, login):
    position = Position.objects.get(code="guard")
    login(world.users["bureau"]).post(f"/duties/library/{position.pk}/", {"items": "只有一条职责"})
    duty_library_load(owner=world.B1)
    assert list(
        PositionDuty.objects.filter(owner=world.B1, position=position).values_list(
            "text", flat=True
        )
    ) == ["只有一条职责"]


def test_the_bureau_edits_a_position_list_and_signed_letters_keep_their_text(world, library, login):
    teacher = world.users["teacher"]
    client = login(teacher)
    client.post("/duties/my-letter/", {"accepted": "on", "signature": "测试teacher"})
    letter = ResponsibilityLetter.objects.get(person=world.people["teacher"])
    signed_text = letter.content["duties"][0]["items"]
    assert signed_text == standard.DUTIES["teacher"]

    position = Position.objects.get(code="teacher")
    response = login(world.users["bureau"]).post(
        f"/duties/library/{position.pk}/", {"items": "新的第一条职责\n\n新的第二条职责\n"}
    )
    assert response.status_code == 302
    assert list(
        PositionDuty.objects.filter(owner=world.B1, position=position).values_list(
            "text", flat=True
        )
    ) == ["新的第一条职责", "新的第二条职责"]

    letter.refresh_from_db()
    assert letter.content["duties"][0]["items"] == signed_text
    page = login(teacher).get(f"/duties/letters/{letter.pk}/").content.decode()
    assert standard.DUTIES["teacher"][0] in page
    assert "新的第一条职责" not in page
    # The next person to sign gets the new list.
    login(world.users["guard"]).post(
        "/duties/my-letter/", {"accepted": "on", "signature": "测试guard"}
    )
    guard_letter = ResponsibilityLetter.objects.get(person=world.people["guard"])
    assert guard_letter.content["duties"][0]["items"] == ["新的第一条职责", "新的第二条职责"]


def test_only_the_bureau_edits_the_library(world, library, login):
    position = Position.objects.get(code="teacher")
    for username in ("principal", "school", "centre", "teacher"):
        client = login(world.users[username])
        assert client.get(f"/duties/library/{position.pk}/").status_code == 404
        assert client.post(f"/duties/library/{position.pk}/", {"items": "x"}).status_code == 404
        assert client.post("/duties/library/load/").status_code == 404
    assert PositionDuty.objects.filter(owner=world.B1, position=position).count() == len(
        standard.DUTIES["teacher"]
    )
    # Everyone who signs or watches may read it.
    page = login(world.users["teacher"]).get("/duties/library/")
    assert page.status_code == 200
    assert standard.DUTIES["principal"][0] in page.content.decode()


def test_the_bureau_loads_the_standard_lists_from_the_library_page(world, login):
    client = login(world.users["bureau"])
    assert client.get("/duties/library/").context["missing"] == Position.objects.count()
    assert client.post("/duties/library/load/").status_code == 302
    assert client.get("/duties/library/").context["missing"] == 0


def test_an_empty_list_is_refused(world, library, login):
    position = Position.objects.get(code="teacher")
    response = login(world.users["bureau"]).post(
        f"/duties/library/{position.pk}/", {"items": "  \n \n"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["items"]


def test_the_bureau_sets_the_deadlines_in_the_plan(world, login):
    client = login(world.users["bureau"])
    plan = plan_of(world.B1)
    assert client.post("/duties/library/deadlines/").status_code == 302  # now on the plan page
    assert (
        client.post(
            f"/obligations/plan/{plan.pk}/rules/",
            rules_post(plan, **{"duties.letter_due": "04-15", "duties.five_due": "12-20"}),
        ).status_code
        == 302
    )
    values = dict(plan.rule_values.values_list("key", "value"))
    assert values["duties.letter_due"] == "04-15" and values["duties.five_due"] == "12-20"
    refused = client.post(
        f"/obligations/plan/{plan.pk}/rules/",
        rules_post(plan, **{"duties.letter_due": "02-30", "duties.five_due": "12-20"}),
    )
    assert refused.status_code == 400
    assert "02-30" not in str(plan.rule_values.values_list("value", flat=True))
    assert (
        login(world.users["principal"])
        .post(
            f"/obligations/plan/{plan.pk}/rules/",
            rules_post(plan, **{"duties.letter_due": "01-01"}),
        )
        .status_code
        == 404
    )
    year = timezone.localdate().year
    page = login(world.users["teacher"]).get("/duties/library/")
    assert page.context["letter_due"].isoformat() == f"{year}-04-15"
