"""The registers' routes with a parameter, for the permission matrix (web/tests): the register
named by its key (the test suite's own toy register), a record the user may change and one of
another school's."""

from anwen.orgs.scope import paths_with
from anwen.testing.toyregister.models import Gadget

OBJECT_ROUTES = {
    "registers:edit": ("gadget", "pk"),
    "registers:delete": ("gadget", "pk"),
}
FIXED_PARAMS = {
    name: {"key": "gadgets"}
    for name in (
        "registers:list",
        "registers:new",
        "registers:edit",
        "registers:delete",
        "registers:import",
        "registers:template",
    )
}


def gadget_sampler(world, user, inside: bool) -> int:
    """Inside: a gadget of a school the user manages (any, when they manage none: the page
    then answers 404); outside: one of a school they do not manage."""
    from anwen.orgs.models import Org

    managed = paths_with(user, "registers.manage")
    for org in Org.objects.filter(kind="school").order_by("path"):
        mine = any(org.path.startswith(p) for p in managed)
        if mine == inside:
            gadget, _ = Gadget.objects.get_or_create(
                org=org, code="MATRIX", defaults={"kind": "lamp"}
            )
            return gadget.pk
    gadget, _ = Gadget.objects.get_or_create(
        org=world.orgs["S1"], code="MATRIX", defaults={"kind": "lamp"}
    )
    return gadget.pk


SAMPLERS = {"gadget": gadget_sampler}
