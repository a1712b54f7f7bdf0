from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]


def test_sessions_end_after_thirty_idle_minutes_and_requests_extend_them():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.ANWEN_SESSION_REFRESH_SECONDS == 60
    assert "anwen.accounts.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE


def test_a_request_pushes_the_expiry_thirty_minutes_ahead(world, password_login, client):
    with time_machine.travel("2026-11-10 09:00 +0800", tick=False) as clock:
        password_login("school")
        key = client.session.session_key
        clock.shift(timedelta(minutes=25))  # 25 idle minutes: five are left
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() + timedelta(minutes=5)
        )
        assert client.get("/").status_code == 200
        left = Session.objects.get(session_key=key).expire_date - timezone.now()
        assert timedelta(minutes=29) < left <= timedelta(minutes=30)


def test_requests_within_a_minute_write_the_session_once(world, password_login, client):
    with time_machine.travel("2026-11-10 09:00 +0800", tick=False) as clock:
        password_login("school")
        clock.shift(timedelta(minutes=2))
        client.get("/")  # pushes the expiry: a write
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                clock.shift(timedelta(seconds=10))
                assert client.get("/").status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]
        assert not any("django_session" in sql for sql in writes), writes
        clock.shift(timedelta(seconds=45))  # now more than a minute since the push
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        assert any("django_session" in q["sql"] and q["sql"].startswith("UPDATE") for q in queries)


def test_a_session_idle_past_its_expiry_is_logged_out(world, password_login, client):
    password_login("school")
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
