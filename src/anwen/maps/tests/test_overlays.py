"""Overlays: places other than schools (the waters near schools) drawn over the map, each
kind a series of its own; the provider answers for the user looking and the map's org."""

import pytest

from anwen.maps.overlays import Overlay, Place, Series, register_overlay, unregister_overlay

pytestmark = pytest.mark.django_db

URL = "/maps/data.json"


def test_an_overlays_places_come_with_the_map_for_its_user_and_org(world, login):
    asked = []

    def places(user, org):
        asked.append((user.username, org))
        return [Place(series="b", name="塘", lon=105.9, lat=29.3, label="山坪塘", link="/x/")]

    register_overlay(
        Overlay(
            name="test.ponds",
            label="水域",
            series=(
                Series("a", "有护栏", "#0277bd", "circle"),
                Series("b", "无护栏", "#6a1b9a", "pin"),
            ),
            points=places,
        )
    )
    try:
        client = login(world.users["centre"])
        data = client.get(URL, {"org": world.S1.pk}).json()
        assert client.get(URL, {"org": world.S3.pk}).status_code == 404  # asked nothing
    finally:
        unregister_overlay("test.ponds")
    assert asked == [("centre", world.S1)]
    assert data["overlays"] == [
        {
            "name": "test.ponds",
            "label": "水域",
            "series": [
                {"key": "a", "label": "有护栏", "colour": "#0277bd", "symbol": "circle"},
                {"key": "b", "label": "无护栏", "colour": "#6a1b9a", "symbol": "pin"},
            ],
            "points": [
                {
                    "series": "b",
                    "name": "塘",
                    "lon": 105.9,
                    "lat": 29.3,
                    "label": "山坪塘",
                    "link": "/x/",
                }
            ],
        }
    ]
    assert login(world.users["bureau"]).get(URL).json()["overlays"] == []
