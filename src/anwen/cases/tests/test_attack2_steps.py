"""Second attack on the case engine's routes (issue 9): every step of every declared type,
posted through the page and the API by every persona who may not take it, writes nothing; and
hostile input on every registration and step form is a message, never a 500."""

import pytest
from django.test import Client

from anwen.cases.forms import RegisterForm, StepForm
from anwen.cases.models import Case
from anwen.cases.selectors import visible_cases
from anwen.cases.services import case_register
from anwen.cases.types import case_types
from anwen.once.tokens import new_token
from anwen.testing.world import api_key, log_in
from anwen.workflow.engine import refusal
from anwen.workflow.models import Event, Grant

# Who registers a type where: a school's safety officer at S1, the bureau's officer at B1.
REGISTRANT = {"school": ("school", "S1"), "bureau": ("bureau", "B1")}
HOSTILE = (
    "x" * 100_000,
    "bad\x00byte",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "-99999999999999999999999999",
    "１２３",  # full-width digits
    "<script>alert(1)</script>",
)


def _case_of(world, case_type) -> Case:
    kind = "school" if "school" in case_type.org_kinds else case_type.org_kinds[0]
    who, org_key = REGISTRANT.get(kind, ("centre", "C1"))
    channel = case_type.channels.values[0] if case_type.channels is not None else ""
    return case_register(
        case_type=case_type,
        org=world.orgs[org_key],
        by=world.users[who],
        subject="攻击测试事项",
        content="攻击测试内容",
        channel=channel,
        people={"name": "攻击测试人", "phone": "13800000000"},
    )


def _written(case) -> tuple:
    case.refresh_from_db()
    return (
        case.state,
        Event.objects.filter(record_id=case.pk).count(),
        Grant.objects.filter(record_id=case.pk).count(),
        case.reply,
        case.outcome,
        case.details,
        case.private,
    )


def _people(world, *extra):
    return {name: world.users[name] for name in (*world.users, *extra)}


def test_no_one_takes_a_step_of_any_type_they_may_not_take(world, clerk, dept, other_clerk):
    clients: dict[str, Client] = {}
    for name, user in _people(world).items():
        clients[name] = Client()
        log_in(clients[name], user)
    tried = 0
    for case_type in case_types().values():
        case = _case_of(world, case_type)
        workflow = case_type.workflow
        for name, user in _people(world).items():
            for transition in workflow.transitions:
                fresh = Case.objects.get(pk=case.pk)
                if refusal(workflow, fresh, transition, user) is None:
                    continue
                before = _written(case)
                page = clients[name].post(
                    f"/cases/{case.pk}/step/{transition.name}/",
                    {f"{transition.name}-once": new_token(), f"{transition.name}-note": "理由"},
                )
                seen = visible_cases(user, full=True).filter(pk=case.pk).exists()
                # Another school's, centre's or district's case is missing; one's own refuses.
                assert page.status_code == (302 if seen else 404), (
                    case_type.code,
                    name,
                    transition.name,
                )
                api = clients[name].post(
                    f"/api/v1/cases/{case.pk}/actions/{transition.name}",
                    {"note": "理由"},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {api_key(user)}",
                )
                assert api.status_code in ((403, 409) if seen else (404,)), (
                    case_type.code,
                    name,
                    transition.name,
                )
                assert _written(case) == before, (case_type.code, name, transition.name)
                tried += 1
    assert tried > 500


def _hostile_step_posts(client, case, case_type, user):
    """Every step `user` may take now, each field filled with each hostile value."""
    for transition in case_type.workflow.available(Case.objects.get(pk=case.pk), user):
        form = StepForm(
            case=case, user=user, case_type=case_type, name=transition.name, prefix=transition.name
        )
        for value in HOSTILE:
            data = {f"{transition.name}-{k}": value for k in form.fields}
            response = client.post(f"/cases/{case.pk}/step/{transition.name}/", data)
            assert response.status_code == 302, (case_type.code, transition.name, value[:20])
            assert client.get(f"/cases/{case.pk}/").status_code == 200, (
                case_type.code,
                transition.name,
                value[:20],
            )
            api = client.post(
                f"/api/v1/cases/{case.pk}/actions/{transition.name}",
                {"note": value, "values": {k: value for k in form.fields}},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {api_key(user)}",
            )
            assert api.status_code in (200, 403, 409, 422), (
                case_type.code,
                transition.name,
                value[:20],
                api.content[:300],
            )


def test_hostile_input_on_every_step_form_is_a_message_never_a_500(world, clerk):
    for case_type in case_types().values():
        case = _case_of(world, case_type)
        for name in ("school", "principal", "bureau", "leader", "centre", "clerk"):
            user = world.users[name]
            client = Client()
            log_in(client, user)
            if client.get(f"/cases/{case.pk}/").status_code != 200:
                continue
            _hostile_step_posts(client, case, case_type, user)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_on_every_registration_form_is_a_message_never_a_500(
    world, client, clerk, value
):
    for case_type in case_types().values():
        kind = "school" if "school" in case_type.org_kinds else case_type.org_kinds[0]
        who, org_key = REGISTRANT.get(kind, ("centre", "C1"))
        log_in(client, world.users[who])
        form = RegisterForm(case_type=case_type, orgs=[world.orgs[org_key]])
        before = Case.objects.count()
        data = {k: value for k in form.fields}
        data["once"] = new_token()
        response = client.post(f"/cases/new/{case_type.code}/", data)
        assert response.status_code in (200, 302), (case_type.code, value[:20])
        if response.status_code == 302:
            assert client.get(response.url).status_code == 200, (case_type.code, value[:20])
        # the org field is hostile too: nothing can have been written
        assert Case.objects.count() == before, (case_type.code, value[:20])
        # and the same with a real org and channel, the rest hostile
        data["org"] = str(world.orgs[org_key].pk)
        if "channel" in form.fields:
            data["channel"] = case_type.channels.values[0]
        data["once"] = new_token()
        response = client.post(f"/cases/new/{case_type.code}/", data)
        assert response.status_code in (200, 302), (case_type.code, value[:20])
        if response.status_code == 302:
            page = client.get(response.url)
            assert page.status_code == 200, (case_type.code, value[:20])
            listed = client.get("/cases/", {"format": "xlsx"})
            assert listed.status_code == 200, (case_type.code, value[:20])
