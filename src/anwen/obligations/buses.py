"""The school-bus crews' sessions the plan asks for (SM8.3): the drivers' monthly safety
training and the weekly safety study of drivers and attendants, each a routine activity logged
with its attendance; and the condition "runs school buses" that the plan's bus obligations
depend on, so that only the schools (and centres) that run buses owe them.

Who runs buses is known first by the staff register: a school with a bus driver or a bus
attendant (随车照管人员) on its staff runs buses; a centre runs buses when one of its schools
does. The buses register (anwen.buses) knows better — a school with a bus in service — and
registers the same condition code, which replaces this one (`fallback=True`)."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from anwen.obligations.registry import OrgCondition, RecordKind, register_condition, register_kind

RUNS_BUSES = "buses.runs_buses"
DRIVER_TRAINING = "routine.bus_driver_training"
SAFETY_STUDY = "routine.bus_safety_study"
DRIVERS = ("bus_driver",)
CREW = ("bus_driver", "bus_attendant")


def crew(org, positions: Iterable[str] = CREW):
    """The org's active people in these positions, by name (who is expected at a session)."""
    from anwen.orgs.models import Person

    return (
        Person.objects.filter(org=org, is_active=True, positions__code__in=list(positions))
        .distinct()
        .order_by("name", "pk")
    )


def _drivers(org):
    return crew(org, DRIVERS)


def orgs_running_buses(org_ids: Iterable[int]) -> set[int]:
    """Of these orgs, the schools with a bus crew on their staff and the orgs above them."""
    from anwen.orgs.models import Org, OrgKind, Person

    crewed = set(
        Person.objects.filter(
            is_active=True,
            positions__code__in=list(CREW),
            org__is_active=True,
            org__kind=OrgKind.SCHOOL,
        ).values_list("org__path", flat=True)
    )
    wanted = Org.objects.filter(pk__in=list(org_ids)).values_list("pk", "path")
    return {pk for pk, path in wanted if any(p.startswith(path) for p in crewed)}


KINDS = [
    RecordKind(
        DRIVER_TRAINING,
        _("Bus drivers' monthly safety training"),
        loggable=True,
        attendance=_drivers,
    ),
    RecordKind(
        SAFETY_STUDY,
        _("Bus crews' weekly safety study"),
        loggable=True,
        attendance=crew,
    ),
]


def register_bus_sessions() -> None:
    for kind in KINDS:
        register_kind(kind)
    register_condition(
        OrgCondition(RUNS_BUSES, _("Runs school buses"), orgs=orgs_running_buses),
        fallback=True,
    )
