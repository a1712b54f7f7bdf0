"""Kinds the plan names (campus housing, ageing systems, e-bikes) and campaign themes: set on
assignment, each with its own filter."""

import pytest

from anwen.hazards import services


def _listing(client, query: str) -> str:
    return client.get(f"/hazards/?{query}").content.decode()


@pytest.mark.req("SM3.3")
def test_residential_housing_inside_a_campus_is_listed_until_it_is_isolated(
    world, login, raise_hazard, photo
):
    hazard = raise_hazard(title="校内教师住房未与教学区隔离", category="building")
    client = login(world.users["school"])
    client.post(
        f"/hazards/{hazard.pk}/assign/",
        {
            "responsible": world.people["teacher"].pk,
            "grade": "general",
            "category": "building",
            "kind": "housing",
            "theme": "",
        },
    )
    hazard.refresh_from_db()
    assert hazard.kind == "housing"
    assert "校内教师住房未与教学区隔离" in _listing(client, "kind=housing&state=assigned")
    teacher = world.users["teacher"]
    services.hazard_start(hazard=hazard, by=teacher)
    services.hazard_submit_fix(hazard=hazard, by=teacher, note="已砌墙隔离", photos=[photo()])
    services.hazard_verify(hazard=hazard, by=world.users["principal"])
    assert "校内教师住房未与教学区隔离" not in _listing(client, "kind=housing&state=assigned")
    assert "校内教师住房未与教学区隔离" in _listing(client, "kind=housing&state=closed")


@pytest.mark.req("SM7.6")
def test_e_bike_parking_and_charging_is_a_hazard_kind_of_its_own(world, login, raise_hazard):
    ebike = raise_hazard(title="电动车在楼道充电", kind="ebike", category="electrical")
    raise_hazard(title="插座松动", category="electrical")
    page = _listing(login(world.users["school"]), "kind=ebike")
    assert ebike.title in page and "插座松动" not in page


@pytest.mark.req("SM4.3")
def test_each_campaign_theme_has_its_filter_and_its_figures(world, login, raise_hazard):
    from datetime import date

    from django.utils import timezone

    from anwen.hazards.selectors import theme_figures

    raise_hazard(title="校车灭火器缺失", theme="school_bus", category="traffic")
    late = raise_hazard(
        title="校车座椅破损", theme="school_bus", category="traffic", found_on=date(2020, 1, 6)
    )
    raise_hazard(title="配电箱未上锁", theme="electrical_fire", category="electrical")
    raise_hazard(title="另一校校车", theme="school_bus", org=world.S3, by=world.users["school3"])
    client = login(world.users["centre"])
    page = _listing(client, "theme=school_bus")
    assert "校车灭火器缺失" in page and "配电箱未上锁" not in page
    assert "配电箱未上锁" in _listing(client, "theme=electrical_fire")
    assert "校车座椅破损" in _listing(client, "theme=school_bus&overdue=on")
    figures = {
        f["theme"]: f for f in theme_figures(world.users["centre"], today=timezone.localdate())
    }
    assert (figures["school_bus"]["open"], figures["school_bus"]["overdue"]) == (2, 1)
    assert figures["construction"]["total"] == 0
    assert late.deadline is not None
    assert 'href="?theme=school_bus&amp;overdue=on">1<' in page


def test_a_value_not_in_the_lists_is_refused(world, raise_hazard):
    with pytest.raises(services.HazardError):
        raise_hazard(kind="nonsense")
