"""A guard scans a posted code with the phone: the page shows the checkpoint and one button;
only the button records, and only for staff of that school who may patrol."""

import pytest
from django.urls import reverse
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.orgs import services as orgs
from anwen.orgs.roles import RoleName
from anwen.patrol import services
from anwen.patrol.models import Scan
from anwen.patrol.tests.conftest import NIGHT, at
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM3.4")]


def _url(checkpoint):
    return reverse("patrol:scan", args=[checkpoint.token])


def test_opening_the_code_shows_the_checkpoint_and_writes_nothing(world, login, campus):
    client = login(world.users["guard"])
    response = client.get(_url(campus.points[0]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "东门岗亭" in page and world.S1.name in page
    assert page.count('type="submit" class="btn scan-button"') == 1
    assert not Scan.objects.exists()


def test_the_button_records_the_point_the_guard_and_the_server_time(world, login, campus):
    client = login(world.users["guard"])
    before = timezone.now()
    response = client.post(_url(campus.points[1]))
    after = timezone.now()
    assert response.status_code == 302 and response["Location"] == _url(campus.points[1])
    scan = Scan.objects.get()
    assert scan.checkpoint == campus.points[1] and scan.org == world.S1
    assert scan.user == world.users["guard"] and scan.person == world.people["guard"]
    assert before <= scan.scanned_at <= after
    assert AuditEvent.objects.filter(action="patrol.scan.recorded", object_id=str(scan.pk)).exists()


def test_a_scan_in_the_round_hours_counts_for_that_night(world, campus):
    scan, new = services.scan_record(
        checkpoint=campus.points[0], by=world.users["guard"], at=at(NIGHT.replace(day=11), 2, 15)
    )
    assert new and scan.schedule == campus.schedule and scan.night == NIGHT
    daytime, _new = services.scan_record(
        checkpoint=campus.points[0], by=world.users["guard"], at=at(NIGHT, 14, 0)
    )
    assert daytime.schedule is None and daytime.night is None


def test_a_second_tap_within_a_minute_is_not_a_second_scan(world, login, campus):
    client = login(world.users["guard"])
    client.post(_url(campus.points[0]))
    client.post(_url(campus.points[0]))
    assert Scan.objects.count() == 1
    first = Scan.objects.get()
    _scan, new = services.scan_record(
        checkpoint=campus.points[0],
        by=world.users["guard"],
        at=first.scanned_at + timezone.timedelta(seconds=61),
    )
    assert new and Scan.objects.count() == 2


def test_another_guard_at_the_same_point_is_his_own_scan(world, login, campus):
    second = orgs.person_create(org=world.S1, name="第二保安", positions=[])
    from anwen.accounts.models import User

    user = User.objects.create_user(username="guard2", password="x")
    orgs.role_assign(user=user, org=world.S1, role=RoleName.GUARD)
    second.user = user
    second.save(update_fields=["user"])
    login(world.users["guard"]).post(_url(campus.points[0]))
    login(user).post(_url(campus.points[0]))
    assert Scan.objects.filter(checkpoint=campus.points[0]).count() == 2


@pytest.mark.parametrize("username", ["school3", "other_school", "teacher", "centre", "bureau"])
def test_anyone_but_staff_of_that_school_who_patrol_gets_a_404(world, login, campus, username):
    client = login(world.users[username])
    assert client.get(_url(campus.points[0])).status_code == 404
    assert client.post(_url(campus.points[0])).status_code == 404
    assert not Scan.objects.exists()


def test_an_unknown_code_is_a_404(world, login, campus):
    client = login(world.users["guard"])
    assert client.get(reverse("patrol:scan", args=["no-such-code"])).status_code == 404
    assert client.post(reverse("patrol:scan", args=["no-such-code"])).status_code == 404


def test_a_reissued_code_retires_the_old_one(world, login, campus):
    old = _url(campus.points[0])
    services.checkpoint_update(
        checkpoint=campus.points[0], by=world.users["school"], name="东门岗亭", new_code=True
    )
    campus.points[0].refresh_from_db()
    client = login(world.users["guard"])
    assert _url(campus.points[0]) != old
    assert client.get(old).status_code == 404
    assert client.get(_url(campus.points[0])).status_code == 200


def test_an_anonymous_phone_logs_in_first_and_comes_back(client, world, campus):
    url = _url(campus.points[0])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Scan.objects.exists()
    back = client.post(
        response["Location"], {"username": "guard", "password": PASSWORD, "next": url}
    )
    assert back.status_code == 302 and back["Location"] == url
    assert client.get(url).status_code == 200
    assert not Scan.objects.exists()
