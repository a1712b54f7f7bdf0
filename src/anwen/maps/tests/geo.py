"""Boundary files for tests: a made-up district square near 105.9°E 29.35°N (not an official
boundary; tests only)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

SQUARE = [[105.7, 29.1], [106.1, 29.1], [106.1, 29.6], [105.7, 29.6], [105.7, 29.1]]


def collection(*geometries, names=None) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": (names or [""] * 9)[i]}, "geometry": g}
            for i, g in enumerate(geometries)
        ],
    }


def polygon(ring=None) -> dict:
    return {"type": "Polygon", "coordinates": [ring or SQUARE]}


def upload(data, name: str = "district.geojson") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")
