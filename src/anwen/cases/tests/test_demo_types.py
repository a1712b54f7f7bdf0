"""The demo's year of the other case types, written through the engine as of the moments they
happened: each type has cases, most finished, a few overdue and urged, the confidential ones
read by their named handlers only, no minor named on an open face, nothing dated after now."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from anwen.cases import demo, demo_types
from anwen.cases.models import Case
from anwen.cases.types import case_types
from anwen.cases.who import GRANTS, HANDLER
from anwen.demo.district import build_district
from anwen.workflow.models import Event, Grant, Timer

# A fixed day, so the same seed tells the same year (the demo itself runs on any day: its
# stories are placed relative to today).
pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 11, 20))]

TYPES = ["dispute", "opinion", "threat", "incident", "bullying", "care", "keyperson", "clue"]
TYPES += ["fraud"]


@pytest.fixture
def district():
    district = build_district(schools=12, seed=7)
    demo.load_demo(bureau=district.bureau, today=timezone.localdate(), rng=random.Random(3))
    return district


def _workflow(code: str) -> str:
    return case_types()[code].workflow.code


def test_a_year_of_every_other_type_through_the_engine(district):
    """Each type has cases, most finished in time, a few overdue and urged; they take their
    types' own steps; no minor named on an open face; each step dated when it happened."""
    _most_finished_some_overdue(district)
    _their_types_steps()
    _no_minor_named_on_an_open_face()
    _dated_in_order_never_after_now()


def _most_finished_some_overdue(district):
    now = timezone.now()
    school = district.accounts["school"]
    for code in TYPES:
        cases = Case.objects.filter(type=code)
        assert 4 <= cases.count() <= 40, code
        # At the demo school, its centre or the bureau, registered by the demo accounts.
        assert set(cases.values_list("created_by__username", flat=True)) <= {
            "school",
            "principal",
            "centre",
            "bureau",
        }, code
        assert cases.filter(created_by=school).exists(), code
        assert cases.filter(closed=True).exists(), code
        assert cases.filter(closed=False).exists(), code
        clocks = Timer.objects.filter(record_type=_workflow(code), duty=True)
        stopped = clocks.filter(stopped_at__isnull=False)
        assert stopped.filter(on_time=True).count() >= stopped.count() * 0.75, code
        if code == "threat":
            continue
        late = clocks.filter(stopped_at__isnull=True, paused_at__isnull=True, due_at__lt=now)
        assert late.exists(), code
        # Left overdue, and the supervisor urged it.
        assert Event.objects.filter(
            record_type=_workflow(code), record_id__in=late.values("record_id"), name="urge"
        ).exists(), code
    # A threat nobody acknowledged within the hour climbed the engine's ladder to the
    # centre, and was acknowledged late.
    assert Event.objects.filter(record_type="cases.threat", name="escalated").exists()
    assert Timer.objects.filter(record_type="cases.threat", on_time=False).exists()


def _their_types_steps():
    def fired(code: str, name: str) -> bool:
        return Event.objects.filter(record_type=_workflow(code), name=name).exists()

    assert fired("dispute", "escalate") and fired("dispute", "take_measures")
    assert fired("opinion", "answer") and fired("opinion", "close")
    assert fired("threat", "report_police") and fired("threat", "take_charge")
    assert fired("incident", "settle") and fired("incident", "progress")
    assert fired("bullying", "appeal") and fired("bullying", "review_answer")
    assert fired("bullying", "approve_not_bullying") and fired("bullying", "follow_up")
    assert fired("care", "care_action") and fired("care", "attention")
    assert fired("keyperson", "police_feedback") and fired("clue", "hand_to_police")
    assert fired("clue", "unfounded") and fired("fraud", "report_police")
    assert Case.objects.filter(type="fraud", details__result="prevented").exists()


def _no_minor_named_on_an_open_face():
    names = [s + g for s in demo_types.SURNAMES for g in demo_types.CHILD]
    for case in Case.objects.filter(type__in=TYPES):
        face = str(case.details)
        if not case_types()[case.type].confidential:
            face += case.subject + case.content + str(case.people)
        assert not any(name in face for name in names), case.number
    notes = Event.objects.filter(record_type__in=[_workflow(c) for c in TYPES])
    assert not any(name in note for note in notes.values_list("note", flat=True) for name in names)


def _dated_in_order_never_after_now():
    now = timezone.now()
    codes = [_workflow(c) for c in TYPES]
    assert not Event.objects.filter(record_type__in=codes, at__gt=now).exists()
    for case in Case.objects.filter(type__in=TYPES):
        moments = list(
            Event.objects.filter(record_type=_workflow(case.type), record_id=case.pk)
            .order_by("pk")
            .values_list("at", flat=True)
        )
        assert moments == sorted(moments) and moments[0] == case.received_at, case.number
        assert case.received_at.date() >= timezone.localdate() - timedelta(days=366)
    # The year is spread: cases from the last quarter and from before the last half year.
    first = Case.objects.filter(type__in=TYPES).order_by("received_at").first()
    assert (now - first.received_at).days > 300


def test_confidential_cases_are_read_by_their_named_handlers(district, login):
    accounts = district.accounts

    def handlers(case) -> set[str]:
        return set(
            Grant.objects.filter(
                record_type=GRANTS, record_id=case.pk, reason=HANDLER, user__isnull=False
            ).values_list("user__username", flat=True)
        )

    confidential = [c for c in TYPES if case_types()[c].confidential]
    assert set(confidential) == {"threat", "bullying", "care", "keyperson", "clue", "fraud"}
    for case in Case.objects.filter(type__in=confidential):
        assert case.created_by.username in handlers(case), case.number
    # The principal sits on every bullying report's governance body; the carer on each care
    # record; the police officer on the key persons and clues shared with the police.
    assert all("principal" in handlers(c) for c in Case.objects.filter(type="bullying"))
    named = Case.objects.filter(type="care", received_at__lt=timezone.now() - timedelta(days=3))
    assert named and all("teacher" in handlers(c) for c in named)
    shared = Event.objects.filter(
        name__in=["share_police", "hand_to_police"],
        record_type__in=["cases.keyperson", "cases.clue"],
    ).values_list("record_id", flat=True)
    assert shared and all("agency" in handlers(Case.objects.get(pk=pk)) for pk in shared)
    # A care record's page, to the leader who supervises but is no named handler of it,
    # shows that it exists and not who is on the roster.
    record = Case.objects.filter(type="care").first()
    assert "leader" not in handlers(record)
    page = login(accounts["leader"]).get(f"/cases/{record.pk}/")
    assert page.status_code == 200
    assert record.number in page.content.decode()
    assert record.subject not in page.content.decode()
