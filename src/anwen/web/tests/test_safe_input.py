"""Regression tests for the input that used to answer 500, one per class of defect; the walk
over every route is test_hostile_input.py."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

import anwen
from anwen.inspections.models import Inspection
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]

HUGE = str(2**70)


@pytest.mark.parametrize(
    ("next_", "lands"),
    [
        ("home", "/"),  # a bare word was reverse()d: NoReverseMatch, a 500
        ("web:home", "/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/inbox/?tab=2", "/inbox/?tab=2"),
    ],
)
def test_login_follows_only_a_path_on_this_site(client, world, next_, lands):
    response = client.post("/login/", {"username": "teacher", "password": PASSWORD, "next": next_})
    assert response.status_code == 302
    assert response["Location"] == lands


def test_login_page_with_a_bare_word_next_renders(client, world):
    response = client.get("/login/?next=home")
    assert response.status_code == 200
    assert 'value="home"' not in response.content.decode()


@pytest.mark.parametrize(
    ("next_", "lands"),
    [
        ("home", "/"),
        ("//evil.example/x", "/"),
        ("/inspections/", "/inspections/"),
    ],
)
def test_focus_follows_only_a_path_on_this_site(world, login, next_, lands):
    client = login(world.users["bureau"])
    response = client.post("/focus/", {"org": world.S1.pk, "next": next_})
    assert response.status_code == 302 and response["Location"] == lands


@pytest.mark.parametrize("org", [HUGE, "-1", "abc", "1" * 5000])
def test_focus_on_an_impossible_id_answers_404(world, login, org):
    client = login(world.users["bureau"])
    assert client.post("/focus/", {"org": org, "next": "/"}).status_code == 404


@pytest.mark.parametrize("value", [HUGE, "-5", "1e3", "１２"])
def test_an_impossible_id_in_a_multiple_choice_is_a_form_error_in_chinese(world, login, value):
    from anwen.inspections.services import standard_templates_load

    standard_templates_load(owner=world.B1)
    client = login(world.users["school"])
    response = client.post(
        "/inspections/new/",
        {
            "purpose": "office_weekly",
            "school": world.S1.pk,
            "inspected_on": timezone.localdate().isoformat(),
            "participants": [world.people["school"].pk, value],
        },
    )
    assert response.status_code == 200
    assert "有效" in response.content.decode()  # Django's zh-Hans "not a valid value/choice"
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("value", [HUGE, "abc"])
def test_an_impossible_id_in_a_single_choice_is_a_form_error(world, login, value):
    client = login(world.users["school"])
    response = client.post(
        "/inspections/new/",
        {
            "purpose": "office_weekly",
            "school": value,
            "inspected_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Inspection.objects.exists()


def test_a_huge_id_in_a_list_filter_is_ignored_or_refused(world, login):
    client = login(world.users["bureau"])
    client.raise_request_exception = False
    for url in (
        f"/inspections/?school={HUGE}",
        f"/orgs/people/?org={HUGE}",
        f"/duties/?year={HUGE}",
        f"/orgs/{HUGE}/",
    ):
        assert client.get(url).status_code in (200, 404), url


def test_no_form_uses_a_model_choice_field_that_lets_an_id_overflow():
    """Every choice of rows is an anwen.forms.IdChoiceField / IdMultipleChoiceField."""
    root = Path(anwen.__file__).parent
    bare = re.compile(r"forms\.Model(Multiple)?ChoiceField\(|\bModelForm\b")
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts
        and p != root / "forms.py"
        and bare.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"use anwen.forms.IdChoiceField / IdMultipleChoiceField in {offenders}"
