"""School buses for the demo district, where the district has them (DEMO.md): the rural primary
and nine-year schools and the town kindergartens whose staff include bus drivers and attendants
(`demo.district` plans those crews). One bus per driver, the school's drivers and attendants
from its staff (the demo attendant's account linked), papers mostly in order with some
insurance and signs due soon or lapsed, a few drivers not qualified or overdue for their
re-examination, and the trips of the last months: two a school day per bus, a few stopped.

Bulk inserts only: no services, no per-row audit (one event for the whole load)."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anwen import audit
from anwen.calendar.rules import is_working_day
from anwen.calendar.selectors import semesters_between
from anwen.orgs.models import Org, OrgKind, Person, SchoolType
from anwen.orgs.scope import within_q

from .models import Attendant, Bus, Driver, Trip
from .rules import DEFAULT_CONDITIONS, condition_label, months_after

TRIP_DAYS = 90  # how far back the trips go


def _plate(rng: random.Random, used: set[str]) -> str:
    while True:
        plate = f"渝{rng.choice('BCDF')}{rng.randint(10000, 99999)}"
        if plate not in used:
            used.add(plate)
            return plate


def _around(today: date, rng: random.Random, *, lapsed: float, soon: float, span: int) -> date:
    """An expiry date: lapsed in a few cases, due within 30 days in some, later otherwise."""
    draw = rng.random()
    if draw < lapsed:
        return today - timedelta(days=rng.randint(1, 60))
    if draw < lapsed + soon:
        return today + timedelta(days=rng.randint(0, 29))
    return today + timedelta(days=rng.randint(31, span))


def _crews(bureau: Org) -> dict[int, tuple[list[Person], list[Person]]]:
    people = (
        Person.objects.filter(
            within_q(bureau, "org"),
            org__kind=OrgKind.SCHOOL,
            positions__code__in=("bus_driver", "bus_attendant"),
            is_active=True,
        )
        .prefetch_related("positions")
        .order_by("org_id", "pk")
        .distinct()
    )
    out: dict[int, tuple[list[Person], list[Person]]] = {}
    for person in people:
        drivers, attendants = out.setdefault(person.org_id, ([], []))
        codes = {p.code for p in person.positions.all()}
        (drivers if "bus_driver" in codes else attendants).append(person)
    return out


def load_demo(*, bureau: Org, today: date, rng: random.Random) -> None:
    crews = _crews(bureau)
    kinds = dict(Org.objects.filter(pk__in=crews).values_list("pk", "school__school_type"))
    used: set[str] = set()
    buses: list[Bus] = []
    drivers: list[Driver] = []
    attendants: list[Attendant] = []
    for org_id, (driver_people, attendant_people) in crews.items():
        kindergarten = kinds.get(org_id) == SchoolType.KINDERGARTEN
        for person in driver_people:
            inspected = today - timedelta(days=rng.randint(10, 200))  # over 6 months: lapsed
            buses.append(
                Bus(
                    org_id=org_id,
                    plate=_plate(rng, used),
                    seats=rng.choice((10, 12, 15, 19))
                    if kindergarten
                    else rng.choice((19, 24, 35, 41)),
                    sign_number=f"渝校车{rng.randint(100000, 999999)}",
                    sign_expires_on=_around(today, rng, lapsed=0.03, soon=0.05, span=700),
                    inspected_on=inspected,
                    next_inspection=months_after(inspected, 6),
                    insurance_expires_on=_around(today, rng, lapsed=0.04, soon=0.1, span=360),
                    gps_recorder=rng.random() > 0.03,
                    in_service=True,
                )
            )
            born = date(rng.randint(1968, 1996), rng.randint(1, 12), rng.randint(1, 28))
            examined = today - timedelta(days=rng.randint(5, 400))  # over a year: overdue
            unfit = rng.random() < 0.06
            drivers.append(
                Driver(
                    org_id=org_id,
                    name=person.name,
                    licence_number=f"500118{born:%Y%m%d}{rng.randint(1000, 9999)}",
                    licence_class=rng.choice(("A1", "A1", "B1")) if not kindergarten else "B1",
                    licence_expires_on=_around(today, rng, lapsed=0.01, soon=0.03, span=2000),
                    born_on=born,
                    driving_since=date(born.year + rng.randint(21, 26), rng.randint(1, 12), 1),
                    no_points_wiped=True,
                    no_fatal_accident=True,
                    no_drink_driving=not unfit,
                    no_criminal_record=True,
                    no_illness=True,
                    reexamined_on=examined,
                    next_reexamination=months_after(examined, 12),
                )
            )
        for person in attendant_people:
            attendants.append(
                Attendant(org_id=org_id, name=person.name, phone=person.phone, user=person.user)
            )
    Bus.objects.bulk_create(buses, batch_size=500)
    Driver.objects.bulk_create(drivers, batch_size=500)
    Attendant.objects.bulk_create(attendants, batch_size=500)
    with translation.override("zh-hans"):  # the reasons are stored as the school reads them
        trips = _trips(bureau, today, rng)
    audit.record(
        actor=None,
        action="demo.buses.loaded",
        org=bureau,
        data={
            "buses": len(buses),
            "drivers": len(drivers),
            "attendants": len(attendants),
            "trips": trips,
        },
    )


def _school_days(today: date) -> list[date]:
    semesters = semesters_between(today - timedelta(days=TRIP_DAYS), today)
    days = []
    for n in range(TRIP_DAYS, 0, -1):
        day = today - timedelta(days=n)
        if any(s.start <= day <= s.end for s in semesters) and is_working_day(day):
            days.append(day)
    return days


def _moment(day: date, hour: int, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, rng.randint(0, 50))))


def _trips(bureau: Org, today: date, rng: random.Random) -> int:
    """Two trips a school day for each bus, with the bus's own driver (the n-th bus goes with
    the school's n-th driver) and an attendant; about one in 150 stopped."""
    drivers: dict[int, list[Driver]] = {}
    for d in Driver.objects.filter(within_q(bureau, "org")).order_by("pk"):
        drivers.setdefault(d.org_id, []).append(d)
    attendants: dict[int, list[Attendant]] = {}
    for a in Attendant.objects.filter(within_q(bureau, "org")).order_by("pk"):
        attendants.setdefault(a.org_id, []).append(a)
    days = _school_days(today)
    rows: list[Trip] = []
    buses = Bus.objects.filter(within_q(bureau, "org")).order_by("org_id", "pk")
    seen: dict[int, int] = {}
    for bus in buses:
        k = seen.get(bus.org_id, 0)
        seen[bus.org_id] = k + 1
        crew = drivers.get(bus.org_id, [])
        if not crew:
            continue
        driver = crew[k % len(crew)]
        helpers = attendants.get(bus.org_id, [])
        for day in days:
            for hour in (7, 16):
                attendant = helpers[k % len(helpers)] if helpers else None
                students = rng.randint(bus.seats // 2, bus.seats)
                answers = dict.fromkeys(DEFAULT_CONDITIONS, True)
                reasons = []
                if rng.random() < 1 / 150:
                    failed = rng.choice(DEFAULT_CONDITIONS)
                    answers[failed] = False
                    reasons.append(_("No: %(condition)s") % {"condition": condition_label(failed)})
                if attendant is None:
                    reasons.append(_("No attendant on board"))
                when = _moment(day, hour, rng)
                rows.append(
                    Trip(
                        org_id=bus.org_id,
                        bus=bus,
                        driver=driver,
                        attendant=attendant,
                        plate=bus.plate,
                        driver_name=driver.name,
                        attendant_name=attendant.name if attendant else "",
                        students=students,
                        answers=answers,
                        outcome=Trip.Outcome.STOPPED if reasons else Trip.Outcome.DEPARTED,
                        reason="\n".join(reasons),
                        checked_at=when,
                        departed_at=None if reasons else when,
                        checked_by=attendant.user if attendant else None,
                    )
                )
    Trip.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
