"""What makes a driver qualified and a bus fit to leave: the statute's conditions
(校车安全管理条例 art. 23–24) and the dates the registers keep. Pure reads of a record and
today, so a list shows them without a query per row."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import Bus, Driver

# The statute's limits (not the plan's: a bureau cannot lower them).
DRIVER_MIN_AGE = 25
DRIVER_MAX_AGE = 60
DRIVER_MIN_YEARS = 3

_CONFIRMED = (
    (
        "no_points_wiped",
        _("lost all 12 points in one of the last 3 scoring cycles, or not checked"),
    ),
    ("no_fatal_accident", _("responsible for a fatal or serious accident, or not checked")),
    ("no_drink_driving", _("has a drink-driving record, or not checked")),
    ("no_criminal_record", _("has a criminal record, or not checked")),
    ("no_illness", _("epilepsy or mental illness, or not checked")),
)


def years_between(start: date, today: date) -> int:
    """Whole years from `start` to `today` (an age, years of driving)."""
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


def driver_problems(driver: Driver, today: date) -> list[str]:
    """Why `driver` may not drive a school bus today; empty when qualified."""
    out: list[str] = []
    if driver.born_on is None:
        out.append(str(_("date of birth not recorded")))
    else:
        age = years_between(driver.born_on, today)
        if not DRIVER_MIN_AGE <= age <= DRIVER_MAX_AGE:
            out.append(str(_("aged %(age)d, not 25 to 60") % {"age": age}))
    if driver.driving_since is None:
        out.append(str(_("driving experience not recorded")))
    elif years_between(driver.driving_since, today) < DRIVER_MIN_YEARS:
        out.append(str(_("less than 3 years of driving")))
    for name, words in _CONFIRMED:
        if not getattr(driver, name):
            out.append(str(words))
    if driver.licence_expires_on is None or driver.licence_expires_on < today:
        out.append(str(_("driving licence expired or not recorded")))
    if driver.next_reexamination is None or driver.next_reexamination < today:
        out.append(str(_("yearly re-examination overdue or not recorded")))
    return out


def bus_problems(bus: Bus, today: date) -> list[str]:
    """Why `bus` may not carry students today (its papers); empty when they are in order."""
    out: list[str] = []
    if not bus.in_service:
        out.append(str(_("the bus is out of service")))
    if bus.next_inspection is None or bus.next_inspection < today:
        out.append(str(_("technical inspection overdue or not recorded")))
    if bus.insurance_expires_on is None or bus.insurance_expires_on < today:
        out.append(str(_("insurance expired or not recorded")))
    if bus.sign_expires_on is None or bus.sign_expires_on < today:
        out.append(str(_("school bus sign expired or not recorded")))
    return out
