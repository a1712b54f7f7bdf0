"""The workflow engine, on the hazard declaration (any record type declares the same way)."""

import pytest
from django.db import connection
from django.utils import translation

from anwen.hazards.lifecycle import HAZARD
from anwen.hazards.models import Hazard, HazardState
from anwen.hazards.services import hazard_raise
from anwen.testing.concurrency import post_at_once
from anwen.workflow import engine
from anwen.workflow.engine import Transition, Workflow, WorkflowError
from anwen.workflow.models import Event


def _hazard(world) -> Hazard:
    return hazard_raise(org=world.S1, source="self", title="围墙开裂", by=world.users["school"])


def test_an_illegal_move_is_refused_with_a_sentence_and_writes_nothing(world):
    hazard = _hazard(world)
    before = Event.objects.count()
    with translation.override("zh-hans"), pytest.raises(WorkflowError) as refused:
        engine.fire(HAZARD, hazard, "verify", by=world.users["principal"])
    message = str(refused.value)
    assert "隐患" in message and "已上报" in message
    assert Event.objects.count() == before
    hazard.refresh_from_db()
    assert hazard.state == HazardState.REPORTED


def test_a_person_the_declaration_does_not_allow_is_refused(world):
    hazard = _hazard(world)
    with pytest.raises(WorkflowError) as refused:
        engine.fire(HAZARD, hazard, "assign", by=world.users["teacher"])
    assert "may not" in str(refused.value) or "无权" in str(refused.value)


def test_every_transition_is_an_event_with_actor_states_and_note(world):
    hazard = _hazard(world)
    hazard.responsible = world.people["teacher"]
    hazard.save()
    event = engine.fire(HAZARD, hazard, "assign", by=world.users["school"], note="请本周完成")
    assert (event.from_state, event.to_state, event.actor, event.note) == (
        "reported",
        "assigned",
        world.users["school"],
        "请本周完成",
    )
    assert event.data["clock_started"] == "rectify"
    assert [e.name for e in engine.chronology(HAZARD, hazard)] == ["created", "assign"]


def test_a_keyed_step_is_written_once(world):
    hazard = _hazard(world)
    first = engine.note_step(HAZARD, hazard, "escalated", key="escalate:1")
    second = engine.note_step(HAZARD, hazard, "escalated", key="escalate:1")
    assert first is not None and second is None
    assert Event.objects.filter(name="escalated").count() == 1


def test_a_declaration_with_an_unknown_state_is_refused_at_start_up():
    with pytest.raises(ValueError):
        Workflow(
            code="t.t",
            model="hazards.Hazard",
            noun="t",
            states=HazardState,
            initial="reported",
            transitions=(Transition("x", "x", source=["nowhere"], target="closed"),),
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_verifications_at_once_close_the_hazard_once(world):
    from anwen.evidence.services import evidence_store
    from anwen.hazards import services

    from .conftest import photo_upload

    hazard = _hazard(world)
    services.hazard_assign(
        hazard=hazard, by=world.users["school"], responsible=world.people["teacher"]
    )
    services.hazard_start(hazard=hazard, by=world.users["teacher"])
    photo = evidence_store(upload=photo_upload(), org=world.S1, by=world.users["teacher"])
    services.hazard_submit_fix(hazard=hazard, by=world.users["teacher"], note="", photos=[photo])
    statuses = post_at_once(
        world.users["principal"], f"/hazards/{hazard.pk}/verify/", {"note": "ok"}
    )
    assert set(statuses) == {302}
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CLOSED
    assert Event.objects.filter(record_id=hazard.pk, name="verify").count() == 1
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_a_step_written_as_of_a_past_moment_is_dated_then():
    """History (the demo's year, an import of steps taken elsewhere) goes through the same
    engine, dated and counted from the moment the step happened."""
    from datetime import datetime

    from django.utils import timezone

    from anwen.workflow import moment

    past = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_default_timezone())
    with moment.as_of(past):
        assert moment.now() == past
        assert moment.today().isoformat() == "2026-03-02"
    assert moment.now() != past
    with pytest.raises(ValueError):
        with moment.as_of(datetime(2026, 3, 2, 9, 30)):  # noqa: DTZ001 - the refused case
            pass
