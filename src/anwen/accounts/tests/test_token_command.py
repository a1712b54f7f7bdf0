from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from anwen.accounts.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL9")]


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_a_key_that_works_until_revoked(world):
    key = run("create", "school", "--name", "backup script")
    assert key.startswith("anw_") and "\n" not in key
    api = Client()
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["username"] == "school"
    assert ApiToken.objects.get().name == "backup script"

    assert "Revoked" in run("revoke", key[:8])
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_command_refuses_an_unknown_user_and_a_too_short_prefix(world):
    with pytest.raises(CommandError):
        run("create", "nobody", "--name", "x")
    run("create", "school", "--name", "x")
    with pytest.raises(CommandError):
        run("revoke", "anw_")
    with pytest.raises(CommandError):
        run("revoke", "anw_zzzzzzzz-not-a-token")
    assert ApiToken.objects.get().revoked_at is None


def test_a_whole_key_revokes_its_token_even_when_prefixes_collide(world):
    keys = [run("create", "school", "--name", n) for n in ("a", "b")]
    ApiToken.objects.update(prefix="anw_same")
    with pytest.raises(CommandError, match="2 tokens match"):
        run("revoke", "anw_same")
    run("revoke", keys[1])
    assert list(
        ApiToken.objects.filter(revoked_at__isnull=True).values_list("name", flat=True)
    ) == ["a"]
