"""The fire self-check in the school safety officer's inbox."""

import pytest
from django.utils import timezone

from anwen import calendar
from anwen.fire import services, todo
from anwen.fire.tests.conftest import scan_pdf
from anwen.fire.tests.helpers import run_check

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.req("SM7.1"),
    pytest.mark.usefixtures("standard_lists"),
]


def items(world, username):
    return todo.waiting_on(world.users[username], today=timezone.localdate())


def test_the_undone_check_then_the_form_wait_on_the_safety_officer(world, semester):
    today = timezone.localdate()
    [undone] = items(world, "school")
    assert undone.kind == "fire.self_check" and undone.org_name == world.S1.name
    assert undone.due == calendar.due(semester.end, 0)
    check = run_check(world, checked_on=today)
    [form] = items(world, "school")
    assert form.kind == "fire.signed_form" and form.due == check.form_due
    assert form.url == f"/fire/checks/{check.pk}/"
    services.fire_form_receive(check=check, upload=scan_pdf(), by=world.users["school"])
    assert items(world, "school") == []


def test_nobody_else_gets_the_schools_fire_todo(world, semester):
    for username in ("principal", "teacher", "guard", "centre", "bureau", "agency"):
        assert items(world, username) == [], username
    assert [t.org_name for t in items(world, "school3")] == [world.S3.name]


def test_the_todo_takes_the_same_queries_whatever_the_history(
    world, semester, django_assert_max_num_queries
):
    run_check(world, checked_on=timezone.localdate())
    with django_assert_max_num_queries(5):
        items(world, "school")
