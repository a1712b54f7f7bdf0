"""The networked rate (SM3.1): by device type, school type and centre, against the plan's
target per school type, with the schools that hold it down, each a link to its devices."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.devices.models import Device
from anwen.devices.rates import BEHIND, LATE
from anwen.obligations.services import ObligationError, plan_of_year, plan_rules_set
from anwen.testing.world import add_schools

pytestmark = pytest.mark.django_db

RATES = "/devices/rates/"


@pytest.fixture
def devices(world, device):
    """S2 (kindergarten, C1): alarms 1/2, cameras 2/2 networked — the target counts these two
    types: 3 of 4 —, access 1/1, patrol points 0/2, a retired camera (not counted). S1
    (primary, C1): alarm 1/1, cameras 1/2. S3 (middle, C2): alarm 1/1."""
    for code, kind, networked in [
        ("K-A1", "alarm", True),
        ("K-A2", "alarm", False),
        ("K-C1", "camera", True),
        ("K-C2", "camera", True),
        ("K-M1", "access", True),
        ("K-P1", "patrol", False),
        ("K-P2", "patrol", False),
    ]:
        device("S2", code, kind=kind, networked=networked)
    device("S2", "K-C9", kind="camera", networked=False, in_service=False)
    device("S1", "P-A1", kind="alarm", networked=True)
    device("S1", "P-C1", kind="camera", networked=True)
    device("S1", "P-C2", kind="camera", networked=False)
    device("S3", "M-A1", kind="alarm", networked=True)


def _line(lines, key):
    return next(line for line in lines if line.key == key)


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_rates_by_type_school_type_and_centre_against_the_plans_target(
    client, world, login, devices
):
    login(world.users["bureau"])
    response = client.get(RATES)
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.total.all.networked, board.total.all.total) == (7, 11)
    assert (board.total.kinds["camera"].networked, board.total.kinds["camera"].total) == (3, 4)
    kindergarten = _line(board.by_type, "kindergarten")
    assert kindergarten.target.percent == 100 and kindergarten.target.by == date(2021, 12, 31)
    assert (kindergarten.counted.networked, kindergarten.counted.total) == (3, 4)  # alarm+camera
    assert (kindergarten.all.networked, kindergarten.all.total) == (4, 7)
    assert kindergarten.state == LATE  # 75% after 2021-12-31
    assert _line(board.by_type, "primary").target is None  # the 2021 plan sets none
    centre = _line(board.by_centre, world.orgs["C1"].name)
    assert (centre.all.networked, centre.all.total) == (6, 10)
    assert [s.org_id for s in board.below] == [world.orgs["S2"].pk]
    text = response.content.decode()
    assert "75.0% (3/4)" in text and "57.1% (4/7)" in text
    assert f"/registers/devices/?org={world.orgs['S2'].pk}&amp;networked=0" in text
    follow = client.get(f"/registers/devices/?org={world.orgs['S2'].pk}&networked=0")
    assert "K-A2" in follow.content.decode() and "K-C1" not in follow.content.decode()


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_a_target_set_in_the_plan_counts_from_then_on(client, world, login, devices):
    plan = plan_of_year(owner=world.orgs["B1"], year=2026)
    targets = {
        "kindergarten": {"percent": 70, "by": "2021-12-31", "kinds": ["alarm", "camera"]},
        "primary": {"percent": 90, "by": "2027-06-30"},
    }
    plan_rules_set(plan=plan, by=world.users["admin"], values={"devices.network_targets": targets})
    login(world.users["bureau"])
    board = client.get(RATES).context["board"]
    assert _line(board.by_type, "kindergarten").state == "met"  # 75% ≥ 70%
    primary = _line(board.by_type, "primary")
    assert (primary.counted.networked, primary.counted.total) == (2, 3)  # every type counts
    assert primary.state == BEHIND  # 66.7% < 90%, its date to come
    assert [s.org_id for s in board.below] == [world.orgs["S1"].pk]
    for junk in (
        {"castle": {"percent": 100, "by": "2021-12-31"}},
        {"primary": {"percent": 101, "by": "2021-12-31"}},
        {"primary": {"percent": 90, "by": "soon"}},
        {"primary": {"percent": 90, "by": "2027-06-30", "kinds": ["toaster"]}},
        [1, 2],
    ):
        with pytest.raises(ObligationError):
            plan_rules_set(
                plan=plan, by=world.users["admin"], values={"devices.network_targets": junk}
            )


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_rates_page_is_scoped_to_the_centre_and_the_school(client, world, login, devices):
    login(world.users["centre2"])
    board = client.get(RATES).context["board"]
    assert [line.key for line in board.by_type] == ["middle"] and board.below == []
    login(world.users["centre"])
    board = client.get(RATES).context["board"]
    assert (board.total.all.networked, board.total.all.total) == (6, 10)
    login(world.users["principal"])
    board = client.get(RATES).context["board"]
    assert (board.total.all.networked, board.total.all.total) == (2, 3)
    login(world.users["other_bureau"])
    board = client.get(RATES).context["board"]
    assert board.total.all.total == 0
    login(world.users["teacher"])
    assert client.get(RATES).status_code == 404


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_rates_page_asks_a_fixed_number_of_queries(
    client, world, login, devices, django_assert_max_num_queries
):
    login(world.users["bureau"])
    client.get(RATES)  # the session's first request warms what is cached per process
    with CaptureQueriesContext(connection) as small:
        client.get(RATES)
    for school in add_schools(world, 30, parent="C2"):
        Device.objects.bulk_create(
            Device(org=school, code=f"D{n}", kind=kind, networked=n % 3 > 0)
            for n, kind in enumerate(["alarm", "camera", "camera", "access", "patrol"])
        )
    with django_assert_max_num_queries(13):
        response = client.get(RATES)
    assert len(response.context["board"].below) == 1  # the primaries have no target
    with CaptureQueriesContext(connection) as large:
        client.get(RATES)
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
