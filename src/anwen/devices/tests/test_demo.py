import random
from datetime import date

import pytest

from anwen.devices import demo
from anwen.devices.models import Device
from anwen.testing.world import add_schools

pytestmark = pytest.mark.django_db


@pytest.mark.day(date(2026, 12, 1))
def test_the_demo_gives_every_school_its_devices_some_unnetworked_some_overdue(
    client, world, login
):
    add_schools(world, 12, parent="C2")
    demo.load_demo(bureau=world.orgs["B1"], today=date(2026, 12, 1), rng=random.Random(1))
    schools = {world.orgs[k].pk for k in ("S1", "S2", "S3")}
    assert schools <= set(Device.objects.values_list("org_id", flat=True))
    assert not Device.objects.filter(org=world.orgs["S9"]).exists()  # another district's
    for kind in ("alarm", "camera", "access", "patrol"):
        assert Device.objects.filter(org=world.orgs["S1"], kind=kind).exists()
    assert Device.objects.filter(check_due__lt=date(2026, 12, 1)).exists()
    assert Device.objects.filter(
        networked=False, kind="alarm", org__school__school_type="kindergarten"
    ).exists()
    login(world.users["bureau"])
    assert client.get("/devices/rates/").status_code == 200
    assert client.get("/registers/devices/").status_code == 200
