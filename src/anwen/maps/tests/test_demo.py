"""The demo district's schools have coordinates: its map shows every one of them, and no
boundary comes with it (official boundaries only, uploaded by the bureau)."""

import pytest

from anwen.demo.district import build_district
from anwen.maps.models import Boundary
from anwen.testing.world import log_in

pytestmark = pytest.mark.django_db


def test_the_demo_map_places_every_school_and_ships_no_boundary(client):
    district = build_district(schools=24)
    log_in(client, district.accounts["bureau"])
    data = client.get("/maps/data.json").json()
    assert len(data["schools"]) == 24
    assert data["unplaced"] == []
    assert data["boundary"] is None
    assert not Boundary.objects.exists()
