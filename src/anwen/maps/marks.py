"""What colours a school's point on the map: a registry of mark providers.

The map knows schools and coordinates; what makes a school red is another engine's business.
An engine registers a provider once (in its AppConfig.ready), and the map asks it for the marks
of the schools it is about to draw — the maps app imports no engine:

    from anwen.maps import marks

    def worst_open_hazard(org, schools):
        ...  # one or two queries for all `schools`, never one per school
        return {school.pk: marks.Mark(level=4, label="重大隐患 2 项", link=url) ...}

    marks.register("hazards", worst_open_hazard, label=_("Worst open hazard"))

`org` is the org the map is about (None: the user's whole view), `schools` the active schools
already scoped to the user, with `school` (the profile) loaded. A school missing from the
answer is level 0. Levels follow the national risk colours: 4 major red, 3 larger orange,
2 general yellow, 1 low blue, 0 none green.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from anwen.orgs.models import Org


@dataclass(frozen=True)
class Mark:
    level: int  # 0–4, clamped
    label: str = ""  # what the point's tooltip says (e.g. "重大隐患 1 项，逾期 3 天")
    link: str = ""  # where a click goes; "" is the school's page


@dataclass(frozen=True)
class Level:
    level: int
    label: StrOrPromise
    colour: str
    symbol: str  # an ECharts symbol: colour is never alone (colour-blind users, grey print)


LEVELS = (
    Level(0, pgettext_lazy("risk level", "None"), "#2e7d32", "circle"),
    Level(1, pgettext_lazy("risk level", "Low"), "#1e6fd9", "rect"),
    Level(2, pgettext_lazy("risk level", "General"), "#c9a400", "triangle"),
    Level(3, pgettext_lazy("risk level", "Larger"), "#e67e22", "diamond"),
    Level(4, pgettext_lazy("risk level", "Major"), "#c62828", "pin"),
)
# With no provider every point is a plain school, in a neutral grey.
PLAIN = Level(0, pgettext_lazy("map point", "School"), "#5f6b7a", "circle")

MarkProvider = Callable[[Org | None, list[Org]], dict[int, Mark]]


@dataclass(frozen=True)
class Layer:
    name: str
    label: StrOrPromise
    marks: MarkProvider
    # Labels per level where the provider's words differ from the risk scale's.
    legend: dict[int, StrOrPromise] | None = None

    def levels(self) -> list[Level]:
        legend = self.legend or {}
        return [
            Level(lv.level, legend.get(lv.level, lv.label), lv.colour, lv.symbol) for lv in LEVELS
        ]


_LAYERS: dict[str, Layer] = {}


def register(
    name: str,
    marks: MarkProvider,
    *,
    label: StrOrPromise,
    legend: dict[int, StrOrPromise] | None = None,
) -> None:
    """Add (or replace, by name) a provider of marks; the first registered is the default."""
    _LAYERS[name] = Layer(name, label, marks, legend)


def unregister(name: str) -> None:
    _LAYERS.pop(name, None)


def layers() -> list[Layer]:
    return list(_LAYERS.values())


def layer(name: str | None) -> Layer | None:
    """The layer called `name`, else the first registered, else None (plain points)."""
    if name and name in _LAYERS:
        return _LAYERS[name]
    return next(iter(_LAYERS.values()), None)


def clamp(level: int) -> int:
    return max(0, min(4, int(level)))
