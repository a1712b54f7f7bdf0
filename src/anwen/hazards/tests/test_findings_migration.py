"""Findings recorded before the hazards engine (需整改, closed by nobody) become hazards."""

import importlib

import pytest
from django.apps import apps

from anwen.hazards.models import Hazard, HazardState
from anwen.inspections.models import Finding
from anwen.workflow.models import Event, Grant

migration = importlib.import_module("anwen.inspections.migrations.0004_findings_become_hazards")


@pytest.mark.req("OG2")
def test_existing_findings_become_hazards_once_with_their_first_event(world):
    from anwen.inspections import services as inspections

    inspections.standard_templates_load(owner=world.B1)
    joint = inspections.inspection_start(
        org=world.S1, purpose="joint", level="joint", by=world.users["bureau"], invited=[world.A1]
    )
    own = inspections.inspection_start(
        org=world.S3, purpose="office_weekly", level="self", by=world.users["school3"]
    )
    old = [
        Finding.objects.create(
            inspection=joint,
            org=world.S1,
            level="joint",
            category="交通安全",
            description="部分不符合要求，需整改",
            location="校门口",
        ),
        Finding.objects.create(
            inspection=own,
            org=world.S3,
            level="self",
            category="消防安全",
            description="部分不符合要求，需整改",
        ),
    ]
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # run again: nothing new
    assert Hazard.objects.count() == 2
    first = Hazard.objects.get(origin_id=old[0].pk)
    assert (first.source, first.category, first.state, first.place) == (
        "joint",
        "traffic",
        HazardState.REPORTED,
        "校门口",
    )
    assert first.deadline is not None
    second = Hazard.objects.get(origin_id=old[1].pk)
    assert (second.org, second.source, second.category) == (world.S3, "self", "fire")
    for finding in old:
        finding.refresh_from_db()
        assert finding.hazard_id is not None
    assert Event.objects.filter(name="created", record_id=first.pk).count() == 1
    assert Grant.objects.filter(record_id=first.pk, org=world.A1).exists()
