import pytest
from django.core.management import call_command

from anwen.web.schedule import PERIODIC_TASKS

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL3")]


def test_tick_enqueues_every_periodic_task_and_a_second_tick_is_harmless(capsys):
    call_command("tick")
    first = capsys.readouterr().out
    for task in PERIODIC_TASKS:
        assert task.name in first
    # The test settings run tasks at once: each one finished.
    assert first.count("SUCCESSFUL") == len(PERIODIC_TASKS)
    call_command("tick")
    assert capsys.readouterr().out.count(PERIODIC_TASKS[0].name) == 1
