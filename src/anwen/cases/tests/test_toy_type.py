"""A case type is a declaration: a toy type declared here, in the test, with its own stages, a
clock in hours, its own fields (one open, one confidential) and a step of its own, is driven
through the generic pages and the API — no view, url or template of its own."""

from datetime import datetime, timedelta

import pytest
from django import forms
from django.db import models
from django.utils import timezone

from anwen.audit import labels as audit_labels
from anwen.cases.models import Case
from anwen.cases.types import CaseType, Field, Step, register_type, unregister_type
from anwen.cases.who import may_handle, may_supervise
from anwen.once.tokens import new_token
from anwen.testing.world import api_key
from anwen.workflow import engine
from anwen.workflow.engine import Clock, Transition, Workflow

from .helpers import step

TZ = timezone.get_default_timezone()
DAY = datetime(2026, 10, 12, 10, tzinfo=TZ)
pytestmark = [pytest.mark.day(DAY)]


class ToyState(models.TextChoices):
    OPEN = "open", "Open toy"
    MENDED = "mended", "Mended toy"


def _score_change(case, data, user) -> list[str]:
    case.details = {**case.details, "score": data["score"]}
    return ["details"]


@pytest.fixture
def toy(monkeypatch):
    # The toy's workflow and its audit names go with the test, as its type does (the labels
    # of every workflow left registered must read in Chinese: audit/tests/test_labels.py).
    monkeypatch.setattr(engine, "_WORKFLOWS", dict(engine._WORKFLOWS))
    monkeypatch.setattr(audit_labels, "_STEPS", dict(audit_labels._STEPS))
    workflow = Workflow(
        code="cases.toy",
        model="cases.Case",
        noun="toy",
        states=ToyState,
        initial=ToyState.OPEN,
        clocks=(Clock("mend", lambda case, start: start + timedelta(hours=4), label="Mend by"),),
        starts=("mend",),
        transitions=(
            Transition(
                "poke",
                "Poke the handler",
                source=[ToyState.OPEN],
                target=None,
                allowed=may_supervise,
                note_required=True,
            ),
            Transition(
                "mend",
                "Mend it",
                source=[ToyState.OPEN],
                target=ToyState.MENDED,
                allowed=may_handle,
                stops="mend",
            ),
        ),
    )
    case_type = register_type(
        CaseType(
            code="toy",
            noun="toy",
            prefix="TOY",
            workflow=workflow,
            confidential=False,
            org_kinds=("bureau",),
            fields=(
                Field("colour", lambda: forms.CharField(label="Colour", max_length=20)),
                Field("shelf", lambda: forms.IntegerField(label="Shelf"), private=False),
            ),
            steps={
                "mend": Step(
                    fields={"score": lambda: forms.IntegerField(min_value=1, max_value=5)},
                    change=_score_change,
                )
            },
            subject_label="What broke",
            closed_states=(ToyState.MENDED,),
        )
    )
    yield case_type
    unregister_type("toy")


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}


def test_a_toy_type_runs_through_the_generic_pages_and_the_api(client, login, world, clerk, toy):
    login(clerk)
    assert client.get("/cases/new/toy/").status_code == 200
    response = client.post(
        "/cases/new/toy/",
        {
            "once": new_token(),
            "org": str(world.orgs["B1"].pk),
            "subject": "木马断腿",
            "content": "左前腿断了",
            "received_at": "2026-10-12T09:30",
            "colour": "红",
            "shelf": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    case = Case.objects.get(type="toy")
    assert case.number == "TOY-2026-0001" and case.state == "open"
    assert case.private == {"colour": "红"} and case.details == {"shelf": 3}
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Mend by" in page and "2026-10-12 14:00" in page  # a clock in hours
    assert "Mend it" in page and "木马断腿" in page
    listed = client.get("/cases/?type=toy").content.decode()
    assert case.number in listed

    # The supervisor pokes on the page; the first receiver mends it over the API.
    login(world.users["leader"])
    assert step(client, case, "poke", note="快修").status_code == 302
    auth = bearer(clerk)
    body = client.get(f"/api/v1/cases/{case.pk}", **auth).json()
    assert body["type"] == "toy" and body["mend_due"] == "2026-10-12"
    [mend_clock] = body["clocks"]
    assert mend_clock["in_hours"] is True
    due_at = datetime.fromisoformat(mend_clock["due_at"].replace("Z", "+00:00"))
    assert due_at == datetime(2026, 10, 12, 14, tzinfo=TZ)
    assert body["private"] == {"colour": "红"} and body["details"] == {"shelf": 3}
    mend = next(a for a in body["actions"] if a["name"] == "mend")
    assert [f["name"] for f in mend["fields"]] == ["score"]
    refused = client.post(
        f"/api/v1/cases/{case.pk}/actions/mend",
        {"values": {"score": 9}},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 422 and refused.json()["field"] == "score"
    done = client.post(
        f"/api/v1/cases/{case.pk}/actions/mend",
        {"values": {"score": 4}},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "mended" and done.json()["closed"] is True
    assert done.json()["details"] == {"shelf": 3, "score": 4}
    assert done.json()["actions"] == []
    rows = client.get("/api/v1/cases?type=toy", **auth).json()["items"]
    assert [r["number"] for r in rows] == [case.number]
    # An open type: whoever sees the case reads it (the bureau's officer, not a handler).
    seen = client.get(f"/api/v1/cases/{case.pk}", **bearer(world.users["bureau"])).json()
    assert seen["readable"] is True and seen["subject"] == "木马断腿"
    login(clerk)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Mended toy" in page and "Poke the handler" in page and "快修" in page


def test_the_toy_type_is_gone_when_unregistered(client, login, world, clerk):
    login(clerk)
    assert client.get("/cases/new/toy/").status_code == 404
