import pytest
from django.test import Client

from anwen.testing.world import PASSWORD


@pytest.fixture
def client():
    """A test client that asks for English, so messages can be compared with the source text."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def password_login(client):
    """password_login(username, password=PASSWORD) -> the response to POSTing the login form."""

    def _post(username, password=PASSWORD, **extra):
        return client.post("/login/", {"username": username, "password": password, **extra})

    return _post
