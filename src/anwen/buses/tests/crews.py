"""A school's bus, driver and attendant in order, for the buses' tests."""

from datetime import date

from anwen.buses.models import Attendant, Bus, Driver
from anwen.buses.rules import months_after


def bus(org, plate="渝B12345", seats=35, **values) -> Bus:
    inspected = values.pop("inspected_on", date(2026, 9, 1))
    values.setdefault("next_inspection", months_after(inspected, 6) if inspected else None)
    values.setdefault("insurance_expires_on", date(2027, 6, 30))
    values.setdefault("sign_number", "渝校车0001")
    values.setdefault("sign_expires_on", date(2027, 8, 31))
    return Bus.objects.create(org=org, plate=plate, seats=seats, inspected_on=inspected, **values)


def driver(org, name="王建国", licence_number="500118197805120011", **values) -> Driver:
    values.setdefault("licence_class", "A1")
    values.setdefault("licence_expires_on", date(2030, 5, 12))
    values.setdefault("born_on", date(1978, 5, 12))
    values.setdefault("driving_since", date(2002, 3, 1))
    for name_ in (
        "no_points_wiped",
        "no_fatal_accident",
        "no_drink_driving",
        "no_criminal_record",
        "no_illness",
    ):
        values.setdefault(name_, True)
    reexamined = values.pop("reexamined_on", date(2026, 3, 1))
    values.setdefault("next_reexamination", months_after(reexamined, 12) if reexamined else None)
    return Driver.objects.create(
        org=org, name=name, licence_number=licence_number, reexamined_on=reexamined, **values
    )


def attendant(org, name="李秀英", phone="13800000001", user=None) -> Attendant:
    return Attendant.objects.create(org=org, name=name, phone=phone, user=user)
