"""ATTACK10: the generic register pages and the devices feed under hostile input — another
school's ids, another district's codes, huge and malformed files, junk JSON, double submits,
a deactivated account. Regression tests for what holds; xfail(strict) for findings."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from anwen.buses.models import Bus
from anwen.devices.models import Device
from anwen.testing.world import api_key

pytestmark = pytest.mark.django_db

KEYS = [
    "devices",
    "guards",
    "fire-equipment",
    "fire-assessments",
    "buses",
    "bus-drivers",
    "bus-attendants",
    "waters",
    "funding",
]
OWN_PAGES = [
    "/devices/rates/",
    "/devices/status/",
    "/guards/shortfall/",
    "/funding/summary/",
    "/fire/risk/",
    "/buses/check/",
    "/buses/trips/",
    "/registers/expiring/",
]
FEED = "/api/v1/devices/status"
HEADER = "学校代码,设备类型,设备编号,安装位置,是否联网,联网日期,最近检查日期"


def _csv(lines, name="devices.csv") -> io.BytesIO:
    buffer = io.BytesIO("\r\n".join(lines).encode("utf-8"))
    buffer.name = name
    return buffer


def _device(world, org="S1", code="A1", **values) -> Device:
    values.setdefault("kind", "alarm")
    return Device.objects.create(org=world.orgs[org], code=code, **values)


# --- every register, every persona: no 500 --------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_every_register_page_answers_every_persona_without_a_500(client, world, login, key):
    for name in ("school", "teacher", "bureau", "centre", "other_school", "guard", "agency"):
        login(world.users[name])
        for url in (
            f"/registers/{key}/",
            f"/registers/{key}/?q={'x' * 5000}&org=99999999999999999999&due=expired&page=-1",
            f"/registers/{key}/?format=xlsx",
            f"/registers/{key}/new/",
            f"/registers/{key}/import/",
            f"/registers/{key}/template/",
        ):
            status = client.get(url).status_code
            assert status in (200, 302, 404), (name, url, status)
        for pk in ("99999999999999999999999", "-1", "0", "1e3", "%00"):
            assert client.get(f"/registers/{key}/{pk}/edit/").status_code == 404, (name, pk)
            assert client.post(f"/registers/{key}/{pk}/delete/").status_code == 404, (name, pk)


@pytest.mark.parametrize("url", OWN_PAGES)
def test_own_pages_answer_every_persona_and_junk_query_without_a_500(client, world, login, url):
    junk = (
        "?bus=99999999999999999999&org=abc&year=99999&kind=%00&state=x&page=1e309&q=" + "y" * 3000
    )
    for name in ("school", "teacher", "bureau", "centre", "other_school", "guard", "leader"):
        login(world.users[name])
        for target in (url, url + junk):
            status = client.get(target).status_code
            assert status in (200, 302, 400, 404, 405), (name, target, status)


# --- another school's record ----------------------------------------------------------------


def test_another_schools_device_and_bus_answer_404_and_nothing_is_written(client, world, login):
    theirs = _device(world, "S3", "T1", place="theirs")
    bus = Bus.objects.create(org=world.orgs["S3"], plate="渝A12345", seats=19)
    login(world.users["school"])
    for key, record in (("devices", theirs), ("buses", bus)):
        assert client.get(f"/registers/{key}/{record.pk}/edit/").status_code == 404
        assert (
            client.post(
                f"/registers/{key}/{record.pk}/edit/",
                {"o-org": world.orgs["S1"].pk, "r-code": "X", "r-plate": "X", "r-kind": "alarm"},
            ).status_code
            == 404
        )
        assert client.post(f"/registers/{key}/{record.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.org_id, theirs.code, theirs.place) == (world.orgs["S3"].pk, "T1", "theirs")
    assert Bus.objects.filter(pk=bus.pk, plate="渝A12345").exists()


def test_editing_my_device_cannot_move_it_to_another_school(client, world, login):
    mine = _device(world, "S1", "M1")
    login(world.users["school"])
    response = client.post(
        f"/registers/devices/{mine.pk}/edit/",
        {"o-org": world.orgs["S3"].pk, "r-kind": "alarm", "r-code": "M1", "r-in_service": "on"},
    )
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.org_id == world.orgs["S1"].pk


# --- imports: other schools' codes and hostile cells ------------------------------------------


@pytest.mark.parametrize("code", ["S3", "S9", "B1", "C1", "s1", " S1 \x00", ""])
def test_an_import_row_naming_a_school_not_managed_writes_nothing(client, world, login, code):
    login(world.users["school"])
    rows = [HEADER, "S1,一键报警,A1,东门,是,2026-11-01,2026-11-01", f"{code},一键报警,A2,,否,,"]
    response = client.post("/registers/devices/import/", {"file": _csv(rows)})
    assert response.status_code == 400
    assert Device.objects.count() == 0


@pytest.mark.day(date(2026, 12, 1))
@pytest.mark.parametrize(
    "row",
    [
        "S1,一键报警,A1," + "长" * 100_000 + ",是,2026-11-01,2026-11-01",  # a huge cell
        "S1,一键报警,A1,东门,是,9999-12-31,2026-11-01",
        pytest.param(
            "S1,一键报警,A1,东门,是,0001-01-01,2026-11-01",
            marks=pytest.mark.xfail(strict=True, reason="ATTACK10 finding 2"),
        ),
        "S1,一键报警,A1,东门,是,2026-11-01,1e309",
        "S1,一键报警,A1,东门,1e309,2026-11-01,2026-11-01",
        "S1,一键报警,A1\x00,东门,是,2026-11-01,2026-11-01",
        "S1,rocket,A1,东门,是,2026-11-01,2026-11-01",
        "S1,一键报警,,东门,是,2026-11-01,2026-11-01",
        'S1,一键报警,A1,=HYPERLINK("http://x"),是,2099-11-01,2026-11-01',
    ],
)
def test_a_hostile_cell_is_one_message_and_nothing_written(client, world, login, row):
    login(world.users["school"])
    response = client.post("/registers/devices/import/", {"file": _csv([HEADER, row])})
    assert response.status_code == 400, response.content[:300]
    if "\x00" not in row:  # a NUL byte refuses the whole file as not text, which is fine
        assert "第 2 行" in response.content.decode()
    assert Device.objects.count() == 0


def test_a_file_over_10_mb_is_refused_with_a_message(client, world, login):
    login(world.users["school"])
    line = (
        "S1,一键报警,A{n},东门东门东门东门东门东门东门东门东门东门东门东门,是,2026-11-01,2026-11-01"
    )
    lines = [HEADER] + [line.format(n=n) for n in range(120_000)]
    upload = _csv(lines)
    assert upload.getbuffer().nbytes > 10 * 1024 * 1024
    response = client.post("/registers/devices/import/", {"file": upload})
    assert response.status_code == 400
    assert Device.objects.count() == 0


def test_more_than_20000_rows_is_refused_with_a_message(client, world, login):
    login(world.users["school"])
    lines = [HEADER] + [f"S1,一键报警,A{n},,是,2026-11-01,2026-11-01" for n in range(20_001)]
    response = client.post("/registers/devices/import/", {"file": _csv(lines)})
    assert response.status_code == 400
    assert Device.objects.count() == 0


def test_a_zip_bomb_workbook_is_refused_with_a_message(client, world, login):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (80 * 1024 * 1024))
    buffer.seek(0)
    buffer.name = "bomb.xlsx"
    login(world.users["school"])
    response = client.post("/registers/devices/import/", {"file": buffer})
    assert response.status_code == 400
    assert Device.objects.count() == 0


@pytest.mark.parametrize(
    "content,name",
    [
        (b"\x00" * 1000, "x.xlsx"),
        (b"PK\x03\x04garbage", "x.xlsx"),
        (b'[{"school": ', "x.json"),
        (b'{"a": 1}', "x.json"),
        (b"[1, 2, null]", "x.json"),
        (b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", "x.json"),
        (b"", "x.csv"),
    ],
)
def test_a_malformed_file_gets_a_message_not_a_500(client, world, login, content, name):
    upload = io.BytesIO(content)
    upload.name = name
    login(world.users["school"])
    response = client.post("/registers/devices/import/", {"file": upload})
    assert response.status_code == 400
    assert Device.objects.count() == 0


def test_negative_and_huge_bus_seats_and_funding_amounts_are_refused(client, world, login):
    login(world.users["school"])
    for seats in ("-5", "1e309", "99999999999", "6", "NaN"):
        page = client.get("/registers/buses/new/")
        token = page.context["chooser"]["once"].value()
        response = client.post(
            "/registers/buses/new/",
            {
                "o-org": world.orgs["S1"].pk,
                "o-once": token,
                "r-plate": "渝A00001",
                "r-seats": seats,
            },
        )
        assert response.status_code == 400, seats
    assert Bus.objects.count() == 0


# --- the status feed --------------------------------------------------------------------------


def _feed(client, key, body, content_type="application/json"):
    return client.post(
        FEED, data=body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {key}"
    )


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[]",
        "null",
        '{"devices": null}',
        '{"devices": [1, 2]}',
        '{"devices": [{"school": "S1"}]}',
        '{"devices": [{"school": "S1", "code": "A1", "networked": "maybe"}]}',
        pytest.param(
            '{"devices": [{"school": "S1", "code": "A1", "last_checked_on": "9999-12-31"}]}',
            marks=pytest.mark.xfail(strict=True, reason="ATTACK10 finding 1", raises=OverflowError),
        ),
        pytest.param(
            '{"devices": [{"school": "S1", "code": "A1", "last_checked_on": "0001-01-01"}]}',
            marks=pytest.mark.xfail(strict=True, reason="ATTACK10 finding 2"),
        ),
        '{"devices": [{"school": "S1", "code": "A1\\u0000", "networked": true}]}',
        '{"devices": [{"school": "S1", "code": "A1", "networked_on": 1e309}]}',
        '{"devices": [{"school": "S3", "code": "A3", "networked": true}]}',
        '{"devices": [{"school": "S9", "code": "A9", "networked": true}]}',
        '{"devices": [{"school": "' + "S" * 100_000 + '", "code": "A1"}]}',
    ],
)
def test_junk_feeds_are_refused_and_write_nothing(client, world, body):
    _device(world, "S1", "A1", networked=False)
    _device(world, "S3", "A3", networked=False)
    _device(world, "S9", "A9", networked=False)
    key = api_key(world.users["school"])
    response = _feed(client, key, body)
    assert response.status_code in (400, 422), (response.status_code, response.content[:300])
    assert not Device.objects.filter(networked=True).exists()
    assert Device.objects.filter(code="A1", last_checked_on__isnull=False).count() == 0


def test_a_feed_of_20001_items_is_refused_and_20000_is_served(client, world):
    _device(world, "S1", "A1", networked=False)
    key = api_key(world.users["school"])
    item = {"school": "S1", "code": "A1", "networked": True}
    response = _feed(client, key, json.dumps({"devices": [item] * 20_001}))
    assert response.status_code in (400, 413, 422)
    response = _feed(client, key, json.dumps({"devices": [item] * 20_000}))
    assert response.status_code == 422  # the same device 20,000 times: named twice
    assert not Device.objects.filter(networked=True).exists()


# --- a deactivated account ------------------------------------------------------------------


def test_a_deactivated_account_loses_its_session_and_its_token(client, world, login):
    _device(world, "S1", "A1", networked=False)
    user = world.users["school"]
    key = api_key(user)
    login(user)
    assert client.get("/registers/devices/").status_code == 200
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/registers/devices/")
    assert response.status_code in (302, 403, 404)
    response = client.post(
        "/registers/devices/import/",
        {"file": _csv([HEADER, "S1,一键报警,A2,,是,2026-11-01,2026-11-01"])},
    )
    assert response.status_code in (302, 403, 404)
    response = _feed(
        client, key, json.dumps({"devices": [{"school": "S1", "code": "A1", "networked": True}]})
    )
    assert response.status_code in (401, 403)
    assert Device.objects.count() == 1 and not Device.objects.get().networked
