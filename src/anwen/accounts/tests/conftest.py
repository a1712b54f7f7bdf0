import pytest
from django.test import Client

from anwen.testing.world import PASSWORD


@pytest.fixture
def client():
    """A test client that chose English, so messages can be compared with the source text."""
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def password_login(client):
    """password_login(username, password=PASSWORD) -> the response to POSTing the login form."""

    def _post(username, password=PASSWORD, **extra):
        return client.post("/login/", {"username": username, "password": password, **extra})

    return _post
