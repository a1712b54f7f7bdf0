from collections import Counter
from decimal import Decimal

import pytest

from anwen.audit.models import AuditEvent
from anwen.demo.district import (
    LAT_RANGE,
    LON_RANGE,
    TOWNS,
    build_district,
    plan_district,
)
from anwen.guards.rules import STAFFING, required_guards
from anwen.orgs.models import Org, OrgKind, Person, SchoolProfile, SchoolType
from anwen.orgs.scope import visible_orgs

pytestmark = pytest.mark.req("PL1")


def names_and_codes(plan):
    return [(o.code, o.name, [p.name for p in o.people]) for o in plan.orgs]


def test_the_same_seed_plans_the_same_district():
    assert plan_district(seed=7) == plan_district(seed=7)


def test_another_seed_plans_other_people_and_schools():
    assert names_and_codes(plan_district(seed=7)) != names_and_codes(plan_district(seed=8))


def test_codes_and_school_names_are_unique():
    plan = plan_district(schools=600)
    assert len({o.code for o in plan.orgs}) == len(plan.orgs)
    schools = plan.by_kind(OrgKind.SCHOOL)
    assert len({o.name for o in schools}) == len(schools) == 600


@pytest.mark.parametrize("schools", [24, 200, 1000])
def test_kindergartens_are_the_largest_group_at_any_size(schools):
    types = Counter(o.school.school_type for o in plan_district(schools=schools).by_kind("school"))
    assert sum(types.values()) == schools
    assert types.most_common(1)[0][0] == SchoolType.KINDERGARTEN
    assert types[SchoolType.SPECIAL] == 1
    assert types[SchoolType.VOCATIONAL] >= 1


@pytest.mark.django_db
def test_the_full_district_is_realistic():
    district = build_district(with_accounts=False)
    assert district.counts["schools"] == 200
    bureau = district.bureau
    assert bureau.name == "重庆市永川区教育委员会" and bureau.kind == OrgKind.BUREAU

    centres = Org.objects.filter(kind=OrgKind.CENTRE)
    assert sorted(c.name for c in centres) == sorted(f"{t[0]}教育管理中心" for t in TOWNS)
    assert all(c.parent_id == bureau.pk for c in centres)
    assert Org.objects.filter(kind=OrgKind.DEPARTMENT, name="安全稳定办公室").exists()
    assert Org.objects.filter(kind=OrgKind.AGENCY, parent=bureau).count() == 7

    profiles = list(SchoolProfile.objects.select_related("org", "legal_representative"))
    types = Counter(p.school_type for p in profiles)
    assert types.most_common(1)[0][0] == SchoolType.KINDERGARTEN
    assert types[SchoolType.SPECIAL] == 1
    kindergartens = [p for p in profiles if p.school_type == SchoolType.KINDERGARTEN]
    assert sum(p.ownership == "private" for p in kindergartens) > len(kindergartens) / 3
    vocational = [p for p in profiles if p.school_type == SchoolType.VOCATIONAL]
    assert len(vocational) >= 3
    assert all(p.org.parent_id == bureau.pk and p.boarding for p in vocational)
    assert all(1000 <= p.enrolment <= 6000 for p in vocational)
    assert all(60 <= p.enrolment <= 400 for p in kindergartens)
    assert all(1 <= p.gates <= 4 for p in profiles)
    assert all(p.address.startswith("重庆市永川区") for p in profiles)
    for p in profiles:
        assert Decimal(LON_RANGE[0]) < p.longitude < Decimal(LON_RANGE[1]), p.org.name
        assert Decimal(LAT_RANGE[0]) < p.latitude < Decimal(LAT_RANGE[1]), p.org.name
    # The Yangtze towns are the southernmost.
    south = max(p.latitude for p in profiles if p.org.parent.name.startswith(("朱沱镇", "松溉镇")))
    assert south < Decimal("29.15")

    guards = Counter(
        Person.objects.filter(positions__code="guard").values_list("org_id", flat=True)
    )
    principals = set(
        Person.objects.filter(positions__code="principal").values_list("pk", flat=True)
    )
    for p in profiles:
        assert p.legal_representative.pk in principals, p.org.name
        assert p.legal_representative.org_id == p.org_id
        assert guards[p.org_id] >= required_guards(p, STAFFING.default), p.org.name
    assert district.counts["people"] > 8000


@pytest.mark.django_db
def test_loading_writes_one_audit_event_for_the_whole_batch():
    build_district(schools=24)
    events = AuditEvent.objects.filter(action__startswith="orgs.")
    assert not events.exists()
    loaded = AuditEvent.objects.get(action="demo.district.loaded")
    assert loaded.data["schools"] == 24 and loaded.data["accounts"] == 12


@pytest.mark.django_db
def test_paths_follow_the_tree():
    build_district(schools=24, with_accounts=False)
    for org in Org.objects.select_related("parent"):
        parent_path = org.parent.path if org.parent else ""
        assert org.path == f"{parent_path}{org.pk}/"
        assert org.depth == (org.parent.depth + 1 if org.parent else 0)


@pytest.mark.django_db
def test_agencies_are_seen_by_the_bureau_and_not_by_schools():
    district = build_district(schools=24)
    police = Org.objects.get(name="永川区公安局")
    assert police in visible_orgs(district.accounts["bureau"])
    assert police not in visible_orgs(district.accounts["principal"])
    assert police not in visible_orgs(district.accounts["centre"])


@pytest.mark.django_db
def test_each_demo_account_is_a_named_person_of_its_org():
    district = build_district(schools=24)
    centre = Org.objects.get(name="青峰镇教育管理中心")
    for username, user in district.accounts.items():
        person = Person.objects.get(user=user)
        assert user.display_name == person.name
        assignment = user.role_assignments.get()
        assert person.org.path.startswith(assignment.org.path), username
    school = district.accounts["principal"].role_assignments.get().org
    assert school.parent == centre
    assert district.accounts["centre"].role_assignments.get().org == centre
