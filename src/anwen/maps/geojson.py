"""Checking a district boundary file before anything of it is kept.

The bureau uploads the official boundary (published maps in China must use official ones, so
none ships with the project). The whole file is read and checked first — size, JSON, GeoJSON
shape, polygons only, closed rings, coordinates inside China, a vertex count a browser draws
quickly — and every problem found is named in a sentence, up to a handful, so one upload
tells the clerk everything to fix. Only a file without problems comes back, normalised to a
FeatureCollection whose features carry just a name (the rest of the properties is dropped: the
map needs no more, and nothing unchecked is served again).
"""

import json
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from anwen.errors import AppError

MAX_BYTES = 5 * 1024 * 1024
MAX_VERTICES = 200_000
MAX_PROBLEMS = 8
# China's extent, generously: 73°E–136°E, 3°N–54°N. Projected metres (a common export
# mistake) or swapped axes fall outside it.
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
POLYGONS = ("Polygon", "MultiPolygon")


class BoundaryError(AppError):
    """The file was refused; `problems` are the sentences, one per problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0], field="file")
        self.problems = problems


@dataclass(frozen=True)
class Checked:
    geojson: dict
    features: int
    vertices: int


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(message)

    @property
    def full(self) -> bool:
        return len(self.found) >= MAX_PROBLEMS


def _refuse_constant(name: str):
    raise ValueError(name)


def parse(content: bytes) -> dict:
    """The file's JSON object, or BoundaryError with what is wrong with it as a file."""
    if len(content) > MAX_BYTES:
        raise BoundaryError([too_big_message()])
    if not content.strip():
        raise BoundaryError([_("The file is empty: choose the boundary's GeoJSON file.")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BoundaryError(
            [_("The file is not UTF-8 text: save the GeoJSON as UTF-8 and upload it again.")]
        ) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BoundaryError(
            [
                _(
                    "The file is not valid JSON (line %(line)s, column %(column)s): "
                    "export it again as GeoJSON."
                )
                % {"line": exc.lineno, "column": exc.colno}
            ]
        ) from None
    except (ValueError, RecursionError):  # NaN, Infinity, or nesting no boundary has
        raise BoundaryError(
            [_("The file is not valid JSON: export it again as GeoJSON.")]
        ) from None
    if not isinstance(data, dict):
        raise BoundaryError([not_geojson_message()])
    return data


def too_big_message() -> str:
    return _(
        "The file is larger than %(limit)s MB: simplify the boundary (for example with "
        "mapshaper) and upload it again."
    ) % {"limit": MAX_BYTES // (1024 * 1024)}


def not_geojson_message() -> str:
    return _(
        "The file is not a GeoJSON FeatureCollection or Feature: export the boundary as GeoJSON."
    )


def check(content: bytes) -> Checked:
    """The checked, normalised boundary of `content`, or BoundaryError naming every problem."""
    data = parse(content)
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise BoundaryError([not_geojson_message()])
    elif kind == "Feature":
        features = [data]
    else:
        raise BoundaryError([not_geojson_message()])
    if not features:
        raise BoundaryError([_("The file has no features: it must hold the district's area.")])

    problems = _Problems()
    vertices = 0
    kept = []
    for number, feature in enumerate(features, start=1):
        if problems.full:
            break
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.add(_("Feature %(n)s is not a GeoJSON Feature.") % {"n": number})
            continue
        if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
            problems.add(
                _("Feature %(n)s has no geometry: only Polygon and MultiPolygon are accepted.")
                % {"n": number}
            )
            continue
        if geometry["type"] not in POLYGONS:
            problems.add(
                _(
                    "Feature %(n)s is a %(type)s, not an area: only Polygon and MultiPolygon "
                    "are accepted."
                )
                % {"n": number, "type": geometry["type"][:40]}
            )
            continue
        coordinates = geometry.get("coordinates")
        polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
        if not isinstance(polygons, list) or not polygons:
            problems.add(_("Feature %(n)s has no coordinates.") % {"n": number})
            continue
        clean = []
        for polygon in polygons:
            rings = _polygon(polygon, number, problems)
            if rings is None:
                break
            vertices += sum(len(ring) for ring in rings)
            clean.append(rings)
        else:
            properties = feature.get("properties")
            name = properties.get("name") if isinstance(properties, dict) else None
            kept.append(
                {
                    "type": "Feature",
                    "properties": {"name": name[:120] if isinstance(name, str) else ""},
                    "geometry": (
                        {"type": "Polygon", "coordinates": clean[0]}
                        if geometry["type"] == "Polygon"
                        else {"type": "MultiPolygon", "coordinates": clean}
                    ),
                }
            )
        if vertices > MAX_VERTICES:
            problems.add(
                _(
                    "The boundary has more than %(limit)s points: simplify it (for example "
                    "with mapshaper) and upload it again."
                )
                % {"limit": f"{MAX_VERTICES:,}"}
            )
            break
    if problems.found:
        raise BoundaryError(problems.found)
    return Checked(
        geojson={"type": "FeatureCollection", "features": kept},
        features=len(kept),
        vertices=vertices,
    )


def _polygon(polygon, number: int, problems: _Problems) -> list[list[list[float]]] | None:
    """The polygon's rings as [lon, lat] lists, or None after adding what is wrong."""
    if not isinstance(polygon, list) or not polygon:
        problems.add(_("Feature %(n)s: a polygon has no rings.") % {"n": number})
        return None
    rings = []
    for ring_number, ring in enumerate(polygon, start=1):
        where = {"n": number, "ring": ring_number}
        if not isinstance(ring, list) or len(ring) < 4:
            problems.add(
                _("Feature %(n)s, ring %(ring)s: a ring needs at least four points.") % where
            )
            return None
        points = []
        for position in ring:
            point = _position(position)
            if point is None:
                problems.add(
                    _(
                        "Feature %(n)s, ring %(ring)s: a point is not a pair of numbers "
                        "(longitude, latitude)."
                    )
                    % where
                )
                return None
            lon, lat = point
            if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
                problems.add(
                    _(
                        "Feature %(n)s, ring %(ring)s: the point (%(lon)s, %(lat)s) lies outside "
                        "China (longitude 73–136, latitude 3–54). The file must use longitude "
                        "and latitude in degrees, not projected metres, longitude first."
                    )
                    % {**where, "lon": _short(lon), "lat": _short(lat)}
                )
                return None
            points.append([lon, lat])
        if points[0] != points[-1]:
            problems.add(
                _(
                    "Feature %(n)s, ring %(ring)s is not closed: its first and last points "
                    "must be the same."
                )
                % where
            )
            return None
        rings.append(points)
    return rings


def _position(position) -> tuple[float, float] | None:
    if not isinstance(position, list) or not 2 <= len(position) <= 3:
        return None
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not math.isfinite(value):
            return None
    return float(lon), float(lat)


def _short(value: float) -> str:
    return f"{value:.6g}"
