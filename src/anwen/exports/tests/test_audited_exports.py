"""Every Excel export goes through the one audited path (orgs.exporting.export_response): it
writes an audit row with who, which list, how many rows, the filters and the address; the file
is named in Chinese for what and which period; the sheet says its period and filters."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client

from anwen.audit.models import AuditEvent
from anwen.testing.sheets import sheet_heading, sheet_rows
from anwen.testing.world import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL8", "PL3")]

TODAY = "2026-12-01"

# (persona, URL) of every Excel export; a new one must be added here.
EXPORTS = [
    ("centre", "/orgs/schools/?format=xlsx"),
    ("school", "/orgs/people/?format=xlsx"),
    ("admin", "/audit/?format=xlsx"),
    ("bureau", "/duties/?format=xlsx"),
    ("bureau", "/duties/?format=xlsx&group=centre"),
    ("school", "/duties/?format=xlsx"),
    ("bureau", "/duties/five/?format=xlsx"),
    ("bureau", "/duties/commitments/?format=xlsx"),
    ("bureau", "/patrol/rounds/?format=xlsx"),
    ("bureau", "/inspections/?format=xlsx"),
    ("bureau", "/inspections/findings/?format=xlsx"),
    ("bureau", "/inspections/accountability/?format=xlsx"),
    ("bureau", "/obligations/?format=xlsx"),
    ("school", "/obligations/?format=xlsx"),
    ("school", "/obligations/?format=xlsx&list=missed"),
    ("school", "/obligations/log/?format=xlsx"),
    ("bureau", "/obligations/plan/?format=xlsx"),
    ("bureau", "/files/?format=xlsx"),
]


def chinese_client(world, persona):
    client = Client(REMOTE_ADDR="10.8.1.2")
    log_in(client, world.users[persona])
    return client


def header_file_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    ascii_name = re.search(r'filename="([^"]+)"', disposition)
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert ascii_name and encoded, disposition
    assert ascii_name.group(1).isascii() and ascii_name.group(1).endswith(".xlsx")
    return unquote(encoded.group(1))


@pytest.mark.parametrize(("persona", "url"), EXPORTS)
def test_every_export_is_audited_with_its_row_count_and_named_in_chinese(world, persona, url):
    with time_machine.travel(f"{TODAY} 10:00 +0800", tick=False):
        response = chinese_client(world, persona).get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.filter(action="exports.list.exported").get()
    table = sheet_rows(response)
    assert event.data["rows"] == len(table) - 1  # the headers are not a record
    assert event.actor_label == persona and event.ip == "10.8.1.2"
    assert event.data["path"] == url.split("?")[0]
    name = header_file_name(response)
    assert name == event.data["file"] and name.endswith(".xlsx")
    assert re.search(r"[\u4e00-\u9fff]", name), name  # says what in Chinese
    assert sheet_heading(response)[0].startswith(event.data["title"])


def test_the_staff_list_says_what_whose_and_when_and_its_download_is_audited(world):
    with time_machine.travel(f"{TODAY} 10:00 +0800", tick=False):
        client = chinese_client(world, "bureau")
        response = client.get(f"/orgs/people/?format=xlsx&q=测试&org={world.S1.pk}")
    assert header_file_name(response) == f"教职工名单_{world.S1.name}_{TODAY}.xlsx"
    heading = sheet_heading(response)
    assert heading[0] == f"教职工名单 · {world.S1.name} · {TODAY}"
    assert "q=测试" in heading[1] and "2026-12-01 10:00" in heading[1]
    event = AuditEvent.objects.get(action="exports.list.exported")
    assert event.data["filters"] == {"q": "测试", "org": str(world.S1.pk)}
    assert event.data["list"] == "staff" and event.org_path == world.S1.path
    assert event.data["rows"] == 4


def test_the_district_staff_list_is_named_for_the_district(world):
    with time_machine.travel(f"{TODAY} 10:00 +0800", tick=False):
        response = chinese_client(world, "bureau").get("/orgs/people/?format=xlsx")
    assert header_file_name(response) == f"教职工名单_永川区_{TODAY}.xlsx"
    assert 'filename="staff-2026-12-01.xlsx"' in response["Content-Disposition"]


def test_a_sheet_of_a_date_range_says_the_range(world):
    with time_machine.travel(f"{TODAY} 10:00 +0800", tick=False):
        response = chinese_client(world, "bureau").get(
            "/patrol/rounds/?format=xlsx&start=2026-11-01&end=2026-11-30"
        )
    assert header_file_name(response) == "巡更记录_永川区_2026-11-01~2026-11-30.xlsx"
    assert "2026-11-01~2026-11-30" in sheet_heading(response)[0]


def test_looking_at_a_persons_contact_details_is_audited(world):
    person = world.people["teacher"]
    response = chinese_client(world, "school").get(f"/orgs/people/{person.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="orgs.person.contact_viewed")
    assert (event.object_type, event.object_id) == ("orgs.person", str(person.pk))
    assert event.actor_label == "school" and event.ip == "10.8.1.2"
    # Another school's person answers 404 and leaves no trace of a view.
    other = world.people["other_school"]
    assert chinese_client(world, "school").get(f"/orgs/people/{other.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="orgs.person.contact_viewed").count() == 1


def test_no_view_builds_a_download_past_the_audited_path():
    source = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "exporting.py"
        and path.parent.name != "exports"
        and re.search(r"\bworkbook_response\b|\.workbook\(\)", path.read_text(encoding="utf-8"))
        and path.parts[-2] != "audit"  # audit's own command writes files, audited there
    ]
    assert offenders == []


@pytest.mark.parametrize(("persona", "url"), EXPORTS)
def test_control_characters_in_a_filter_make_no_500(world, persona, url):
    # Regression: openpyxl refuses \x0b, \x01, \x1b and \x00 in a cell; the filter line of the
    # heading carried them as typed, and the download was a 500.
    response = chinese_client(world, persona).get(url + "&q=%0b%01a%1b[31m%00")
    assert response.status_code == 200, url
    heading = sheet_heading(response)
    assert "q=a[31m" in heading[1]


def test_a_stored_name_with_a_control_character_exports(world):
    person = world.people["teacher"]
    type(person).objects.filter(pk=person.pk).update(name="张\x0b三")
    response = chinese_client(world, "bureau").get("/orgs/people/?format=xlsx")
    assert response.status_code == 200
    assert any("张三" in row for row in sheet_rows(response))
