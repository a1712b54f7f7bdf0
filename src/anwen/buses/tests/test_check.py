"""SM8.2: the pre-departure check (五不出校). Every condition met and the papers in order: the
bus departs. Any condition answered no, a driver not qualified, papers lapsed, more students
than seats or no attendant on board: the trip is stopped, the record says why, and the
school's safety officer and principal are told once. Another school's bus is no page."""

from datetime import date

import pytest
from django.utils.html import escape

from anwen.buses.models import Trip
from anwen.buses.rules import DEFAULT_CONDITIONS
from anwen.orgs.roles import RoleName
from anwen.outbox.models import Delivery, Notice
from anwen.testing.world import add_persona

from . import crews

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]

CHECK = "/buses/check/"


@pytest.fixture
def crew(world):
    user = add_persona(world, "attendant", RoleName.BUS_ATTENDANT, "S1")
    return {
        "bus": crews.bus(world.S1, "渝B12345", seats=35),
        "driver": crews.driver(world.S1),
        "attendant": crews.attendant(world.S1, user=user),
        "user": user,
    }


def _answers(no: tuple[int, ...] = ()) -> dict[str, str]:
    return {f"c{i}": "no" if i in no else "yes" for i in range(len(DEFAULT_CONDITIONS))}


def _check(client, bus, driver, *, students=30, no=(), **extra):
    page = client.get(f"{CHECK}?bus={bus.pk}")
    assert page.status_code == 200
    data = {
        "once": page.context["form"]["once"].value(),
        "driver": driver.pk,
        "students": students,
        **_answers(no),
        **extra,
    }
    return client.post(f"{CHECK}?bus={bus.pk}", data), data


def _told(trip) -> set[str]:
    return set(
        Delivery.objects.filter(
            notice__key=f"buses:trip:{trip.pk}:stopped", channel="app"
        ).values_list("user__username", flat=True)
    )


@pytest.mark.req("SM8.2")
def test_every_condition_met_the_bus_departs(client, world, login, crew):
    login(crew["user"])
    picker = client.get(CHECK).content.decode()
    assert "渝B12345" in picker
    response, data = _check(client, crew["bus"], crew["driver"])
    assert response.status_code == 302
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.DEPARTED and trip.departed_at is not None
    assert trip.attendant == crew["attendant"] and trip.students == 30
    assert trip.answers == dict.fromkeys(DEFAULT_CONDITIONS, True)
    assert not Notice.objects.filter(key__startswith="buses:").exists()
    # The double submit (a slow phone sending again) makes one trip.
    client.post(f"{CHECK}?bus={crew['bus'].pk}", data)
    assert Trip.objects.count() == 1
    text = client.get("/buses/trips/").content.decode()
    assert "渝B12345" in text and "王建国" in text


@pytest.mark.req("SM8.2")
@pytest.mark.parametrize("index", range(len(DEFAULT_CONDITIONS)))
def test_each_failed_condition_stops_the_trip_and_tells_the_school_once(
    client, world, login, crew, index
):
    login(crew["user"])
    response, data = _check(client, crew["bus"], crew["driver"], no=(index,))
    assert response.status_code == 302
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.STOPPED and trip.departed_at is None
    assert trip.answers[DEFAULT_CONDITIONS[index]] is False
    assert trip.reason.count("\n") == 0 and trip.reason  # exactly the one reason
    assert _told(trip) == {"school", "principal"}
    client.post(f"{CHECK}?bus={crew['bus'].pk}", data)  # sent twice: one trip, one notice
    assert Trip.objects.count() == 1
    assert Notice.objects.filter(key__startswith="buses:").count() == 1
    assert Delivery.objects.filter(notice__key__startswith="buses:", channel="app").count() == 2
    followed = client.get("/buses/trips/?outcome=stopped").content.decode()
    assert escape(trip.reason) in followed


@pytest.mark.req("SM8.2")
def test_a_bus_without_an_attendant_on_board_cannot_depart(client, world, login, crew):
    login(world.users["school"])  # the safety officer checks: the attendant is chosen
    response, _data = _check(client, crew["bus"], crew["driver"], attendant="")
    assert response.status_code == 302
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.STOPPED and trip.attendant is None
    assert "照管" in trip.reason or "attendant" in trip.reason
    assert _told(trip) == {"school", "principal"}
    response, _data = _check(client, crew["bus"], crew["driver"], attendant=crew["attendant"].pk)
    assert Trip.objects.latest("pk").outcome == Trip.Outcome.DEPARTED


@pytest.mark.req("SM8.2")
def test_an_overloaded_bus_is_stopped(client, world, login, crew):
    login(crew["user"])
    _check(client, crew["bus"], crew["driver"], students=36)
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.STOPPED
    assert "36" in trip.reason and "35" in trip.reason


@pytest.mark.req("SM8.2")
def test_lapsed_papers_or_an_unqualified_driver_stop_the_trip(client, world, login, crew):
    login(crew["user"])
    crew["bus"].insurance_expires_on = date(2026, 11, 30)
    crew["bus"].save()
    _check(client, crew["bus"], crew["driver"])
    assert Trip.objects.get().outcome == Trip.Outcome.STOPPED
    crew["bus"].insurance_expires_on = date(2027, 11, 30)
    crew["bus"].save()
    young = crews.driver(world.S1, "孙立", "D9", born_on=date(2003, 1, 1))
    page = client.get(f"{CHECK}?bus={crew['bus'].pk}").content.decode()
    assert "孙立" in page and ("不合格" in page or "not qualified" in page)
    _check(client, crew["bus"], young)
    trip = Trip.objects.latest("pk")
    assert trip.outcome == Trip.Outcome.STOPPED and "孙立" in trip.reason


@pytest.mark.req("SM8.2")
def test_another_schools_bus_or_driver_is_refused_and_nothing_is_written(
    client, world, login, crew
):
    theirs = crews.bus(world.S3, "渝B99999")
    their_driver = crews.driver(world.S3, "外校司机", "D3")
    login(crew["user"])
    assert client.get(f"{CHECK}?bus={theirs.pk}").status_code == 404
    assert client.post(f"{CHECK}?bus={theirs.pk}", {"driver": their_driver.pk}).status_code == 404
    assert client.get(f"{CHECK}?bus=x").status_code == 404
    assert "渝B99999" not in client.get(CHECK).content.decode()
    response, _data = _check(client, crew["bus"], their_driver)
    assert response.status_code == 400  # not one of the bus's school's drivers
    assert not Trip.objects.exists()
    login(world.users["school3"])
    assert "渝B12345" not in client.get("/buses/trips/").content.decode()
    login(world.users["teacher"])  # no check to run
    assert client.get(CHECK).status_code == 404


@pytest.mark.req("SM8.2")
def test_an_unanswered_condition_or_a_bad_count_is_asked_again(client, world, login, crew):
    login(crew["user"])
    page = client.get(f"{CHECK}?bus={crew['bus'].pk}")
    data = {"once": page.context["form"]["once"].value(), "driver": crew["driver"].pk}
    data.update(_answers())
    del data["c2"]
    response = client.post(f"{CHECK}?bus={crew['bus'].pk}", dict(data, students="很多"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "c2" in errors and "students" in errors
    assert not Trip.objects.exists()


@pytest.mark.req("SM8.2")
def test_the_plan_decides_the_conditions_and_the_inspection_interval(client, world, login, crew):
    from anwen.obligations.tests.rules import set_rules

    set_rules(
        world.B1,
        buses__departure_conditions=["attendant", "车门应急锤齐全"],
        buses__inspection_months=3,
    )
    login(crew["user"])
    page = client.get(f"{CHECK}?bus={crew['bus'].pk}")
    text = page.content.decode()
    assert "车门应急锤齐全" in text
    data = {
        "once": page.context["form"]["once"].value(),
        "driver": crew["driver"].pk,
        "students": 10,
        "c0": "yes",
        "c1": "no",
    }
    client.post(f"{CHECK}?bus={crew['bus'].pk}", data)
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.STOPPED and "车门应急锤齐全" in trip.reason
    assert trip.answers == {"attendant": True, "车门应急锤齐全": False}
    login(world.users["school"])
    form = client.get(f"/registers/buses/{crew['bus'].pk}/edit/")
    assert form.status_code == 200
