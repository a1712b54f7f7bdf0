"""The waters on the school map and the battle map (SM9.1): each water by its coordinates,
those lacking a sign or a barrier apart, so the map shows where the drowning risk stands
unguarded. The user sees the waters the register shows them, below the map's org."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from anwen.maps.overlays import Overlay, Place, Series
from anwen.orgs.models import Org
from anwen.orgs.scope import within_q
from anwen.registers.selectors import visible_records

from .registers import WATERS

GUARDED = "guarded"
UNGUARDED = "unguarded"


def waters_on_map(user, org: Org | None) -> list[Place]:
    rows = visible_records(user, WATERS)
    if org is not None:
        rows = rows.filter(within_q(org, "org"))
    places = []
    url = reverse("registers:list", args=[WATERS.key])
    for water in rows:
        missing = []
        if not water.warning_signs:
            missing.append(_("no warning sign"))
        if not water.barriers:
            missing.append(_("no barrier"))
        label = f"{water.get_kind_display()} · {water.org.name} · {water.distance_m} m"
        if missing:
            label += " · " + pgettext("list separator", ", ").join(missing)
        places.append(
            Place(
                series=UNGUARDED if missing else GUARDED,
                name=water.name,
                lon=float(water.longitude),
                lat=float(water.latitude),
                label=label,
                link=f"{url}?{urlencode({'org': water.org_id, 'q': water.name})}",
            )
        )
    return places


WATERS_OVERLAY = Overlay(
    name="waters",
    label=gettext_lazy("Dangerous waters"),
    series=(
        Series(GUARDED, gettext_lazy("Water with signs and barriers"), "#0277bd", "emptyCircle"),
        Series(UNGUARDED, gettext_lazy("Water lacking a sign or barrier"), "#6a1b9a", "pin"),
    ),
    points=waters_on_map,
)
