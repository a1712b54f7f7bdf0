"""Writes of the buses app: the pre-departure check of a trip (五不出校). The registers' own
records are written by the registers mechanism."""

from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.errors import AppError
from anwen.obligations.plans import rule
from anwen.once.tokens import claim
from anwen.outbox.services import announce

from . import checks, selectors
from .models import Attendant, Bus, Driver, Trip
from .rules import DEPARTURE_CONDITIONS, condition_label


def conditions_for(bus: Bus, on) -> list[str]:
    """The plan's conditions in force for the bus's school."""
    return list(rule(DEPARTURE_CONDITIONS, org=bus.org, on=on))


def trip_check(
    *,
    bus: Bus,
    driver: Driver,
    attendant: Attendant | None,
    students: int,
    answers: Mapping[str, bool],
    by,
    once: str = "",
    request=None,
) -> Trip:
    """Record the check of one trip: it departs when every condition is answered yes and the
    papers are in order (bus inspected, insured, its sign valid; the driver qualified; no more
    students than seats; an attendant on board); otherwise it is stopped, the reasons are
    kept, and the school's safety officers and principal are told at once."""
    now = timezone.now()
    today = timezone.localdate(now)
    if driver.org_id != bus.org_id or (attendant is not None and attendant.org_id != bus.org_id):
        raise AppError(_("The driver and the attendant must be of the bus's school."))
    conditions = conditions_for(bus, today)
    if set(answers) != set(conditions):
        raise AppError(_("Answer every condition with yes or no."))
    reasons: list[str] = [
        _("No: %(condition)s") % {"condition": condition_label(c)}
        for c in conditions
        if not answers[c]
    ]
    if attendant is None:
        reasons.append(_("No attendant on board"))
    if students > bus.seats:
        reasons.append(
            _("Overloaded: %(students)d students for %(seats)d seats")
            % {"students": students, "seats": bus.seats}
        )
    reasons += [_("Bus: %(why)s") % {"why": why} for why in checks.bus_problems(bus, today)]
    reasons += [
        _("Driver %(name)s: %(why)s") % {"name": driver.name, "why": why}
        for why in checks.driver_problems(driver, today)
    ]
    stopped = bool(reasons)
    with transaction.atomic():
        claim(once)
        trip = Trip.objects.create(
            org=bus.org,
            bus=bus,
            driver=driver,
            attendant=attendant,
            plate=bus.plate,
            driver_name=driver.name,
            attendant_name=attendant.name if attendant else "",
            students=students,
            answers={c: bool(answers[c]) for c in conditions},
            outcome=Trip.Outcome.STOPPED if stopped else Trip.Outcome.DEPARTED,
            reason="\n".join(reasons),
            checked_at=now,
            departed_at=None if stopped else now,
            checked_by=by,
        )
        audit.record(
            actor=by,
            action=f"buses.trip.{trip.outcome}",
            obj=trip,
            org=bus.org,
            data={"bus": bus.pk, "students": students, "reasons": reasons},
            request=request,
        )
        if stopped:
            announce(
                key=f"buses:trip:{trip.pk}:stopped",
                recipients=selectors.told_of_stop(bus.org),
                title=_("School bus %(plate)s stopped before departure: %(why)s")
                % {"plate": bus.plate, "why": reasons[0]},
                body="\n".join(reasons),
                link=reverse("buses:trips"),
            )
    return trip
