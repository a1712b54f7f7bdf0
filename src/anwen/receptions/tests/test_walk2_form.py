"""The second walk of issue 9: the schedule's form asks for a leader in words, not with
Django's dashes."""

from datetime import date

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]


def test_the_leader_choice_says_choose_a_leader(world, login):
    page = login(world.users["bureau"]).get("/receptions/new/").content.decode()
    assert "请选择领导" in page and "---------" not in page
