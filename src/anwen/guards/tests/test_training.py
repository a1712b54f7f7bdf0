"""Guard training each autumn (SM6.4) is an obligation of the rhythm engine fulfilled by the
register: a guard's autumn training date, from the form or the company's list, records the
school's training of the year (one record per school and day); a spring refresher fulfils
nothing; a training in the future is refused."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from anwen.guards.models import Guard
from anwen.guards.trainings import KIND
from anwen.obligations.models import Period, Record
from anwen.obligations.services import ensure_periods, plan_load

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 10, 15))]


@pytest.fixture
def owed(world):
    plan_load(owner=world.B1, year=2026, starts_on=date(2026, 1, 1))
    ensure_periods(through=date(2026, 10, 15))
    return world


def period(school) -> Period:
    return Period.objects.get(obligation__code="guard-autumn-training", org=school)


def _form(client, world, **values):
    page = client.get("/registers/guards/new/")
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-name": "张伟",
        "r-certificate_no": "渝2024000001",
        "r-certificate_expires_on": "2028-01-31",
        "r-full_time": "on",
        "r-active": "on",
    }
    data.update(values)
    return client.post("/registers/guards/new/", data)


@pytest.mark.req("SM6.4")
def test_an_autumn_training_entered_on_the_register_fulfils_the_years_obligation(
    client, owed, login
):
    world = owed
    assert period(world.S1).due == date(2026, 11, 30)  # the plan's day, not the year's end
    assert period(world.S1).done_at is None
    login(world.users["school"])
    assert "保安员秋季培训" in client.get("/inbox/").content.decode()
    assert _form(client, world, **{"r-trained_on": "2026-03-10"}).status_code == 302
    assert not Record.objects.filter(kind=KIND).exists()  # spring: not the autumn training
    guard = Guard.objects.get()
    page = client.get(f"/registers/guards/{guard.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/registers/guards/{guard.pk}/edit/",
        {
            "o-org": world.S1.pk,
            "r-name": "张伟",
            "r-certificate_no": "渝2024000001",
            "r-certificate_expires_on": "2028-01-31",
            "r-full_time": "on",
            "r-active": "on",
            "r-trained_on": "2026-10-08",
        },
    )
    assert response.status_code == 302
    record = Record.objects.get(kind=KIND)
    assert (record.org, record.occurred_on) == (world.S1, date(2026, 10, 8))
    done = period(world.S1)
    assert done.done_at is not None and done.on_time
    assert period(world.S2).done_at is None


@pytest.mark.req("SM6.4")
def test_a_list_of_guards_trained_together_is_one_training(client, owed, login):
    world = owed
    wb = Workbook()
    ws = wb.active
    ws.append(["学校代码", "姓名", "保安员证号", "有效期至", "培训日期"])
    for n in range(5):
        ws.append(["S1", f"保安{n}", f"渝{n:08d}", "2028-06-30", "2026-09-20"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "guards.xlsx"
    login(world.users["school"])
    assert client.post("/registers/guards/import/", {"file": buffer}).status_code == 302
    assert Record.objects.filter(kind=KIND).count() == 1
    buffer.seek(0)
    client.post("/registers/guards/import/", {"file": buffer})  # posted again: nothing new
    assert Record.objects.filter(kind=KIND).count() == 1
    assert period(world.S1).done_at is not None


def test_a_training_in_the_future_is_refused(client, owed, login):
    world = owed
    login(world.users["school"])
    response = _form(client, world, **{"r-trained_on": "2026-10-20"})
    assert response.status_code == 400
    assert "trained_on" in response.context["form"].errors
    assert not Guard.objects.exists() and not Record.objects.exists()
