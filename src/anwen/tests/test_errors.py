"""One application error: every app's refusal is an AppError, and the API answers it with 422."""

import importlib
import inspect
import pkgutil

import pytest

import anwen
from anwen.accounts.models import ApiToken
from anwen.errors import AppError

# Exceptions of the project that are not a service refusing a user's request, and why.
NOT_REFUSALS = {
    # A guard against code (or a shell) rewriting the audit trail: never shown to a user.
    "anwen.audit.models.AppendOnlyError",
    # A lookup of the installation's bureau by the setup command, a LookupError on purpose.
    "anwen.orgs.selectors.NoSuchBureau",
    # An SMS gateway that did not take a message: the worker's, retried and never shown to
    # the person whose request caused the notice.
    "anwen.outbox.sms.SmsError",
}


def _project_exceptions() -> dict[str, type[BaseException]]:
    found = {}
    for module_info in pkgutil.walk_packages(anwen.__path__, prefix="anwen."):
        name = module_info.name
        if any(
            part in {"tests", "migrations", "management"} for part in name.split(".")
        ) or name in {"anwen.wsgi", "anwen.cli"}:
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_apps_error_is_an_app_error():
    found = _project_exceptions()
    # The walk did find each app's error (a rename would otherwise pass unnoticed).
    assert {path.rsplit(".", 1)[1] for path in found} >= {
        "AccountError",
        "AuditError",
        "CalendarError",
        "DutyError",
        "EvidenceError",
        "FireError",
        "InspectionError",
        "ObligationError",
        "OrgError",
        "PatrolError",
    }
    not_app_errors = sorted(
        path
        for path, cls in found.items()
        if not issubclass(cls, AppError) and path not in NOT_REFUSALS
    )
    assert not_app_errors == []


def test_an_app_error_is_its_message_and_names_its_field():
    error = AppError("Give the area a name.", field="name")
    assert str(error) == error.message == "Give the area a name."
    assert error.field == "name"
    assert AppError("No field.").field is None


def _token_for(user) -> dict:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", prefix=key[:8], key_hash=ApiToken.hash_key(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
@pytest.mark.req("PL9")
def test_the_api_answers_a_refusing_service_with_422_and_the_field(client, world, monkeypatch):
    from anwen.inspections import services as inspections
    from anwen.inspections.models import GridArea

    # No API route writes yet: let the org detail route call a real service that refuses
    # (an area without a name), as a write route will.
    def refusing(user, org_id):
        return inspections.area_create(
            org=world.S1, by=user, name="  ", kind="building", owner=world.people["teacher"]
        )

    monkeypatch.setattr("anwen.orgs.api.access_org", refusing)
    response = client.get(f"/api/v1/orgs/{world.S1.pk}", **_token_for(world.users["school"]))
    # The message in the user's language, as the pages show it.
    assert response.status_code == 422
    assert response.json() == {"detail": "请填写网格名称。", "field": "name"}
    assert not GridArea.objects.exists()


@pytest.mark.django_db
@pytest.mark.req("PL9")
def test_a_refusal_without_a_field_answers_field_null(client, world, monkeypatch):
    from anwen.orgs import services as orgs

    def refusing(user, org_id):
        return orgs.org_update(org=world.S1, parent=world.S1)

    monkeypatch.setattr("anwen.orgs.api.access_org", refusing)
    response = client.get(f"/api/v1/orgs/{world.S1.pk}", **_token_for(world.users["school"]))
    assert response.status_code == 422
    assert response.json() == {"detail": "单位不能移到其自身之下。", "field": None}
