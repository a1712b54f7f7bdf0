"""Places other than schools drawn over the school map: a registry of overlays.

A mark colours a school's point (`marks`); an overlay adds points of its own — the dangerous
waters near schools, each by its coordinates. An engine registers one in its AppConfig.ready
(the maps app imports no engine), and the map's data carries every overlay's points as series
of their own, which the map's legend shows and hides:

    register_overlay(Overlay(
        name="waters", label=_("Dangerous waters"),
        series=(Series("safe", _("Water with signs and barriers"), "#1e88e5", "circle"), ...),
        points=waters_on_map,   # (user, org) → [Place], scoped to what the user may see
    ))

`points(user, org)` answers what `user` may see of its own engine below `org` (None: the whole
view), in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from anwen.orgs.models import Org


@dataclass(frozen=True)
class Series:
    key: str
    label: StrOrPromise
    colour: str
    symbol: str  # an ECharts symbol: colour is never alone


@dataclass(frozen=True)
class Place:
    series: str  # the key of one of the overlay's series
    name: str
    lon: float
    lat: float
    label: str = ""
    link: str = ""


@dataclass(frozen=True)
class Overlay:
    name: str
    label: StrOrPromise
    series: tuple[Series, ...]
    points: Callable[[Any, Org | None], list[Place]]


_OVERLAYS: dict[str, Overlay] = {}


def register_overlay(overlay: Overlay) -> None:
    """Add (or replace, by name) an overlay."""
    _OVERLAYS[overlay.name] = overlay


def unregister_overlay(name: str) -> None:
    _OVERLAYS.pop(name, None)


def overlays() -> list[Overlay]:
    return list(_OVERLAYS.values())
