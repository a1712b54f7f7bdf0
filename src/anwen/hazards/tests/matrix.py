"""The hazards' routes with a parameter, for the permission matrix (web/tests)."""

from anwen.hazards.models import Hazard
from anwen.hazards.views import STEPS
from anwen.orgs.scope import visible_orgs

OBJECT_ROUTES = {
    "hazards:detail": ("hazard", "pk"),
    "api:get_hazard": ("hazard", "hazard_id"),
    **{f"hazards:step_{name}": ("hazard", "pk") for name in STEPS},
}

_SCHOOLS = ("S1", "S2", "S3", "S9")


def hazard_sampler(world, user, inside):
    from anwen.hazards.services import hazard_raise

    seen = set(visible_orgs(user).values_list("pk", flat=True))
    school = next(
        (world.orgs[k] for k in _SCHOOLS if (world.orgs[k].pk in seen) == inside), world.S1
    )
    found = Hazard.objects.filter(org=school).first()
    if found:
        return found.pk
    return hazard_raise(org=school, source="report", title="矩阵隐患").pk


SAMPLERS = {"hazard": hazard_sampler}
