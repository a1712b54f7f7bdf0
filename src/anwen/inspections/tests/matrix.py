"""Routes of the inspections app that take an object, for the permission matrix
(web/tests/test_permission_matrix.py)."""

from datetime import date

from anwen.inspections.access import joined_agencies
from anwen.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    GridArea,
    Inspection,
)
from anwen.orgs.scope import visible_orgs

OBJECT_ROUTES = {
    "inspections:detail": ("inspection", "pk"),
    "inspections:finding_add": ("inspection", "pk"),
    "inspections:accountability_add": ("inspection", "pk"),
    "inspections:area_edit": ("grid_area", "pk"),
    "inspections:area_check": ("grid_area", "pk"),
    "inspections:template_detail": ("checklist_template", "pk"),
    "inspections:item_edit": ("checklist_item", "pk"),
}

DAY = date(2026, 3, 2)


def _version(owner):
    template, _new = ChecklistTemplate.objects.get_or_create(
        owner=owner, code="matrix", defaults={"name": "矩阵清单", "purpose": "area_daily"}
    )
    version, created = ChecklistVersion.objects.get_or_create(
        template=template, number=1, defaults={"published_at": "2026-01-05T08:00:00+08:00"}
    )
    if created:
        ChecklistItem.objects.create(version=version, category="消防安全", text="灭火器完好有效")
    draft, created = ChecklistVersion.objects.get_or_create(template=template, number=2)
    if created:
        ChecklistItem.objects.create(version=draft, category="消防安全", text="疏散通道畅通")
    return version


def _district(world, user):
    seen = list(visible_orgs(user))
    return world.B2 if any(o.path.startswith(world.B2.path) for o in seen) else world.B1


def _school(world, user, inside: bool):
    seen = {o.pk for o in visible_orgs(user)}
    schools = [world.S1, world.S2, world.S3, world.S9]
    for school in schools:
        if (school.pk in seen) == inside:
            return school
    return world.S9 if _district(world, user) == world.B1 else world.S1


def _area(school, world):
    from anwen.orgs.models import Person

    owner = next((p for p in world.people.values() if p.org_id == school.pk), None)
    if owner is None:
        owner, _new = Person.objects.get_or_create(org=school, name="矩阵网格员")
    bureau = world.B2 if school.path.startswith(world.B2.path) else world.B1
    area, _new = GridArea.objects.get_or_create(
        org=school,
        name="矩阵网格",
        defaults={
            "kind": "gate",
            "owner": owner,
            "checklist": _version(bureau).template,
            "since": DAY,
        },
    )
    return area


def inspection_sampler(world, user, inside: bool) -> int:
    bureau = _district(world, user)
    if inside:
        # An inspection he started in a school of his scope. An agency inspector sees only the
        # joint inspections his agency is invited to, which name a school outside his org
        # scope (the matrix would call that a leak): he gets one he is not invited to, which
        # must answer 404; test_agency.py covers what he does see.
        if joined_agencies(user):
            return Inspection.objects.get_or_create(
                org=world.S1,
                level="joint",
                purpose="joint",
                inspected_on=DAY,
                created_by=world.users["bureau"],
                status="draft",
                area=None,
                defaults={"lead_org": world.B1, "version": _version(world.B1)},
            )[0].pk
        school = _school(world, user, True)
        return Inspection.objects.get_or_create(
            org=school,
            level="self",
            purpose="other",
            inspected_on=DAY,
            created_by=user,
            status="draft",
            area=None,
            defaults={"lead_org": school, "version": _version(bureau)},
        )[0].pk
    school = _school(world, user, False)
    other = world.B2 if school.path.startswith(world.B2.path) else world.B1
    inspection, _new = Inspection.objects.get_or_create(
        org=school,
        level="self",
        purpose="other",
        inspected_on=DAY,
        status="draft",
        area=None,
        created_by=world.users["other_school" if other == world.B2 else "school3"],
        defaults={"lead_org": school, "version": _version(other)},
    )
    return inspection.pk


def area_sampler(world, user, inside: bool) -> int:
    return _area(_school(world, user, inside), world).pk


def template_sampler(world, user, inside: bool) -> int:
    bureau = _district(world, user)
    if inside:
        return _version(bureau).template_id
    return _version(world.B2 if bureau == world.B1 else world.B1).template_id


def item_sampler(world, user, inside: bool) -> int:
    bureau = _district(world, user)
    owner = bureau if inside else (world.B2 if bureau == world.B1 else world.B1)
    _version(owner)
    return ChecklistItem.objects.get(
        version__template__owner=owner, version__template__code="matrix", version__number=2
    ).pk


SAMPLERS = {
    "inspection": inspection_sampler,
    "grid_area": area_sampler,
    "checklist_template": template_sampler,
    "checklist_item": item_sampler,
}
