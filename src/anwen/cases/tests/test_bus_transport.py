"""Illegal school transport (黑校车, SM8.5) through the pages: a school registers a report (where,
when, plate, what was seen, the reporter), verifies it, hands it to police and transport and
closes it; the notices sent to parents are steps in its chronology, counted on the case."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.cases.models import Case
from anwen.outbox.models import Notice
from anwen.workflow.models import Event, Timer

from .hidden import page, register, step

TZ = timezone.get_default_timezone()
REPORTER = "赵家长"
PHONE = "13700001234"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def report(client, world, **extra) -> Case:
    fields = {
        "channel": "parent",
        "received_at": "2026-11-02T09:00",
        "name": REPORTER,
        "phone": PHONE,
        "subject": "面包车在青峰镇场口接送学生",
        "content": "一辆白色面包车早上7点在场口接送约12名小学生，明显超员。",
        "place": "青峰镇场口公交站",
        "seen_at": "2026-11-02T07:10",
        "plate": "渝B·7K321",
        "vehicle": "白色五菱面包车",
        "students": "12",
        **extra,
    }
    return register(client, "transport", world.orgs["S1"], **fields)


@pytest.mark.req("SM8.5")
def test_a_report_is_verified_handed_to_police_and_transport_with_parent_notices(
    client, login, world
):
    with time_machine.travel(at(11, 2, 10), tick=False):
        login(world.users["school"])
        case = report(client, world)
        assert case.number == "HC-2026-0001" and case.state == "reported"
        assert case.details["plate"] == "渝B·7K321" and case.details["students"] == 12
        assert case.details["place"] == "青峰镇场口公交站"
        assert case.people == {"name": REPORTER, "phone": PHONE}
        timer = Timer.objects.get(record_type="cases.transport", record_id=case.pk, name="verify")
        assert timer.due_at == at(11, 3, 9)  # 24 hours from receipt (plan rule)

        step(client, case, "verify", note="校长到场核实，属实")
        case.refresh_from_db()
        assert case.state == "verified"
        step(
            client,
            case,
            "hand_over",
            handed_to=["police", "transport"],
            handed_on="2026-11-02",
            receipt="永交巡〔2026〕77",
        )
        case.refresh_from_db()
        assert case.state == "handed_over"
        assert case.details["handed_to"] == ["police", "transport"]

        text = "近期发现非法营运车辆接送学生，请家长严禁租用无资质车辆。"
        step(
            client,
            case,
            "notify_parents",
            sent_on="2026-11-02",
            channel="wechat",
            reached="310",
            note=text,
        )
        step(
            client,
            case,
            "notify_parents",
            sent_on="2026-11-02",
            channel="letter",
            reached="95",
            note="告家长书",
        )
        case.refresh_from_db()
        assert case.state == "handed_over"  # a notice keeps the stage
        assert case.details["notices"] == 2 and case.details["parents_reached"] == 405
        assert [n["channel"] for n in case.details["parent_notices"]] == ["wechat", "letter"]
        events = Event.objects.filter(record_type="cases.transport", record_id=case.pk)
        assert events.filter(name="notify_parents").count() == 2
        body = page(client, case)
        assert text in body and "405" in body  # the notice's text is in the chronology

        step(client, case, "close", result="penalised", note="交警已查处")
        case.refresh_from_db()
        assert case.state == "closed" and case.closed and case.details["result"] == "penalised"


@pytest.mark.req("SM8.5")
def test_the_centre_sees_the_report_and_the_reporter_never_leaves_the_case(client, login, world):
    with time_machine.travel(at(11, 2, 10), tick=False):
        login(world.users["school"])
        case = report(client, world)
        login(world.users["centre"])
        body = page(client, case)  # an open type: the centre reads it to act on it
        assert "渝B·7K321" in body
        # Notices name the type and number only; the audit trail holds no name or phone.
        for notice in Notice.objects.all():
            assert REPORTER not in str(notice.__dict__) and PHONE not in str(notice.__dict__)
        for entry in AuditEvent.objects.all():
            assert REPORTER not in str(entry.__dict__) and PHONE not in str(entry.__dict__)


def test_another_districts_user_gets_404_and_writes_nothing(client, login, world):
    with time_machine.travel(at(11, 2, 10), tick=False):
        login(world.users["school"])
        case = report(client, world)
        login(world.users["other_school"])
        assert client.get(f"/cases/{case.pk}/").status_code == 404
        response = step(
            client,
            case,
            "notify_parents",
            sent_on="2026-11-02",
            channel="sms",
            reached="5",
            note="x",
        )
        assert response.status_code == 404
        case.refresh_from_db()
        assert "notices" not in case.details and case.state == "reported"


def test_bad_input_gets_a_message_and_writes_nothing(client, login, world):
    with time_machine.travel(at(11, 2, 10), tick=False):
        login(world.users["school"])
        response = client.post(
            "/cases/new/transport/",
            {
                "org": str(world.orgs["S1"].pk),
                "once": "x",
                "channel": "parent",
                "received_at": "2026-11-02T09:00",
                "subject": "面包车接送学生",
                "place": "场口",
                "seen_at": "2026-11-03T07:00",  # after the report, in the future
                "students": "-3",
            },
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "未来" in text  # "It cannot have been seen in the future.", translated
        assert not Case.objects.filter(type="transport").exists()

        case = report(client, world)
        response = step(
            client,
            case,
            "notify_parents",
            sent_on="2026-11-05",
            channel="sms",
            reached="5",
            note="x",
        )
        assert response.status_code == 302
        response = step(
            client,
            case,
            "notify_parents",
            sent_on="2026-11-01",
            channel="sms",
            reached="5",
            note="x",
        )
        response = step(
            client,
            case,
            "notify_parents",
            sent_on="2026-11-02",
            channel="sms",
            reached="0",
            note="x",
        )
        case.refresh_from_db()
        assert "notices" not in case.details
        assert not Event.objects.filter(record_id=case.pk, name="notify_parents").exists()
        # hand_over only once verified
        response = step(client, case, "hand_over", handed_to=["police"], handed_on="2026-11-02")
        case.refresh_from_db()
        assert case.state == "reported"


@pytest.mark.django_db
@pytest.mark.day(date(2026, 11, 20))
def test_the_demo_has_a_year_of_reports_with_parent_notices():
    import random

    from anwen.cases import demo_types
    from anwen.demo.district import build_district

    district = build_district(schools=12, seed=7)
    cast = demo_types._cast(district.bureau, random.Random(3))
    assert cast is not None
    demo_types._transport(cast, timezone.localdate())
    cases = Case.objects.filter(type="transport")
    assert 4 <= cases.count() <= 10
    assert cases.filter(state="closed", details__result="not_confirmed").exists()
    told = cases.filter(details__notices__gte=1)
    assert told.exists() and all(c.details["parents_reached"] > 0 for c in told)
    assert cases.filter(closed=False).exists()  # the latest one is still being verified
    now = timezone.now()
    assert not Event.objects.filter(record_type="cases.transport", at__gt=now).exists()
