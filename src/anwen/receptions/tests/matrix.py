"""The reception schedule's routes with a parameter, for the permission matrix (web/tests)."""

from datetime import date, time

from anwen.orgs.scope import visible_orgs
from anwen.receptions.models import Reception

OBJECT_ROUTES = {
    "receptions:detail": ("reception", "pk"),
    "receptions:edit": ("reception", "pk"),
    "receptions:held": ("reception", "pk"),
    "receptions:cancel": ("reception", "pk"),
}


def reception_sampler(world, user, inside: bool) -> int:
    """A reception of a bureau the user sees (inside) or of one they do not (outside)."""
    seen = set(visible_orgs(user).values_list("pk", flat=True))
    bureaus = [world.B1, world.B2]
    bureau = next((b for b in bureaus if (b.pk in seen) == inside), world.B1)
    found = Reception.objects.filter(org=bureau).first()
    if found:
        return found.pk
    return Reception.objects.create(
        org=bureau,
        leader=world.users["leader"],
        kind="reception_day",
        date=date(2026, 12, 10),
        time=time(9, 0),
        place="信访接待室",
        topic="矩阵",
    ).pk


SAMPLERS = {"reception": reception_sampler}
