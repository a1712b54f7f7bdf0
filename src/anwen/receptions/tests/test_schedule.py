"""The leaders' reception schedule (PS1.5): planned by the petitions office or a leader, held
or cancelled, seen by those who keep it and nobody else."""

from datetime import date, time

import pytest

from anwen.audit.models import AuditEvent
from anwen.once.tokens import new_token
from anwen.receptions.models import Reception, ReceptionKind, ReceptionStatus
from anwen.receptions.services import reception_plan

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]


def _plan(world, **kw) -> Reception:
    values = {
        "bureau": world.B1,
        "leader": world.users["leader"],
        "kind": ReceptionKind.RECEPTION_DAY,
        "on": date(2026, 12, 10),
        "at": time(9, 0),
        "place": "区教委信访接待室",
        "topic": "学位安排",
        "by": world.users["bureau"],
    }
    values.update(kw)
    return reception_plan(**values)


def _form(world, **kw) -> dict:
    data = {
        "once": new_token(),
        "org": world.B1.pk,
        "leader": world.users["leader"].pk,
        "kind": ReceptionKind.VISIT,
        "date": "2026-12-08",
        "time": "14:30",
        "place": "青峰镇中心小学",
        "topic": "校门口交通安全",
        "case_number": "",
    }
    data.update(kw)
    return data


@pytest.mark.req("PS1.5")
def test_the_petitions_office_schedules_a_leaders_visit_down_to_a_school(world, login):
    client = login(world.users["bureau"])
    assert "领导接访" in client.get("/").content.decode()  # the nav link
    response = client.post("/receptions/new/", _form(world))
    reception = Reception.objects.get()
    assert response.status_code == 302 and response.url == f"/receptions/{reception.pk}/"
    assert reception.kind == ReceptionKind.VISIT and reception.org == world.B1
    assert reception.leader == world.users["leader"] and reception.time == time(14, 30)
    assert reception.status == ReceptionStatus.PLANNED
    page = client.get("/receptions/").content.decode()
    assert "校门口交通安全" in page and "下访" in page and "2026-12-08" in page
    event = AuditEvent.objects.get(action="receptions.reception.planned")
    assert event.object_id == str(reception.pk) and "校门口" not in str(event.data)


@pytest.mark.req("PS1.5")
def test_the_schedule_shows_this_month_and_upcoming_soonest_first_and_filters(world, login):
    _plan(world, on=date(2026, 11, 20), topic="上月的约访", kind=ReceptionKind.APPOINTMENT)
    _plan(
        world, on=date(2026, 12, 20), topic="带案下访金龙中学", kind=ReceptionKind.VISIT_WITH_CASE
    )
    _plan(world, on=date(2026, 12, 3), topic="本月接访日")
    _plan(world, on=date(2027, 1, 5), topic="一月约访", kind=ReceptionKind.APPOINTMENT)
    client = login(world.users["leader"])
    page = client.get("/receptions/").content.decode()
    assert "上月的约访" not in page
    assert page.index("本月接访日") < page.index("带案下访金龙中学") < page.index("一月约访")
    past = client.get("/receptions/?period=past").content.decode()
    assert "上月的约访" in past and "本月接访日" not in past
    kind = client.get("/receptions/?kind=appointment").content.decode()
    assert "一月约访" in kind and "本月接访日" not in kind
    other = client.get(f"/receptions/?leader={world.users['bureau'].pk}").content.decode()
    assert "一月约访" in other  # not a leader: the filter refuses it and shows all


@pytest.mark.req("PS1.5")
def test_a_leader_marks_a_reception_held_with_what_came_of_it(world, login):
    reception = _plan(world, on=date(2026, 12, 1))
    client = login(world.users["leader"])
    refused = client.post(f"/receptions/{reception.pk}/held/", {"held-once": new_token()})
    assert refused.status_code == 400 and "结果" in refused.content.decode()
    response = client.post(
        f"/receptions/{reception.pk}/held/",
        {"held-once": new_token(), "held-note": "当场答复，转基础教育科办理"},
    )
    assert response.status_code == 302
    reception.refresh_from_db()
    assert reception.status == ReceptionStatus.HELD and reception.outcome.startswith("当场答复")
    assert AuditEvent.objects.filter(action="receptions.reception.held").count() == 1
    page = client.get(f"/receptions/{reception.pk}/").content.decode()
    assert "当场答复" in page and "reception-held" not in page


def test_a_reception_not_yet_due_cannot_be_held_but_can_be_cancelled(world, login):
    reception = _plan(world, on=date(2026, 12, 10))
    client = login(world.users["bureau"])
    page = client.get(f"/receptions/{reception.pk}/").content.decode()
    assert "reception-held" not in page
    refused = client.post(
        f"/receptions/{reception.pk}/held/", {"held-once": new_token(), "held-note": "好"}
    )
    assert refused.status_code == 400 and "2026-12-10" in refused.content.decode()
    client.post(
        f"/receptions/{reception.pk}/cancel/",
        {"cancel-once": new_token(), "cancel-note": "领导临时出差"},
    )
    reception.refresh_from_db()
    assert reception.status == ReceptionStatus.CANCELLED
    again = client.post(f"/receptions/{reception.pk}/edit/", _form(world))
    assert again.status_code == 302
    reception.refresh_from_db()
    assert reception.kind == ReceptionKind.RECEPTION_DAY  # kept as it was


def test_a_reception_is_changed_while_planned(world, login):
    reception = _plan(world)
    client = login(world.users["bureau"])
    assert client.get(f"/receptions/{reception.pk}/edit/").status_code == 200
    response = client.post(f"/receptions/{reception.pk}/edit/", _form(world, time="10:00"))
    assert response.status_code == 302
    reception.refresh_from_db()
    assert reception.kind == ReceptionKind.VISIT and reception.time == time(10, 0)
    assert AuditEvent.objects.filter(action="receptions.reception.changed").count() == 1


def test_only_a_leader_of_the_bureau_can_receive(world, login):
    client = login(world.users["bureau"])
    response = client.post("/receptions/new/", _form(world, leader=world.users["bureau"].pk))
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not Reception.objects.exists()


def test_sent_twice_makes_one_reception(world, login):
    client = login(world.users["bureau"])
    data = _form(world)
    client.post("/receptions/new/", data)
    second = client.post("/receptions/new/", data, follow=True)
    assert Reception.objects.count() == 1
    assert "已提交过" in second.content.decode()


def test_bad_input_is_refused_with_the_field_named(world, login):
    client = login(world.users["bureau"])
    response = client.post("/receptions/new/", _form(world, date="2026-13-40", topic=""))
    assert response.status_code == 400 and not Reception.objects.exists()
    assert response.content.decode().count("errorlist") >= 2


def test_another_districts_reception_is_missing_and_nothing_is_written(world, login):
    reception = _plan(world)
    client = login(world.users["other_bureau"])
    assert "学位安排" not in client.get("/receptions/").content.decode()
    assert client.get(f"/receptions/{reception.pk}/").status_code == 404
    assert client.get(f"/receptions/{reception.pk}/edit/").status_code == 404
    for step in ("held", "cancel"):
        data = {f"{step}-once": new_token(), f"{step}-note": "x"}
        assert client.post(f"/receptions/{reception.pk}/{step}/", data).status_code == 404
    assert client.post(f"/receptions/{reception.pk}/edit/", _form(world)).status_code == 404
    reception.refresh_from_db()
    assert reception.status == ReceptionStatus.PLANNED and reception.kind == "reception_day"
    assert not AuditEvent.objects.filter(action__startswith="receptions.reception.c").exists()


@pytest.mark.parametrize("persona", ["school", "centre", "teacher"])
def test_schools_and_centres_do_not_keep_the_schedule(world, login, persona):
    reception = _plan(world)
    client = login(world.users[persona])
    assert "领导接访" not in client.get("/").content.decode()
    assert client.get("/receptions/").status_code == 404
    assert client.get("/receptions/new/").status_code == 404
    assert client.get(f"/receptions/{reception.pk}/").status_code == 404


def test_a_junk_id_is_missing(world, login):
    client = login(world.users["bureau"])
    assert client.get("/receptions/99999999999999999999/").status_code == 404


def test_the_schedule_downloads_as_excel(world, login):
    from io import BytesIO

    from openpyxl import load_workbook

    _plan(world, topic="学位安排")
    response = login(world.users["bureau"]).get("/receptions/?format=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert any("学位安排" in str(row) for row in rows)
    assert AuditEvent.objects.filter(action__contains="export").exists()


def test_a_get_to_a_step_is_refused_without_telling_whether_the_reception_exists(world, login):
    reception = _plan(world)
    assert login(world.users["bureau"]).get(f"/receptions/{reception.pk}/held/").status_code == 405
    outsider = login(world.users["other_bureau"])
    assert outsider.get(f"/receptions/{reception.pk}/held/").status_code == 404


@pytest.mark.req("PS1.5")
def test_a_reception_names_the_case_it_is_about_by_its_number(world, login):
    from anwen.cases.petitions import PETITION
    from anwen.cases.services import case_register
    from anwen.receptions.models import Reception

    ours = case_register(
        case_type=PETITION,
        org=world.B1,
        by=world.users["bureau"],
        subject="校车接送问题",
        channel="letter",
    )
    theirs = case_register(
        case_type=PETITION,
        org=world.B2,
        by=world.users["other_bureau"],
        subject="别区事项",
        channel="letter",
    )
    client = login(world.users["bureau"])
    refused = client.post("/receptions/new/", _form(world, case_number=theirs.number))
    assert refused.status_code == 400 and not Reception.objects.exists()
    assert "没有" in refused.content.decode()
    response = client.post(
        "/receptions/new/",
        _form(world, kind=ReceptionKind.VISIT_WITH_CASE, case_number=ours.number.lower()),
    )
    assert response.status_code == 302
    reception = Reception.objects.get()
    assert reception.case == ours
    page = client.get(f"/receptions/{reception.pk}/").content.decode()
    assert f"/cases/{ours.pk}/" in page and ours.number in page
