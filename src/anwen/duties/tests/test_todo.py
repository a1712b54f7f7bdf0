"""What the duties app puts in people's to-do lists (anwen.todo protocol), in a fixed number of
queries whatever the history."""

from datetime import date

import pytest
from django.utils import timezone

from anwen.duties.models import ResponsibilityLetter, SignMethod
from anwen.duties.services import letter_sign
from anwen.duties.todo import waiting_on
from anwen.obligations.plans import MonthDay
from anwen.obligations.tests.rules import set_rules
from anwen.orgs.models import Person, Position

pytestmark = [pytest.mark.django_db]


def kinds(todos):
    return {t.kind: t for t in todos}


@pytest.mark.req("SM1.1")
def test_a_teacher_is_asked_to_sign_until_they_have(world, library):
    today = timezone.localdate()
    teacher = world.users["teacher"]
    todo = kinds(waiting_on(teacher, today=today))["duties.letter"]
    assert todo.url == "/duties/my-letter/"
    assert todo.due == date(today.year, 3, 31)
    assert todo.org_name == world.S1.name
    assert str(today.year) in todo.title
    letter_sign(
        person=world.people["teacher"],
        year=today.year,
        by=teacher,
        accepted=True,
        signature="测试teacher",
    )
    assert waiting_on(teacher, today=today) == []


@pytest.mark.req("SM1.1")
def test_the_due_date_is_the_bureaus_configuration(world):
    set_rules(world.B1, duties__letter_due=MonthDay(4, 30), duties__five_due=MonthDay(12, 15))
    today = timezone.localdate()
    assert kinds(waiting_on(world.users["teacher"], today=today))["duties.letter"].due == date(
        today.year, 4, 30
    )
    assert kinds(waiting_on(world.users["principal"], today=today))[
        "duties.five_in_place"
    ].due == date(today.year, 12, 15)


@pytest.mark.req("SM1.2")
def test_the_principal_is_asked_for_the_five_in_place(world):
    today = timezone.localdate()
    todos = kinds(waiting_on(world.users["principal"], today=today))
    assert todos["duties.five_in_place"].url == f"/duties/five/{world.S1.pk}/"
    assert todos["duties.five_in_place"].due == date(today.year, 11, 30)
    assert "duties.five_in_place" not in kinds(waiting_on(world.users["school"], today=today))


@pytest.mark.req("SM1.1")
def test_the_safety_officer_sees_how_many_staff_have_not_signed(world, library):
    today = timezone.localdate()
    letter_sign(
        person=world.people["teacher"],
        year=today.year,
        by=world.users["teacher"],
        accepted=True,
        signature="测试teacher",
    )
    todo = kinds(waiting_on(world.users["school"], today=today))["duties.unsigned"]
    assert "3" in todo.title  # principal, safety officer, guard
    assert todo.url == f"/duties/schools/{world.S1.pk}/?status=unsigned"
    assert "duties.unsigned" not in kinds(waiting_on(world.users["teacher"], today=today))
    assert waiting_on(world.users["centre"], today=today) == []
    assert waiting_on(world.users["agency"], today=today) == []


def test_the_query_count_does_not_grow_with_history(world, library, django_assert_max_num_queries):
    today = timezone.localdate()
    position = Position.objects.get(code="teacher")

    def count(user):
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_max_num_queries(7) as context:
            waiting_on(fresh, today=today)
        return len(context.captured_queries)

    before = count(world.users["school"])
    people = Person.objects.bulk_create(Person(org=world.S1, name=f"教师{i}") for i in range(60))
    Person.positions.through.objects.bulk_create(
        Person.positions.through(person_id=p.pk, position_id=position.pk) for p in people
    )
    ResponsibilityLetter.objects.bulk_create(
        ResponsibilityLetter(
            org=world.S1,
            person=p,
            year=year,
            person_name=p.name,
            positions="任课教师",
            content={},
            method=SignMethod.ONLINE,
            signed_on=date(year, 2, 1),
            signed_at=timezone.now(),
        )
        for p in people
        for year in range(today.year - 5, today.year + 1)
    )
    assert count(world.users["school"]) == before
