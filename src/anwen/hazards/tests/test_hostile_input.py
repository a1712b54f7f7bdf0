"""What a hostile or careless user tried on the hazard pages (attack review of issue 8), and
what they get: a message, never a 500, nothing written that should not be."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone

from anwen.evidence.models import EvidenceFile
from anwen.hazards.models import Hazard, HazardState
from anwen.hazards.tests.conftest import photo_upload
from anwen.orgs.models import Person, RoleAssignment
from anwen.outbox.models import Delivery
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import log_in
from anwen.workflow.models import Event


def _token(page: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _step(client, hazard, name: str, data: dict | None = None, **files):
    """Post a step as the page offers it; a step the page does not offer (the person may not
    take it) is posted as a crafted request with a fresh token."""
    from anwen.once.tokens import new_token

    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    token = _token(page) if 'name="once"' in page else new_token()
    return client.post(f"/hazards/{hazard.pk}/{name}/", {"once": token, **(data or {}), **files})


def _rectifying(world, login, raise_hazard, responsible="teacher"):
    """A hazard at S1 assigned to `responsible`, rectification started."""
    from anwen.hazards import services

    hazard = raise_hazard()
    services.hazard_assign(
        hazard=hazard, by=world.users["school"], responsible=world.people[responsible]
    )
    services.hazard_start(hazard=hazard, by=world.users["school"])
    return hazard


@pytest.mark.parametrize("how", ["deactivated", "moved to another school"])
def test_a_responsible_person_who_left_the_school_no_longer_fixes_nor_hears_of_it(
    world, login, raise_hazard, how
):
    """Named responsible, then gone (deactivated, or moved to S3 with their role): their
    account still works, but the hazard is no longer theirs to fix — the submit is refused
    (or not found), no photo lands in S1's files, the inbox drops it and an overdue notice
    goes to the school's managers instead."""
    from anwen.hazards import services

    hazard = _rectifying(world, login, raise_hazard)
    teacher = world.users["teacher"]
    client = login(teacher)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f"/hazards/{hazard.pk}/submit/" in page  # theirs while on the staff
    token = _token(page)
    person = world.people["teacher"]
    if how == "deactivated":
        Person.objects.filter(pk=person.pk).update(is_active=False)
    else:
        Person.objects.filter(pk=person.pk).update(org=world.S3)
        RoleAssignment.objects.filter(user=teacher).update(org=world.S3)
    files_before, events_before = EvidenceFile.objects.count(), Event.objects.count()

    response = client.post(
        f"/hazards/{hazard.pk}/submit/",
        {"once": token, "note": "修好了", "photos": photo_upload()},
    )

    assert response.status_code in (302, 404)  # 404 once the page itself is closed to them
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING and hazard.fixed_by is None
    assert EvidenceFile.objects.count() == files_before
    assert Event.objects.count() == events_before
    assert f"/hazards/{hazard.pk}/" not in client.get("/inbox/").content.decode()
    # Overdue: the first step of the ladder reaches the school, not the one who left.
    today = timezone.localdate()
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today - timedelta(days=1))
    services.escalate_overdue(today=today)
    escalated = Event.objects.get(record_id=hazard.pk, name="escalated")
    told = set(
        Delivery.objects.filter(notice__key=f"hazard:{hazard.pk}:event:{escalated.pk}").values_list(
            "user__username", flat=True
        )
    )
    assert told and "teacher" not in told and told <= {"principal", "school"}


def test_a_megabyte_of_measures_or_plan_is_refused_with_a_message(world, login, raise_hazard):
    """A pasted document (1 MB) in "measures" or a part of the plan: refused with the length
    limit, nothing saved (it would not fit an Excel cell of the measure list either)."""
    hazard = raise_hazard(grade="major")
    client = login(world.users["school"])
    huge = "隐" * 350_000
    response = _step(
        client,
        hazard,
        "assign",
        {"responsible": world.people["teacher"].pk, "grade": "major", "category": "fire",
         "measures": huge},
    )  # fmt: skip
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.REPORTED and hazard.measures == ""
    shown = _messages(client.get(f"/hazards/{hazard.pk}/"))
    assert any("4000" in m for m in shown), shown

    response = _step(
        client,
        hazard,
        "plan",
        {"goal": huge, "plan_measures": "m", "funds": "f", "people": "p",
         "time_limit": "2026-12-30", "interim": "i"},
    )  # fmt: skip
    hazard.refresh_from_db()
    assert hazard.plan_goal == ""
    assert not Event.objects.filter(record_id=hazard.pk, name="plan").exists()


def test_a_bad_filter_value_is_named_and_drops_only_itself(world, login, raise_hazard):
    """`?grade=major&school=<another district's school>`: the grade still filters, the page
    says the school was ignored; the export of such a link hands out no sheet."""
    raise_hazard(title="重大隐患甲", grade="major")
    raise_hazard(title="一般隐患乙")
    client = login(world.users["bureau"])
    response = client.get(f"/hazards/?grade=major&school={world.S9.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "重大隐患甲" in page and "一般隐患乙" not in page
    assert any("学校" in m for m in _messages(response)), _messages(response)

    for fmt in ("xlsx", "problems", "measures"):
        response = client.get(f"/hazards/?grade=xx&format={fmt}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert _messages(response)
    # With valid filters the export is the filtered list.
    rows = sheet_rows(client.get("/hazards/?grade=major&format=problems"))
    cells = [str(c) for row in rows for c in row]
    assert any("重大隐患甲" in c for c in cells) and not any("一般隐患乙" in c for c in cells)


def test_the_measure_list_writes_the_fund_estimate_as_a_number(world, login, raise_hazard):
    from decimal import Decimal

    from anwen.hazards import services

    hazard = raise_hazard()
    services.hazard_assign(
        hazard=hazard,
        by=world.users["school"],
        responsible=world.people["teacher"],
        fund_estimate=Decimal("1200.50"),
    )
    rows = sheet_rows(login(world.users["school"]).get("/hazards/?format=measures"))
    assert any(1200.5 in row for row in rows), rows


ODD_QUERIES = [
    "grade=xx", "page=99999", "page=-1", "page=abc", "state=<script>alert(1)</script>",
    "school=abc", "school=99999999999999999999999", "school=-5", "centre=0",
    "centre=99999999999999999999", "overdue=maybe", "kind=%ff", "theme=" + "x" * 3000,
    "format=problems&school=-1", "format=measures&page=99999", "format=zzz",
]  # fmt: skip


@pytest.mark.parametrize("username", ["school", "centre", "bureau", "agency", "other_bureau"])
def test_odd_values_on_the_lists_the_map_and_the_bell_never_fail(
    world, login, raise_hazard, username
):
    raise_hazard()
    client = login(world.users[username])
    for query in ODD_QUERIES:
        response = client.get(f"/hazards/?{query}")
        assert response.status_code == 200, query
        if response["Content-Type"].startswith("text/html"):
            assert "<script>alert(1)" not in response.content.decode()
    for path in ("/maps/", "/maps/data.json", "/hazards/board/"):
        for query in ("layer=xx", "org=abc", "org=-1", "org=99999999999999999999"):
            assert client.get(f"{path}?{query}").status_code in (200, 404), (path, query)
    for path in (
        "/notifications/?page=99999",
        "/notifications/failed/?page=-1",
        "/maps/boundary/99999999999999999999.json",
        "/hazards/99999999999999999999/",
        "/hazards/99999999999999999999/verify/",
        "/notifications/99999999999999999999/read/",
    ):
        assert client.get(path).status_code in (200, 404, 405), path
        assert client.post(path).status_code in (200, 404, 405), path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_managers_closing_or_sending_back_one_fix_at_once_make_one_step(world):
    """Principal, safety officer, centre and bureau, each on the page, press verify or send
    back at the same moment (threads, each its own connection): one step happens, the others
    are refused with a message, every answer is the page again."""
    from anwen.evidence.services import evidence_store
    from anwen.hazards import services

    hazard = services.hazard_raise(
        org=world.S1, source="self", title="消防通道堵塞", by=world.users["school"]
    )
    services.hazard_assign(
        hazard=hazard, by=world.users["school"], responsible=world.people["teacher"]
    )
    services.hazard_start(hazard=hazard, by=world.users["teacher"])
    picture = evidence_store(upload=photo_upload(), org=world.S1, by=world.users["teacher"])
    services.hazard_submit_fix(
        hazard=hazard, by=world.users["teacher"], note="已清理", photos=[picture]
    )
    senders = []
    for i, name in enumerate(("principal", "school", "centre", "bureau")):
        client = Client()
        log_in(client, world.users[name])
        token = _token(client.get(f"/hazards/{hazard.pk}/").content.decode())
        senders.append((client, token, "verify" if i % 2 else "send_back"))
    barrier = threading.Barrier(len(senders))
    statuses: list[object] = []

    def send(client, token, step):
        try:
            barrier.wait()
            statuses.append(
                client.post(
                    f"/hazards/{hazard.pk}/{step}/", {"once": token, "note": "否"}
                ).status_code
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            statuses.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send, args=sender) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    steps = Event.objects.filter(record_id=hazard.pk, name__in=["verify", "send_back"])
    assert steps.count() == 1


def test_the_school_cannot_downgrade_a_major_hazard_the_centre_can(world, login, raise_hazard):
    """A major hazard goes to the centre and the bureau and is closed after their re-check: a
    school's assign form posted with grade=general would make all that vanish."""
    hazard = raise_hazard(title="教学楼墙体开裂", grade="major", category="building")
    data = {"responsible": world.people["teacher"].pk, "grade": "general", "category": "building"}
    school = login(world.users["school"])
    response = _step(school, hazard, "assign", data)
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.grade == "major" and hazard.state == HazardState.REPORTED
    assert any("重大隐患" in m for m in _messages(school.get(f"/hazards/{hazard.pk}/")))
    # Kept major, the school assigns it.
    _step(school, hazard, "assign", {**data, "grade": "major"})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.ASSIGNED
    # The centre above the school may judge it general after all.
    _step(login(world.users["centre"]), hazard, "assign", data)
    hazard.refresh_from_db()
    assert hazard.grade == "general"


def test_whoever_submitted_a_major_fix_does_not_recheck_it(world, login, raise_hazard):
    """The centre officer fixes (may_fix: they manage the school from above) and submits; the
    centre's re-check must then be someone else's."""
    from anwen.hazards import services

    hazard = raise_hazard(title="配电房漏雨", grade="major", category="electrical")
    centre = world.users["centre"]
    services.hazard_assign(hazard=hazard, by=centre, responsible=world.people["teacher"])
    services.hazard_plan(
        hazard=hazard, by=centre, goal="g", measures="m", funds="f", people="p",
        time_limit=hazard.deadline, interim="i",
    )  # fmt: skip
    services.hazard_start(hazard=hazard, by=centre)
    client = login(centre)
    _step(client, hazard, "submit", {"note": "已修"}, photos=photo_upload())
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED and hazard.fixed_by == centre
    response = _step(client, hazard, "recheck_centre", {"note": "合格"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.centre_rechecked_at is None
    assert not Event.objects.filter(record_id=hazard.pk, name="recheck_centre").exists()


def test_the_school_cannot_push_the_deadline_past_the_plans_rule(world, login, raise_hazard):
    """A school that types 2100-12-31 as the deadline would never fall overdue nor escalate:
    earlier than the plan's rule is the school's choice, later is the centre's."""
    hazard = raise_hazard()
    rule_due = hazard.deadline
    data = {"responsible": world.people["teacher"].pk, "grade": "general", "category": "fire"}
    school = login(world.users["school"])
    _step(school, hazard, "assign", {**data, "deadline": "2100-12-31"})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.REPORTED and hazard.deadline == rule_due
    shown = _messages(school.get(f"/hazards/{hazard.pk}/"))
    assert any(rule_due.isoformat() in m for m in shown), shown
    earlier = hazard.found_on + timedelta(days=3)
    _step(school, hazard, "assign", {**data, "deadline": earlier.isoformat()})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.ASSIGNED and hazard.deadline == earlier
    later = rule_due + timedelta(days=30)
    _step(login(world.users["centre"]), hazard, "assign", {**data, "deadline": later.isoformat()})
    hazard.refresh_from_db()
    assert hazard.deadline == later


def test_a_plans_time_limit_before_the_hazard_was_found_is_refused(world, login, raise_hazard):
    hazard = raise_hazard(grade="major")
    client = login(world.users["school"])
    _step(
        client,
        hazard,
        "plan",
        {"goal": "g", "plan_measures": "m", "funds": "f", "people": "p",
         "time_limit": "2000-01-01", "interim": "i"},
    )  # fmt: skip
    hazard.refresh_from_db()
    assert hazard.plan_time_limit is None
    assert not Event.objects.filter(record_id=hazard.pk, name="plan").exists()


def test_an_empty_or_non_image_report_says_what_is_missing(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["teacher"])
    response = client.post("/hazards/report/", {})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "errorlist" in response.content.decode()
    response = client.post(
        "/hazards/report/",
        {"title": "楼梯扶手松动", "category": "building", "school": world.S1.pk,
         "photos": SimpleUploadedFile("p.png", b"<html><script>alert(1)</script>")},
    )  # fmt: skip
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert not Hazard.objects.exists() and not EvidenceFile.objects.exists()
