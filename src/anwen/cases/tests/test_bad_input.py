"""Bad input on the case pages answers a message and writes nothing, never a 500."""

from datetime import datetime

import pytest
from django.utils import timezone

from anwen.cases.models import Case
from anwen.once.tokens import new_token

TZ = timezone.get_default_timezone()


@pytest.mark.day(datetime(2026, 9, 28, 10, tzinfo=TZ))
@pytest.mark.parametrize("when", ["0001-01-01T00:00", "0001-01-01T07:59", "1899-12-31T23:00"])
def test_a_letter_received_in_year_one_is_refused_with_a_message(client, login, world, clerk, when):
    # Year 1 in Beijing time is before UTC's year 1: storing it was a 500 (OverflowError).
    login(clerk)
    response = client.post(
        "/cases/new/petition/",
        {
            "once": new_token(),
            "org": str(world.orgs["B1"].pk),
            "channel": "letter",
            "subject": "食堂收费问题",
            "received_at": when,
        },
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.day(datetime(2026, 10, 12, 10, tzinfo=TZ))
def test_a_platform_item_handed_down_in_year_one_is_refused_with_a_message(client, login, clerk):
    from .test_platform_import import post, workbook

    login(clerk)
    response = post(client, workbook([["DC1", "校服收费", "", "", "", "0001-01-01 00:00", None]]))
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    assert not Case.objects.exists()
