"""Standard checklists as data, and versioned editing: an inspection keeps the version it
answered."""

import pytest

from anwen.audit.models import AuditEvent
from anwen.inspections import services, standard
from anwen.inspections.models import ChecklistTemplate, ChecklistVersion, Purpose

pytestmark = pytest.mark.django_db


@pytest.mark.req("SM2.1", "SM2.2")
def test_standard_lists_load_once_under_the_bureau(world):
    first = services.standard_templates_load(owner=world.B1, by=world.users["bureau"])
    again = services.standard_templates_load(owner=world.B1, by=world.users["bureau"])
    assert [t.pk for t in first] == [t.pk for t in again]
    assert ChecklistTemplate.objects.filter(owner=world.B1).count() == len(standard.STANDARDS)
    assert ChecklistVersion.objects.filter(
        template__owner=world.B1, number=1, published_at__isnull=False
    ).count() == len(first)
    purposes = set(ChecklistTemplate.objects.values_list("purpose", flat=True))
    assert {
        Purpose.AREA_DAILY,
        Purpose.OFFICE_WEEKLY,
        Purpose.LEADERSHIP_MONTHLY,
        Purpose.FIRE_SELF,
        Purpose.SCREENING,
        Purpose.SPOT,
        Purpose.JOINT,
    } <= purposes
    assert AuditEvent.objects.filter(action="inspections.template.standard_loaded").count() == 1


@pytest.mark.req("SM2.1", "SM2.2")
def test_the_bureau_loads_the_standard_lists_from_the_checklists_page(world, login):
    school = login(world.users["school"])
    assert "standard/" not in school.get("/inspections/checklists/").content.decode()
    assert school.post("/inspections/checklists/standard/").status_code == 404
    assert not ChecklistTemplate.objects.exists()

    client = login(world.users["bureau"])
    page = client.get("/inspections/checklists/")
    assert 'action="/inspections/checklists/standard/"' in page.content.decode()
    assert client.get("/inspections/checklists/standard/").status_code == 405
    done = client.post("/inspections/checklists/standard/", follow=True)
    assert done.redirect_chain[-1][0] == "/inspections/checklists/"
    assert [str(m) for m in done.context["messages"]] == [
        f"已载入标准检查清单：新增 {len(standard.STANDARDS)} 个；已有的清单保持不变。"
    ]
    assert ChecklistTemplate.objects.filter(owner=world.B1).count() == len(standard.STANDARDS)
    again = client.post("/inspections/checklists/standard/", follow=True)
    assert ChecklistTemplate.objects.filter(owner=world.B1).count() == len(standard.STANDARDS)
    assert [str(m) for m in again.context["messages"]] == [
        "已载入标准检查清单：新增 0 个；已有的清单保持不变。"
    ]


@pytest.mark.req("SM2.2")
def test_the_fire_self_check_list_covers_the_national_categories(world, lists):
    template = services.standard_template(world.S3, Purpose.FIRE_SELF)
    assert template.code == "fire-self-check"
    items = list(services.current_version(template).items.all())
    assert 20 <= len(items) <= 35
    categories = " ".join({i.category for i in items})
    for word in ("疏散", "消防设施", "用火", "实验室", "厨房", "宿舍", "预案"):
        assert word in categories, word


@pytest.mark.req("SM2.2")
def test_a_new_version_applies_to_new_inspections_and_old_ones_keep_theirs(world, lists):
    bureau = world.users["bureau"]
    template = lists["office-weekly"]
    v1 = services.current_version(template)
    old = services.inspection_start(
        org=world.S1, purpose="office_weekly", level="self", by=world.users["school"]
    )
    assert old.version == v1

    draft = services.version_draft(template=template, by=bureau)
    assert draft.number == 2 and draft.published_at is None
    assert services.version_draft(template=template, by=bureau) == draft  # one draft at a time
    assert draft.items.count() == v1.items.count()
    services.item_add(
        version=draft, by=bureau, category="校车安全", text="校车随车照管人员在岗", weight=2
    )
    removed = draft.items.first()
    services.item_remove(item=removed, by=bureau)
    # Not published yet: new inspections still answer v1.
    assert services.current_version(template) == v1
    services.version_publish(version=draft, by=bureau, note="增加校车照管")

    new = services.inspection_start(
        org=world.S1, purpose="office_weekly", level="self", by=world.users["principal"]
    )
    assert new.version == draft
    old.refresh_from_db()
    assert old.version == v1
    assert v1.items.count() == draft.items.count()  # one added, one removed
    assert not v1.items.filter(text="校车随车照管人员在岗").exists()
    assert v1.items.filter(pk=removed.pk).exists() is False  # the draft's copy went, not v1's
    assert v1.items.filter(text=removed.text).exists()


@pytest.mark.req("SM2.2")
def test_a_published_version_cannot_change(world, lists):
    v1 = services.current_version(lists["office-weekly"])
    with pytest.raises(services.InspectionError):
        services.item_add(version=v1, by=world.users["bureau"], category="x", text="y")


@pytest.mark.req("SM2.1")
def test_a_school_may_not_edit_the_bureaus_standard_list(world, lists, login):
    template = lists["area-daily"]
    with pytest.raises(services.InspectionError):
        services.version_draft(template=template, by=world.users["school"])
    client = login(world.users["school"])
    page = client.get(f"/inspections/checklists/{template.pk}/")
    assert page.status_code == 200  # the school sees the list it uses
    assert 'value="draft"' not in page.content.decode()
    assert (
        client.post(f"/inspections/checklists/{template.pk}/", {"action": "draft"}).status_code
        == 404
    )


@pytest.mark.req("SM2.1", "SM2.2")
def test_the_bureau_edits_a_list_through_the_pages(world, lists, login):
    template = lists["office-weekly"]
    client = login(world.users["bureau"])
    url = f"/inspections/checklists/{template.pk}/"
    assert client.post(url, {"action": "draft"}).status_code == 302
    response = client.post(
        url,
        {
            "action": "add",
            "category": "校车安全",
            "text": "校车随车照管人员在岗",
            "guidance": "",
            "weight": 2,
            "evidence": "photo_on_fail",
        },
    )
    assert response.status_code == 302
    draft = template.versions.get(number=2)
    item = draft.items.get(text="校车随车照管人员在岗")
    response = client.post(
        f"/inspections/checklists/items/{item.pk}/",
        {
            "category": "校车安全",
            "text": "校车随车照管人员在岗并清点人数",
            "guidance": "",
            "weight": 3,
            "evidence": "photo_always",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.weight, item.evidence) == (
        "校车随车照管人员在岗并清点人数",
        3,
        "photo_always",
    )
    assert client.post(url, {"action": "publish", "note": "增加校车"}).status_code == 302
    assert services.current_version(template) == draft
    page = client.get(url).content.decode()
    assert "校车随车照管人员在岗并清点人数" in page and "v2" in page
    assert AuditEvent.objects.filter(action="inspections.template.published").exists()
