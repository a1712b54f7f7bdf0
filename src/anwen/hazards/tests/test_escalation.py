"""Overdue hazards climb the ladder: the person responsible, the principal, the centre, the
bureau — each step once, each in the chronology, however often the tick runs."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from anwen.hazards import services
from anwen.workflow.models import Event


def _tick():
    call_command("tick", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output


@pytest.mark.day(date(2026, 11, 2))
def test_an_overdue_hazard_escalates_once_per_step_when_the_tick_runs_twice(
    world, raise_hazard, announced
):
    hazard = raise_hazard()
    services.hazard_assign(
        hazard=hazard,
        by=world.users["school"],
        responsible=world.people["teacher"],
        deadline=date(2026, 11, 10),
    )
    announced.clear()
    with time_machine.travel("2026-11-08 09:00 +0800"):
        _tick()
        _tick()
    assert [name for _key, name in announced] == ["teacher"]  # reminded once
    assert Event.objects.filter(name="reminded").count() == 1

    with time_machine.travel("2026-11-11 09:00 +0800"):  # one day late
        _tick()
        _tick()
    steps = list(Event.objects.filter(name="escalated").values_list("data__step", flat=True))
    assert steps == [1]

    with time_machine.travel("2026-11-20 09:00 +0800"):  # ten days late: all the way up
        _tick()
        _tick()
    steps = list(Event.objects.filter(name="escalated").values_list("data__step", flat=True))
    assert steps == [1, 2, 3, 4]
    names = [name for _key, name in announced]
    assert names.count("principal") == 1
    assert names.count("centre") == 1
    assert names.count("bureau") == 1
    assert "centre2" not in names
    assert len(announced) == len(set(announced))
    hazard.refresh_from_db()
    assert hazard.escalation == 4


@pytest.mark.day(date(2026, 11, 2))
def test_a_step_claimed_by_another_run_is_not_taken_again(world, raise_hazard, announced):
    hazard = raise_hazard()
    services.hazard_assign(
        hazard=hazard,
        by=world.users["school"],
        responsible=world.people["teacher"],
        deadline=date(2026, 11, 10),
    )
    with time_machine.travel("2026-11-11 09:00 +0800"):
        # A run killed after claiming nothing left no trace; a stale object changes nothing.
        assert services._escalate(hazard, 1) is True
        assert services._escalate(hazard, 1) is False
        assert services.escalate_overdue()["escalated"] == 0
    assert Event.objects.filter(name="escalated").count() == 1


@pytest.mark.req("PL6")
@pytest.mark.day(date(2026, 11, 2))
def test_escalation_run_twice_queues_each_notice_once_per_person_and_channel(world, raise_hazard):
    from anwen.outbox.models import Delivery, Notice

    hazard = raise_hazard()
    services.hazard_assign(
        hazard=hazard,
        by=world.users["school"],
        responsible=world.people["teacher"],
        deadline=date(2026, 11, 10),
    )
    with time_machine.travel("2026-11-20 09:00 +0800"):
        services.escalate_overdue()
        services.escalate_overdue()
        _tick()
    escalations = Notice.objects.filter(key__startswith=f"hazard:{hazard.pk}:event:")
    deliveries = Delivery.objects.filter(notice__in=escalations)
    pairs = list(deliveries.values_list("notice_id", "user__username", "channel"))
    assert len(pairs) == len(set(pairs))
    users = set(deliveries.values_list("user__username", flat=True))
    assert {"teacher", "principal", "centre", "bureau"} <= users
    assert "centre2" not in users and "school3" not in users
