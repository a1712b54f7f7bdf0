"""Helpers for the rhythm engine's tests: a plan for the test world's bureau, obligations made
in one line, and a subject provider ("tests.area") whose subjects a test sets by hand."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from anwen.obligations.models import Obligation, Plan
from anwen.obligations.registry import (
    Subject,
    SubjectProvider,
    register_subjects,
    unregister_subjects,
)


@pytest.fixture
def plan(world):
    # The fixtures' obligations start in 2026: the plan is 2026's (alone, it carries on after).
    return Plan.objects.create(owner=world.B1, code="test-plan", name="测试计划", year=2026)


@pytest.fixture
def make_obligation(plan):
    def make(
        code="gate-log",
        *,
        record_kind="routine.gate_log",
        frequency="daily",
        starts_on=date(2026, 10, 1),
        **fields,
    ):
        fields.setdefault("name", code)
        return Obligation.objects.create(
            plan=plan,
            code=code,
            record_kind=record_kind,
            frequency=frequency,
            starts_on=starts_on,
            **fields,
        )

    return make


class Areas:
    """The subjects the test provider reports: set `areas.items` to a list of Subject."""

    def __init__(self):
        self.items: list[Subject] = []
        self.calls = 0

    def __call__(self, org_ids):
        self.calls += 1
        wanted = set(org_ids)
        return [s for s in self.items if s.org_id in wanted]


@pytest.fixture
def areas():
    provider = Areas()
    register_subjects(SubjectProvider(code="tests.area", label="测试网格", subjects=provider))
    yield provider
    unregister_subjects("tests.area")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment on `day`, local time."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
