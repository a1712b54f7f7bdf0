"""A bureau administrator uploads the district's official boundary: the whole file is checked
before anything is kept, every problem is named in Chinese, uploading again replaces it, and
nobody else can upload, replace or read another bureau's."""

import json

import pytest

from anwen.audit.models import AuditEvent
from anwen.maps import geojson
from anwen.maps.models import Boundary
from anwen.maps.tests.geo import SQUARE, collection, polygon, upload
from anwen.orgs.roles import RoleName
from anwen.testing.world import add_persona

pytestmark = pytest.mark.django_db

URL = "/maps/boundary/"


def post(client, world, data, **extra):
    return client.post(URL, {"org": world.B1.pk, "file": upload(data), **extra})


def test_an_administrator_uploads_a_good_file_and_the_map_draws_it(world, login):
    client = login(world.users["admin"])
    good = collection(
        polygon(),
        {
            "type": "MultiPolygon",
            "coordinates": [
                [SQUARE],
                [[[106.2, 29.2], [106.3, 29.2], [106.3, 29.3], [106.2, 29.2]]],
            ],
        },
        names=["青峰镇", "金龙镇"],
    )
    good["features"][0]["properties"]["secret"] = "<script>"  # dropped: nothing unchecked kept
    response = post(client, world, good)
    assert response.status_code == 302
    boundary = Boundary.objects.get(bureau=world.B1)
    assert (boundary.features, boundary.vertices) == (2, 14)
    assert boundary.uploaded_by == world.users["admin"]
    assert AuditEvent.objects.filter(
        action="maps.boundary.uploaded", object_id=str(boundary.pk)
    ).exists()

    served = client.get(f"/maps/boundary/{world.B1.pk}.json")
    assert served.status_code == 200
    shape = json.loads(served.content)
    assert shape["type"] == "FeatureCollection"
    assert [f["properties"] for f in shape["features"]] == [{"name": "青峰镇"}, {"name": "金龙镇"}]
    # Unchanged since: the browser keeps its copy.
    again = client.get(f"/maps/boundary/{world.B1.pk}.json", HTTP_IF_NONE_MATCH=served["ETag"])
    assert again.status_code == 304


def test_a_single_feature_file_is_accepted(world, login):
    client = login(world.users["admin"])
    feature = {"type": "Feature", "properties": None, "geometry": polygon()}
    assert post(client, world, feature).status_code == 302
    assert Boundary.objects.get(bureau=world.B1).features == 1


def test_uploading_again_replaces_the_one_boundary_and_the_audit_keeps_both(world, login):
    client = login(world.users["admin"])
    post(client, world, collection(polygon()))
    first = Boundary.objects.get(bureau=world.B1).sha256
    bigger = [[105.6, 29.0], [106.2, 29.0], [106.2, 29.7], [105.6, 29.7], [105.6, 29.0]]
    assert (
        post(
            client,
            world,
            collection(polygon(bigger)),
        ).status_code
        == 302
    )
    assert Boundary.objects.filter(bureau=world.B1).count() == 1
    replaced = AuditEvent.objects.get(action="maps.boundary.replaced")
    assert replaced.data["previous_sha256"] == first
    assert replaced.data["sha256"] == Boundary.objects.get(bureau=world.B1).sha256 != first


OPEN_RING = [[105.7, 29.1], [106.1, 29.1], [106.1, 29.6], [105.7, 29.6]]
BAD = {
    "not JSON": (b'{"type": "FeatureCollection", "features": [', "不是有效的 JSON"),
    "empty": (b"   ", "文件是空的"),
    "not UTF-8": ("边界".encode("gbk") + b"{}", "不是 UTF-8"),
    "NaN": (
        b'{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[NaN, 1]]]}}',
        "不是有效的 JSON",
    ),
    "a list": (b"[1, 2]", "不是 GeoJSON"),
    "a geometry alone": (json.dumps(polygon()).encode(), "不是 GeoJSON"),
    "no features": (json.dumps(collection()).encode(), "没有任何要素"),
    "a point": (
        json.dumps(collection({"type": "Point", "coordinates": [105.9, 29.3]})).encode(),
        "第 1 个要素是 Point",
    ),
    "a line": (
        json.dumps(collection(polygon(), {"type": "LineString", "coordinates": SQUARE})).encode(),
        "第 2 个要素是 LineString",
    ),
    "no geometry": (
        json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}
        ).encode(),
        "没有几何图形",
    ),
    "open ring": (
        json.dumps(collection(polygon(OPEN_RING + [[105.8, 29.2]]))).encode(),
        "没有闭合",
    ),
    "too few points": (json.dumps(collection(polygon(SQUARE[:3]))).encode(), "至少需要四个点"),
    "projected metres": (
        json.dumps(collection(polygon([[x * 100000, y * 100000] for x, y in SQUARE]))).encode(),
        "不在中国境内",
    ),
    "swapped axes": (
        json.dumps(collection(polygon([[y, x] for x, y in SQUARE]))).encode(),
        "不在中国境内",
    ),
    "text for a number": (
        json.dumps(collection(polygon([["105.7", 29.1]] + SQUARE[1:]))).encode(),
        "不是一对数字",
    ),
    "true for a number": (
        json.dumps(collection(polygon([[True, 29.1]] + SQUARE[1:]))).encode(),
        "不是一对数字",
    ),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_file_is_refused_with_what_is_wrong_and_nothing_is_kept(world, login, kind):
    content, words = BAD[kind]
    client = login(world.users["admin"])
    before = AuditEvent.objects.count()
    response = post(client, world, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件未保存" in page
    assert words in page, page[page.find("errorlist") : page.find("errorlist") + 600]
    assert not Boundary.objects.exists()
    assert AuditEvent.objects.count() == before


def test_every_problem_of_a_file_is_named_at_once(world, login):
    client = login(world.users["admin"])
    point = {"type": "Point", "coordinates": [105.9, 29.3]}
    data = collection(point, polygon(OPEN_RING + [[105.8, 29.2]]), polygon())
    page = post(client, world, data).content.decode()
    assert "第 1 个要素是 Point" in page
    assert "第 2 个要素的第 1 个环没有闭合" in page
    assert not Boundary.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(world, login):
    client = login(world.users["admin"])
    huge = b" " * geojson.MAX_BYTES + json.dumps(collection(polygon())).encode()
    response = post(client, world, huge)
    assert response.status_code == 400
    assert "超过 5 MB" in response.content.decode()
    assert not Boundary.objects.exists()


def test_too_many_points_are_refused(world, login, monkeypatch):
    monkeypatch.setattr(geojson, "MAX_VERTICES", 8)
    client = login(world.users["admin"])
    response = post(client, world, collection(polygon(), polygon()))
    assert response.status_code == 400
    assert "点数超过 8" in response.content.decode()
    assert not Boundary.objects.exists()


def test_a_missing_file_is_asked_for(world, login):
    client = login(world.users["admin"])
    response = client.post(URL, {"org": world.B1.pk})
    assert response.status_code == 400
    assert "请选择" in response.content.decode()


@pytest.mark.parametrize("username", ["bureau", "leader", "centre", "school", "teacher", "agency"])
def test_only_a_bureau_administrator_may_upload(world, login, username):
    client = login(world.users[username])
    assert client.get(URL).status_code == 404
    assert post(client, world, collection(polygon())).status_code == 404
    assert not Boundary.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="maps.").exists()


def test_another_bureaus_administrator_can_neither_replace_nor_see_ours(world, login):
    login(world.users["admin"])
    mine = login(world.users["admin"])
    post(mine, world, collection(polygon()))
    ours = Boundary.objects.get(bureau=world.B1)

    stranger = add_persona(world, "other_admin", RoleName.BUREAU_ADMIN, "B2")
    client = login(stranger)
    other = [[105.0, 29.0], [105.5, 29.0], [105.5, 29.5], [105.0, 29.0]]
    assert post(client, world, collection(polygon(other))).status_code == 404
    assert client.get(f"/maps/boundary/{world.B1.pk}.json").status_code == 404
    page = client.get(URL).content.decode()
    assert world.B1.name not in page
    assert Boundary.objects.get(bureau=world.B1).sha256 == ours.sha256
    assert Boundary.objects.count() == 1
    # Their own goes to their own bureau.
    assert client.post(URL, {"file": upload(collection(polygon(other)))}).status_code == 302
    assert Boundary.objects.get(bureau=world.B2).vertices == 4


@pytest.mark.parametrize("username", ["bureau", "centre", "school", "teacher"])
def test_the_people_of_the_district_see_its_boundary(world, login, username):
    post(login(world.users["admin"]), world, collection(polygon()))
    client = login(world.users[username])
    assert client.get(f"/maps/boundary/{world.B1.pk}.json").status_code == 200
    assert client.get(f"/maps/boundary/{world.B2.pk}.json").status_code == 404
    assert client.get(f"/maps/boundary/{world.S1.pk}.json").status_code == 404


def test_two_uploads_at_once_leave_one_boundary(world):
    """The second of two uploads that both found no boundary replaces the first."""
    from django.core.files.base import ContentFile

    from anwen.maps import services

    def send():
        file = ContentFile(json.dumps(collection(polygon())).encode(), name="d.geojson")
        return services.boundary_upload(bureau=world.B1, file=file, by=world.users["admin"])

    first = send()
    Boundary.objects.filter(pk=first.pk).update(sha256="x")  # as if it landed a moment ago
    second = send()
    assert second.pk == first.pk
    assert Boundary.objects.count() == 1
    assert list(
        AuditEvent.objects.filter(action__startswith="maps.").values_list("action", flat=True)
    ) == ["maps.boundary.uploaded", "maps.boundary.replaced"]


DELETE = "/maps/boundary/delete/"


def test_an_administrator_deletes_the_boundary_and_the_map_draws_without_it(world, login):
    """A wrong or outdated outline could be replaced but never removed (walk 8)."""
    client = login(world.users["admin"])
    post(client, world, collection(polygon()))
    page = client.get(URL).content.decode()
    assert DELETE in page and "删除边界" in page  # the button beside the current file

    response = client.post(DELETE, {"org": world.B1.pk}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "已删除" in response.content.decode()
    assert not Boundary.objects.exists()
    deleted = AuditEvent.objects.get(action="maps.boundary.deleted")
    assert deleted.data["file_name"] and deleted.data["sha256"]  # which file it was, kept
    assert client.get("/maps/data.json").json()["boundary"] is None
    assert client.get(f"/maps/boundary/{world.B1.pk}.json").status_code == 404

    # A second click (or a second administrator at once) deletes nothing and says so.
    again = client.post(DELETE, {"org": world.B1.pk}, follow=True)
    assert again.status_code == 200 and "没有可删除的边界" in again.content.decode()
    assert AuditEvent.objects.filter(action="maps.boundary.deleted").count() == 1
    assert client.get(DELETE).status_code == 405


@pytest.mark.parametrize("username", ["bureau", "leader", "centre", "school", "agency"])
def test_only_the_bureaus_administrator_deletes_its_boundary(world, login, username):
    post(login(world.users["admin"]), world, collection(polygon()))
    client = login(world.users[username])
    assert client.post(DELETE, {"org": world.B1.pk}).status_code == 404
    stranger = login(add_persona(world, f"other_admin_{username}", RoleName.BUREAU_ADMIN, "B2"))
    assert stranger.post(DELETE, {"org": world.B1.pk}).status_code == 404
    assert Boundary.objects.filter(bureau=world.B1).exists()
    assert not AuditEvent.objects.filter(action="maps.boundary.deleted").exists()
