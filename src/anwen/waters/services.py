"""What follows from saving waters: a missing warning sign or barrier is a hazard (SM9.1).

Called by the register's `saved` hook after every save (form, import, feed), in the same
transaction. One open hazard per water and missing thing: a water saved again while its hazard
is open raises nothing; after that hazard is closed, a water still (or again) lacking raises a
new one. The hazard then follows the hazards engine's own flow (assign, rectify, verify)."""

from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext as _

from anwen.hazards.models import OPEN_STATES, Category, Grade, Source
from anwen.hazards.services import hazard_raise

from .models import Missing, Water, WaterHazard

ORIGIN = "waters.missing"


def _titles() -> dict[str, str]:
    return {
        Missing.SIGN: _("No drowning warning sign at %(water)s"),
        Missing.BARRIER: _("No barrier at %(water)s"),
    }


def lacking(water: Water) -> list[str]:
    return [
        what
        for what, present in (
            (Missing.SIGN, water.warning_signs),
            (Missing.BARRIER, water.barriers),
        )
        if not present
    ]


def raise_missing(waters: Sequence[models.Model], by) -> list[WaterHazard]:
    """Raise a hazard for each missing sign or barrier of `waters` without an open one."""
    found = [w for w in waters if isinstance(w, Water) and lacking(w)]
    if not found:
        return []
    # Lock the waters: two saves at once must not both see "no open hazard".
    list(Water.objects.select_for_update().filter(pk__in=[w.pk for w in found]).values("pk"))
    open_now = set(
        WaterHazard.objects.filter(water__in=found, hazard__state__in=OPEN_STATES).values_list(
            "water_id", "missing"
        )
    )
    raised = []
    titles = _titles()
    for water in found:
        for what in lacking(water):
            if (water.pk, what) in open_now:
                continue
            origin = WaterHazard.objects.create(water=water, missing=what)
            origin.hazard = hazard_raise(
                org=water.org,
                source=Source.SELF,
                title=titles[what] % {"water": water.name},
                by=by,
                description=_(
                    "%(kind)s, %(distance)s m from the school; party responsible: %(who)s %(phone)s"
                )
                % {
                    "kind": water.get_kind_display(),
                    "distance": water.distance_m,
                    "who": water.responsible or "—",
                    "phone": water.responsible_contact,
                },
                category=Category.WATER,
                grade=Grade.GENERAL,
                place=water.name,
                origin_type=ORIGIN,
                origin_id=origin.pk,
            )
            origin.save(update_fields=["hazard"])
            raised.append(origin)
    return raised
