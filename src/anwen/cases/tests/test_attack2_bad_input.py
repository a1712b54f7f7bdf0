"""Second attack on the case engine's forms and the platform import (issue 9): a type's own
date fields and the platform's dates are bounded to the years a record can have, with a
message in the user's language, never a 500 and never a date in year 9999 kept."""

from datetime import datetime

import pytest
from django.utils import timezone

from anwen.cases.models import Case
from anwen.once.tokens import new_token

from .test_platform_import import post, problems, workbook

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
TODAY = datetime(2026, 10, 12, 10, tzinfo=TZ)


@pytest.mark.day(TODAY)
@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00", "0001-01-01T07:59", "1999-12-31T23:00", "9999-12-31T23:59"]
)
def test_an_incident_that_happened_outside_the_years_of_records_is_refused(
    client, login, world, when
):
    login(world.users["school"])
    response = client.post(
        "/cases/new/incident/",
        {
            "once": new_token(),
            "org": str(world.orgs["S1"].pk),
            "received_at": "2026-10-12T09:30",
            "happened_at": when,
            "category": "injury",
            "subject": "课间摔伤",
            "content": "学生课间在走廊摔伤。",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert "2000-01-01" in page and "2100-12-31" in page  # 请输入2000-01-01至2100-12-31之间的日期
    assert not Case.objects.exists()


@pytest.mark.day(TODAY)
def test_an_incident_of_the_first_minute_of_2000_is_still_registered(client, login, world):
    login(world.users["school"])
    response = client.post(
        "/cases/new/incident/",
        {
            "once": new_token(),
            "org": str(world.orgs["S1"].pk),
            "received_at": "2026-10-12T09:30",
            "happened_at": "2000-01-01T00:00",
            "category": "injury",
            "subject": "课间摔伤",
            "content": "学生课间在走廊摔伤。",
        },
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


@pytest.mark.day(TODAY)
@pytest.mark.parametrize("due", ["9999-12-31", "2100-01-01", "2027-10-13"])
def test_a_platform_deadline_far_in_the_future_is_refused_with_a_message(client, login, clerk, due):
    login(clerk)
    response = post(client, workbook([["DC1", "校服收费", "", "", "", "2026-10-10 09:00", due]]))
    assert response.status_code == 200
    assert any("晚于交办时间一年以上" in p for p in problems(response)), problems(response)
    assert not Case.objects.exists()


@pytest.mark.day(TODAY)
def test_a_platform_deadline_within_a_year_is_kept(client, login, clerk):
    login(clerk)
    response = post(
        client, workbook([["DC1", "校服收费", "", "", "", "2026-10-10 09:00", "2027-10-10"]])
    )
    assert response.status_code == 302
    assert Case.objects.get().details["platform_due"] == "2027-10-10"


@pytest.mark.day(TODAY)
@pytest.mark.parametrize("received", ["1999-12-31 23:00", "0001-01-01 00:00", "1900-01-01"])
def test_a_platform_item_handed_down_before_2000_is_refused_in_its_row(
    client, login, clerk, received
):
    login(clerk)
    response = post(client, workbook([["DC1", "校服收费", "", "", "", received, "2026-10-28"]]))
    assert response.status_code == 200
    assert any("早于2000年" in p for p in problems(response)), problems(response)
    assert not Case.objects.exists()


@pytest.mark.day(TODAY)
def test_a_platform_json_export_with_a_year_9999_deadline_is_refused(client, login, clerk):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    login(clerk)
    rows = [
        {
            "交办编号": "DC9",
            "事项标题": "标题",
            "交办时间": "2026-10-10 09:00",
            "办理期限": "9999-12-31",
        }
    ]
    upload = SimpleUploadedFile(
        "export.json", json.dumps(rows, ensure_ascii=False).encode(), "application/json"
    )
    response = client.post("/cases/import/platform/", {"file": upload})
    assert response.status_code == 200
    assert any("晚于交办时间一年以上" in p for p in problems(response)), problems(response)
    assert not Case.objects.exists()
