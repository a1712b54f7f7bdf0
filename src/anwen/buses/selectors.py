"""Reads of the buses app: which buses a user may check, the crews of a school, the trips a
user sees, who is told when a trip is stopped. Every object through a guard: 404 for missing
and forbidden alike."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from anwen.forms import is_id
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import paths_q, paths_with
from anwen.registers.selectors import paths_for

from .models import Attendant, Bus, Driver, Trip

CHECK = "buses.check"
# Who sees the trips: the attendants who check them and everyone who watches the registers.
TRIP_PERMS = (CHECK, "registers.view", "registers.manage")
# Who is told at once when a trip is stopped.
TOLD = (RoleName.SAFETY_OFFICER, RoleName.PRINCIPAL)


def can_check(user) -> bool:
    return bool(paths_with(user, CHECK))


def checkable_buses(user) -> QuerySet[Bus]:
    """The in-service buses of the schools where the user runs the pre-departure check."""
    return (
        Bus.objects.filter(
            paths_q(paths_with(user, CHECK), "org"), org__kind=OrgKind.SCHOOL, in_service=True
        )
        .select_related("org")
        .order_by("org__path", "plate")
    )


def access_bus(user, pk) -> Bus:
    if not is_id(pk):
        raise Http404
    bus = checkable_buses(user).filter(pk=pk).first()
    if bus is None:
        raise Http404
    return bus


def drivers_of(org: Org) -> QuerySet[Driver]:
    return Driver.objects.filter(org=org).order_by("name", "pk")


def attendants_of(org: Org) -> QuerySet[Attendant]:
    return Attendant.objects.filter(org=org).order_by("name", "pk")


def attendant_of_user(user, org: Org) -> Attendant | None:
    """The user's own attendant record at `org`: they check as themselves."""
    return Attendant.objects.filter(org=org, user=user).first()


def last_driver(bus: Bus) -> Driver | None:
    trip = Trip.objects.filter(bus=bus).select_related("driver").order_by("-checked_at").first()
    return trip.driver if trip else None


def visible_trips(user) -> QuerySet[Trip]:
    return (
        Trip.objects.filter(paths_q(paths_for(user, *TRIP_PERMS), "org"))
        .select_related("org", "checked_by")
        .order_by("-checked_at", "-pk")
    )


def can_see_trips(user) -> bool:
    return bool(paths_with(user, *TRIP_PERMS))


def sees_registers(user) -> bool:
    return bool(paths_with(user, "registers.view", "registers.manage"))


def told_of_stop(org: Org) -> list:
    """The school's safety officers and principals."""
    ids = RoleAssignment.objects.filter(org=org, role__in=TOLD).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))
