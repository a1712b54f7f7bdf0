"""Dangerous waters near schools (SM9.1): a register (list, form, import all or nothing,
export), a missing warning sign or barrier raised as one open hazard of the school, and the
waters drawn on the school map and the battle map for those who may see them."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from anwen.hazards.models import Category, Hazard, HazardState
from anwen.maps.overlays import overlays
from anwen.testing.sheets import sheet_rows
from anwen.waters.models import Water, WaterHazard

pytestmark = pytest.mark.django_db

LIST = "/registers/waters/"
HEADER = ("学校代码", "水域名称", "类型", "经度", "纬度", "距离", "警示标志", "护栏", "责任单位")


def _xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "waters.xlsx"
    return buffer


def _row(name="长江朱沱段", school="S1", signs="是", barriers="是", **over):
    row = {
        "school": school,
        "name": name,
        "kind": "河流",
        "lon": "105.8512",
        "lat": "29.0123",
        "distance": "300",
        "signs": signs,
        "barriers": barriers,
        "who": "朱沱镇人民政府",
    }
    row.update(over)
    return tuple(row.values())


def _water(world, org="S1", name="大河", **values):
    values.setdefault("kind", "river")
    values.setdefault("longitude", Decimal("105.85"))
    values.setdefault("latitude", Decimal("29.01"))
    values.setdefault("distance_m", 200)
    values.setdefault("warning_signs", True)
    values.setdefault("barriers", True)
    return Water.objects.create(org=world.orgs[org], name=name, **values)


def _form(world, client, **fields):
    page = client.get("/registers/waters/new/")
    data = {
        "o-org": world.orgs["S1"].pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-name": "村口山坪塘",
        "r-kind": "pond",
        "r-longitude": "105.9",
        "r-latitude": "29.3",
        "r-distance_m": "150",
        "r-responsible": "青峰镇水利站",
        "r-responsible_contact": "023-4980 0000",
        "r-last_checked_on": "2026-11-20",
    }
    data.update(fields)
    return client.post("/registers/waters/new/", data)


@pytest.mark.req("SM9.1")
@pytest.mark.day(date(2026, 12, 1))
def test_a_school_registers_its_waters_and_the_list_and_export_show_them(client, world, login):
    login(world.users["school"])
    response = client.post(
        "/registers/waters/import/",
        {"file": _xlsx([_row(), _row("水库", kind="水库", distance="1200")])},
    )
    assert response.status_code == 302
    assert set(Water.objects.values_list("name", "kind", "distance_m")) == {
        ("长江朱沱段", "river", 300),
        ("水库", "reservoir", 1200),
    }
    water = Water.objects.get(name="长江朱沱段")
    assert (water.longitude, water.latitude) == (Decimal("105.851200"), Decimal("29.012300"))
    assert water.warning_signs and water.barriers and water.responsible == "朱沱镇人民政府"
    text = client.get(LIST).content.decode()
    assert "长江朱沱段" in text and "朱沱镇人民政府" in text
    rows = sheet_rows(client.get(LIST + "?format=xlsx"))
    assert any("长江朱沱段" in [str(c) for c in row] for row in rows)


@pytest.mark.req("SM9.1")
@pytest.mark.day(date(2026, 12, 1))
def test_a_missing_sign_and_a_missing_barrier_each_raise_one_hazard(client, world, login):
    login(world.users["school"])
    rows = [_row("河一", signs="否"), _row("河二", barriers="否"), _row("河三")]
    assert client.post("/registers/waters/import/", {"file": _xlsx(rows)}).status_code == 302
    hazards = Hazard.objects.order_by("pk")
    assert [(h.org_id, h.category, h.state, h.place) for h in hazards] == [
        (world.orgs["S1"].pk, Category.WATER, HazardState.REPORTED, "河一"),
        (world.orgs["S1"].pk, Category.WATER, HazardState.REPORTED, "河二"),
    ]
    assert "警示标志" in hazards[0].title and "河一" in hazards[0].title
    assert "护栏" in hazards[1].title or "防护" in hazards[1].title
    # The same file again, and the water edited: its hazards are open, nothing more is raised.
    client.post("/registers/waters/import/", {"file": _xlsx(rows)})
    one = Water.objects.get(name="河一")
    page = client.get(f"/registers/waters/{one.pk}/edit/")
    assert page.status_code == 200
    data = {
        "o-org": world.orgs["S1"].pk,
        "r-name": "河一",
        "r-kind": "river",
        "r-longitude": "105.85",
        "r-latitude": "29.01",
        "r-distance_m": "250",
        "r-barriers": "on",
    }
    assert client.post(f"/registers/waters/{one.pk}/edit/", data).status_code == 302
    assert Hazard.objects.count() == 2
    # The hazard page opens for the school: the hazard follows its normal flow.
    assert client.get(f"/hazards/{hazards[0].pk}/").status_code == 200
    # Both lacking: one hazard per missing thing.
    response = client.post(
        "/registers/waters/import/", {"file": _xlsx([_row("塘四", signs="否", barriers="否")])}
    )
    assert response.status_code == 302
    assert Hazard.objects.filter(place="塘四").count() == 2


@pytest.mark.req("SM9.1")
@pytest.mark.day(date(2026, 12, 1))
def test_a_water_lacking_again_after_its_hazard_closed_raises_a_new_one(client, world, login):
    login(world.users["school"])
    response = _form(world, client, **{"r-barriers": "on"})  # no warning sign
    assert response.status_code == 302
    first = Hazard.objects.get()
    Hazard.objects.filter(pk=first.pk).update(state=HazardState.CLOSED)
    water = Water.objects.get()
    data = {
        "o-org": world.orgs["S1"].pk,
        "r-name": water.name,
        "r-kind": "pond",
        "r-longitude": "105.9",
        "r-latitude": "29.3",
        "r-distance_m": "150",
        "r-barriers": "on",
    }
    client.post(f"/registers/waters/{water.pk}/edit/", data)
    assert Hazard.objects.count() == 2
    assert WaterHazard.objects.filter(water=water, hazard__state=HazardState.REPORTED).count() == 1


@pytest.mark.req("SM9.1")
def test_a_water_with_signs_and_barriers_raises_nothing(client, world, login):
    login(world.users["school"])
    response = _form(world, client, **{"r-warning_signs": "on", "r-barriers": "on"})
    assert response.status_code == 302
    assert Water.objects.count() == 1
    assert not Hazard.objects.exists()


@pytest.mark.req("PL8")
def test_an_import_with_one_bad_row_writes_nothing_and_names_it(client, world, login):
    login(world.users["school"])
    rows = [_row(f"塘{n}", signs="否") for n in range(1, 20)]
    rows[7] = _row("塘8", lon="12000000")  # projected metres, not degrees
    rows[9] = _row("塘10", school="S3")  # another school's
    rows[11] = _row("塘12", kind="海洋")
    response = client.post("/registers/waters/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 9 行" in text and "第 11 行" in text and "第 13 行" in text
    assert "S3" in text and "海洋" in text
    assert not Water.objects.exists() and not Hazard.objects.exists()


def test_bad_form_input_gets_a_message_and_writes_nothing(client, world, login):
    login(world.users["school"])
    response = _form(
        world, client, **{"r-longitude": "500", "r-latitude": "北纬", "r-distance_m": "-3"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"longitude", "latitude", "distance_m"}
    response = _form(world, client, **{"r-longitude": "10.5"})  # outside China
    assert response.status_code == 400
    assert "longitude" in response.context["form"].errors
    assert not Water.objects.exists() and not Hazard.objects.exists()


def test_another_schools_water_is_not_found(client, world, login):
    theirs = _water(world, "S3", "别校的河", warning_signs=False)
    login(world.users["school"])
    assert client.get(f"/registers/waters/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/registers/waters/{theirs.pk}/edit/", {"r-name": "x"}).status_code == 404
    assert client.post(f"/registers/waters/{theirs.pk}/delete/").status_code == 404
    assert "别校的河" not in client.get(LIST).content.decode()
    theirs.refresh_from_db()
    assert theirs.name == "别校的河"
    assert not Hazard.objects.exists()


def _places(data):
    (waters,) = [o for o in data["overlays"] if o["name"] == "waters"]
    return {p["name"]: p for p in waters["points"]}


@pytest.mark.req("SM9.1")
def test_the_map_shows_the_waters_the_user_may_see(client, world, login):
    _water(world, "S1", "长江", warning_signs=False)
    _water(world, "S2", "水库")
    _water(world, "S3", "金龙河")
    _water(world, "S9", "别区的河")
    assert any(o.name == "waters" for o in overlays())
    seen = {}
    for username in ("bureau", "centre", "centre2", "school", "teacher", "agency", "other_bureau"):
        data = login(world.users[username]).get("/maps/data.json").json()
        seen[username] = set(_places(data))
    assert seen["bureau"] == {"长江", "水库", "金龙河"}
    assert seen["centre"] == {"长江", "水库"}
    assert seen["centre2"] == {"金龙河"}
    assert seen["school"] == {"长江"}
    assert seen["teacher"] == set()  # sees the school, not its registers
    assert seen["agency"] == set()
    assert seen["other_bureau"] == {"别区的河"}
    client = login(world.users["bureau"])
    data = client.get("/maps/data.json", {"org": world.orgs["C2"].pk, "layer": "hazards"}).json()
    places = _places(data)
    assert set(places) == {"金龙河"}
    data = client.get("/maps/data.json").json()
    places = _places(data)
    assert places["长江"]["series"] == "unguarded" and places["水库"]["series"] == "guarded"
    assert (places["长江"]["lon"], places["长江"]["lat"]) == (105.85, 29.01)
    assert places["长江"]["link"].startswith(LIST)
    (overlay,) = [o for o in data["overlays"] if o["name"] == "waters"]
    assert [s["key"] for s in overlay["series"]] == ["guarded", "unguarded"]
    # The battle map draws from the same data, with the hazards layer.
    board = client.get("/hazards/board/")
    assert board.status_code == 200
    assert "layer=hazards" in board.content.decode()
