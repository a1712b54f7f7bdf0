"""Each morning the night's rounds are judged: complete, late, partial or missed. A flagged
round reaches the school's safety officer, who acknowledges it; complete and late rounds count
towards the nightly-patrol obligation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anwen import calendar
from anwen.audit.models import AuditEvent
from anwen.obligations.models import Record
from anwen.patrol import services, todo
from anwen.patrol.models import Round, RoundStatus
from anwen.patrol.tasks import evaluate_patrol_rounds
from anwen.patrol.tests.conftest import NIGHT, at, day_round

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM3.4")]

MORNING = NIGHT + timedelta(days=1)
JUDGED = at(MORNING, 8, 1)


def scan(world, point, moment):
    return services.scan_record(checkpoint=point, by=world.users["guard"], at=moment)[0]


def judge():
    return services.rounds_evaluate(night=NIGHT, now=JUDGED)


def test_all_points_within_the_hours_make_a_complete_round(world, campus):
    a, b, c = campus.points
    scan(world, a, at(NIGHT, 22, 10))
    scan(world, b, at(MORNING, 1, 30))
    scan(world, c, at(MORNING, 6, 20))  # within the 30 minutes' grace
    [patrol_round] = judge()
    assert patrol_round.status == RoundStatus.COMPLETE
    assert (patrol_round.scanned_count, patrol_round.missing_count) == (3, 0)
    record = Record.objects.get(kind="patrol.round")
    assert record.org == world.S1 and record.occurred_on == NIGHT and record.by is None
    assert record.source_id == str(patrol_round.pk)
    assert record.submitted_at < calendar.ends_at(NIGHT)  # on time for the night's period


def test_a_point_first_scanned_after_the_grace_makes_the_round_late(world, campus):
    a, b, c = campus.points
    scan(world, a, at(NIGHT, 22, 10))
    scan(world, b, at(NIGHT, 23, 0))
    scan(world, c, at(MORNING, 6, 45))
    [patrol_round] = judge()
    assert patrol_round.status == RoundStatus.LATE
    assert patrol_round.late_count == 1 and patrol_round.late_names == ["锅炉房"]
    record = Record.objects.get(kind="patrol.round")
    assert record.submitted_at >= calendar.ends_at(NIGHT + timedelta(days=1))


def test_a_point_not_scanned_makes_the_round_partial(world, campus):
    a, b, _c = campus.points
    scan(world, a, at(NIGHT, 22, 10))
    scan(world, b, at(NIGHT, 23, 0))
    scan(world, _c, at(MORNING, 8, 30))  # after the round was judged: counts for nothing
    [patrol_round] = judge()
    assert patrol_round.status == RoundStatus.PARTIAL
    assert patrol_round.missing_names == ["锅炉房"] and patrol_round.missing_count == 1
    assert not Record.objects.filter(kind="patrol.round").exists()


def test_no_scan_at_all_is_a_missed_round(world, campus):
    scan(world, campus.points[0], at(NIGHT, 21, 30))  # before the round starts
    [patrol_round] = judge()
    assert patrol_round.status == RoundStatus.MISSED
    assert patrol_round.scanned_count == 0 and patrol_round.missing_count == 3
    assert not Record.objects.filter(kind="patrol.round").exists()


def test_a_round_is_not_judged_before_its_morning_cut_off(world, campus):
    assert services.rounds_evaluate(night=NIGHT, now=at(MORNING, 7, 30)) == []
    assert not Round.objects.exists()


def test_nights_before_the_schedule_was_in_use_are_not_judged(world, campus):
    before = campus.schedule.starts_on - timedelta(days=1)
    assert services.rounds_evaluate(night=before, now=JUDGED) == []


@pytest.mark.parametrize("first", ["complete", "missed", "late", "partial"])
def test_judging_twice_changes_nothing(world, campus, first):
    a, b, c = campus.points
    moments = {
        "complete": [at(NIGHT, 22, 5)] * 3,
        "late": [at(NIGHT, 22, 5), at(NIGHT, 22, 6), at(MORNING, 7, 0)],
        "partial": [at(NIGHT, 22, 5)],
        "missed": [],
    }[first]
    for point, moment in zip(campus.points, moments, strict=False):
        scan(world, point, moment)
    assert len(judge()) == 1
    counts = (
        Round.objects.count(),
        Record.objects.count(),
        AuditEvent.objects.filter(action="patrol.round.evaluated").count(),
    )
    assert judge() == []
    assert (
        Round.objects.count(),
        Record.objects.count(),
        AuditEvent.objects.filter(action="patrol.round.evaluated").count(),
    ) == counts
    assert Round.objects.get().status == first


def test_the_morning_task_judges_last_night_once(world):
    # A daytime round judged at noon: last night's has closed whatever the hour of the test.
    day_round(world, starts_on=timezone.localdate() - timedelta(days=2))
    first = evaluate_patrol_rounds.enqueue().return_value
    assert sum(first["judged"].values()) == 2  # last night and the one before, nobody walked
    second = evaluate_patrol_rounds.enqueue().return_value
    assert sum(second["judged"].values()) == 0
    assert Round.objects.filter(status=RoundStatus.MISSED).count() == 2


def _flagged(user, today=MORNING):
    return [t for t in todo.waiting_on(user, today=today) if t.kind.startswith("patrol.round_")]


def test_a_flagged_round_waits_on_the_safety_officer_and_principal_only(world, campus):
    scan(world, campus.points[0], at(NIGHT, 22, 30))
    [patrol_round] = judge()
    [item] = _flagged(world.users["school"])
    assert item.kind == "patrol.round_partial" and item.org_name == world.S1.name
    assert item.url == f"/patrol/rounds/{patrol_round.pk}/"
    assert "2" in item.title and "学生宿舍一楼" in item.detail and "锅炉房" in item.detail
    assert item.due == calendar.due(NIGHT, todo.ACKNOWLEDGE_RULE)
    assert len(_flagged(world.users["principal"])) == 1
    for other in ("teacher", "guard", "school3", "centre", "bureau", "other_school"):
        assert _flagged(world.users[other]) == [], other


def test_acknowledging_clears_the_todo_and_is_audited(world, login, campus):
    [patrol_round] = judge()
    client = login(world.users["school"])
    page = client.get(f"/patrol/rounds/{patrol_round.pk}/").content.decode()
    assert "acknowledge" in page
    response = client.post(
        f"/patrol/rounds/{patrol_round.pk}/acknowledge/", {"note": "已约谈当班保安"}
    )
    assert response.status_code == 302
    patrol_round.refresh_from_db()
    assert patrol_round.acknowledged_by == world.users["school"]
    assert patrol_round.acknowledge_note == "已约谈当班保安"
    assert _flagged(world.users["school"]) == []
    assert AuditEvent.objects.filter(
        action="patrol.round.acknowledged", object_id=str(patrol_round.pk)
    ).exists()
    again = client.post(f"/patrol/rounds/{patrol_round.pk}/acknowledge/", {"note": ""})
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="patrol.round.acknowledged").count() == 1


def test_a_guard_or_another_school_cannot_acknowledge(world, login, campus):
    [patrol_round] = judge()
    for username in ("guard", "teacher", "school3", "centre"):
        response = login(world.users[username]).post(
            f"/patrol/rounds/{patrol_round.pk}/acknowledge/", {"note": "x"}
        )
        assert response.status_code == 404, username
    patrol_round.refresh_from_db()
    assert patrol_round.acknowledged_at is None


def test_the_guard_finds_tonights_round_in_the_inbox_until_it_is_walked(world, campus):
    def tonight():
        return [
            t
            for t in todo.waiting_on(world.users["guard"], today=NIGHT)
            if t.kind == "patrol.tonight"
        ]

    [item] = tonight()
    assert item.due == NIGHT and not item.done and "夜间巡更" in item.title
    for point in campus.points:
        scan(world, point, at(NIGHT, 22, 40))
    [item] = tonight()
    assert item.done
    assert [t for t in todo.waiting_on(world.users["teacher"], today=NIGHT)] == []


def test_the_todo_needs_the_same_queries_whatever_the_history(
    world, campus, django_assert_max_num_queries
):
    for days in range(1, 30):
        services.rounds_evaluate(night=NIGHT - timedelta(days=days), now=JUDGED)
    with django_assert_max_num_queries(6):
        todo.waiting_on(world.users["school"], today=MORNING)
    with django_assert_max_num_queries(6):
        todo.waiting_on(world.users["guard"], today=MORNING)


@pytest.mark.parametrize("due_days", [0, 1])
def test_the_nightly_patrol_obligation_counts_complete_on_time_and_late_late(
    world, campus, due_days
):
    from anwen.obligations import services as obligations
    from anwen.obligations.models import Obligation, Period

    plan = obligations.plan_load(owner=world.B1, starts_on=NIGHT - timedelta(days=3))
    Obligation.objects.filter(plan=plan, record_kind="patrol.round").update(due_days=due_days)
    obligations.ensure_periods(through=NIGHT + timedelta(days=2))
    a, b, c = campus.points
    for point in campus.points:  # a complete round on NIGHT
        scan(world, point, at(NIGHT, 22, 30))
    judge()
    late_night = NIGHT + timedelta(days=1)
    scan(world, a, at(late_night, 22, 30))
    scan(world, b, at(late_night, 22, 40))
    scan(world, c, at(late_night + timedelta(days=1), 7, 0))  # after 06:30
    [late] = services.rounds_evaluate(
        night=late_night, now=at(late_night, 23, 0) + timedelta(days=1)
    )
    assert late.status == RoundStatus.LATE
    periods = Period.objects.filter(obligation__record_kind="patrol.round", org=world.S1)
    on_time = dict(periods.filter(start__in=[NIGHT, late_night]).values_list("start", "on_time"))
    assert on_time == {NIGHT: True, late_night: False}
