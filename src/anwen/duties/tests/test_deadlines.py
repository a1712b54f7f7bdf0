"""The letters and the five-in-place assessment fall due on the bureau's own deadlines (31 March
and its configuration), in the rhythm engine's figures as on the duties pages: the completion
board and the assessment must not count a letter signed in November as on time."""

from datetime import date

import pytest
from django.utils import timezone

from anwen.duties.services import letter_sign
from anwen.obligations.models import Period
from anwen.obligations.services import ensure_periods, plan_load
from anwen.obligations.tests.rules import plan_of, rules_post
from anwen.orgs.models import Position

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.1", "SM2.4")]


@pytest.fixture
def letter_period(world, library):
    today = timezone.localdate()
    plan_load(owner=world.B1, starts_on=date(today.year, 1, 1))
    teacher = world.people["teacher"]
    teacher.positions.add(Position.objects.get(code="class_teacher"))
    ensure_periods(through=today)
    return Period.objects.get(
        obligation__code="responsibility-letter",
        subject_id=teacher.pk,
        start=date(today.year, 1, 1),
    )


def test_the_letter_period_is_due_by_the_bureaus_deadline(world, letter_period):
    year = timezone.localdate().year
    assert letter_period.due == date(year, 3, 31)
    five = Period.objects.get(
        obligation__code="five-in-place", org=world.S1, start=date(year, 1, 1)
    )
    assert five.due == date(year, 11, 30)


@pytest.mark.day(date(2026, 11, 16))  # signed in November, after the default 31 March
def test_moving_the_deadline_moves_this_years_timeliness(world, letter_period, login):
    today = timezone.localdate()
    letter_sign(
        person=world.people["teacher"],
        year=today.year,
        by=world.users["teacher"],
        accepted=True,
        signature=world.people["teacher"].name,
    )
    letter_period.refresh_from_db()
    assert letter_period.done_at is not None and letter_period.on_time is False

    client = login(world.users["bureau"])
    plan = plan_of(world.B1, today.year)
    assert (
        client.post(
            f"/obligations/plan/{plan.pk}/rules/",
            rules_post(plan, **{"duties.letter_due": "12-31", "duties.five_due": "12-31"}),
        ).status_code
        == 302
    )
    letter_period.refresh_from_db()
    assert letter_period.due == date(today.year, 12, 31)
    assert letter_period.on_time is True
