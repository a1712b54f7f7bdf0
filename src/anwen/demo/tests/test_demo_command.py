import functools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from anwen.accounts.models import User
from anwen.demo.district import DEMO_PASSWORD, build_district
from anwen.demo.management.commands import demo as demo_command
from anwen.orgs.models import Org, Person

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL1")]

USERNAMES = [
    "admin",
    "bureau",
    "leader",
    "centre",
    "principal",
    "school",
    "teacher",
    "guard",
    "attendant",
    "agency",
    "clerk",
    "handler",
]


@pytest.fixture
def demo_dirs(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "var"
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    # The command loads the full district; the tests need only its shape.
    monkeypatch.setattr(
        demo_command, "build_district", functools.partial(build_district, schools=24)
    )
    return settings


def test_the_demo_command_creates_the_accounts_and_prints_the_logins(demo_dirs, capsys):
    call_command("demo", "--no-serve", "--port", "8123")
    out = capsys.readouterr().out
    assert set(User.objects.values_list("username", flat=True)) == set(USERNAMES)
    assert "anwen-demo" in out and "http://127.0.0.1:8123/login/" in out
    for username in USERNAMES:
        assert f"  {username} " in out
    assert (demo_dirs.STATIC_ROOT / "anwen" / "anwen.css").exists()


def test_a_second_run_adds_nothing(demo_dirs, capsys):
    call_command("demo", "--no-serve")
    counts = (Org.objects.count(), Person.objects.count(), User.objects.count())
    call_command("demo", "--no-serve")
    assert (Org.objects.count(), Person.objects.count(), User.objects.count()) == counts
    assert "not loaded again" in capsys.readouterr().out


def test_reset_refuses_a_database_outside_the_data_directory(demo_dirs):
    # The test database is not a file under DATA_DIR: nothing may be deleted.
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", "--no-serve", "--reset")
    assert not Org.objects.exists()  # stopped before loading anything


def test_reset_refuses_a_database_that_is_not_sqlite(demo_dirs, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.postgresql")
    with pytest.raises(CommandError, match="SQLite"):
        call_command("demo", "--no-serve", "--reset")


@pytest.mark.parametrize("username", USERNAMES)
def test_each_demo_login_works_through_the_login_form(username):
    build_district(schools=24)
    user = User.objects.get(username=username)
    org = user.role_assignments.get().org
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    final_path = response.redirect_chain[-1][0].split("?")[0]
    if username == "admin":
        # Administrators enrol a second factor before they see anything.
        assert final_path == reverse("accounts:two_factor")
    else:
        assert final_path == "/"
        assert response.status_code == 200
        assert org.name in response.content.decode()
