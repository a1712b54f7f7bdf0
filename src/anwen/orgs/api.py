"""Orgs and people over the API, scoped exactly like the UI (the same selectors and guards)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from anwen import audit
from anwen.apischema import Paging
from anwen.orgs.exporting import query_filters, scope_of
from anwen.orgs.models import Org, Person
from anwen.orgs.scope import access, access_org, has_perm, roles_of, scope_paths, visible_orgs
from anwen.orgs.selectors import people_list

router = Router(tags=["orgs"])

LISTED = "api.people.listed"
VIEWED = "api.person.viewed"


class AuditedPaging(Paging):
    """The API's paging for lists of personal data: every page handed out is recorded like an
    Excel export (issue 7 §3: who, which list, how many rows, the filters, from where), since
    a script paging through the list is an export by other means."""

    def __init__(self, *, action: str = LISTED, **kwargs: Any) -> None:
        self.action = action
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=self.action,
                org=scope_of(request.user),
                request=request,
                data={
                    "rows": len(page["items"]),
                    "offset": pagination.offset,
                    "limit": pagination.limit,
                    "count": page["count"],
                    "filters": query_filters(request, ignore=frozenset({"limit", "offset"})),
                    "path": request.path,
                },
            )
        return page


class SchoolOut(Schema):
    school_type: str
    ownership: str
    enrolment: int
    boarding: bool
    boarders: int
    gates: int
    area_m2: int
    address: str
    longitude: Decimal | None
    latitude: Decimal | None
    legal_representative_id: int | None


class OrgOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    code: str
    parent_id: int | None
    path: str
    school: SchoolOut | None = Field(None)

    @staticmethod
    def resolve_school(obj: Org):
        return getattr(obj, "school", None) if obj.kind == "school" else None


class PersonOut(Schema):
    id: int
    org_id: int
    name: str
    gender: str
    staff_no: str
    positions: list[str]

    @staticmethod
    def resolve_positions(obj: Person) -> list[str]:
        return [p.code for p in obj.positions.all()]


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    scope: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    user = request.user
    return {
        "username": user.username,
        "name": str(user),
        "roles": sorted(roles_of(user)),
        "scope": scope_paths(user),
    }


@router.get("/orgs", response=list[OrgOut])
@paginate
def list_orgs(request: HttpRequest, kind: str | None = None):
    orgs = visible_orgs(request.user).select_related("school").order_by("path")
    if kind:
        orgs = orgs.filter(kind=kind)
    return orgs


@router.get("/orgs/{org_id}", response=OrgOut)
def get_org(request: HttpRequest, org_id: int):
    return access_org(request.user, org_id)


@router.get("/people", response=list[PersonOut])
@paginate(AuditedPaging)
def list_people(request: HttpRequest, org_id: int | None = None):
    if not has_perm(request.user, "orgs.view_people"):
        return Person.objects.none()
    org = access_org(request.user, org_id, perm="orgs.view_people") if org_id else None
    return people_list(request.user, org=org)


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int):
    person = access(
        Person.objects.filter(is_active=True).prefetch_related("positions"),
        request.user,
        person_id,
        perm="orgs.view_people",
    )
    # Like the person page: who read whose record, and from where, is kept.
    with transaction.atomic():
        audit.record(actor=request.user, action=VIEWED, obj=person, request=request)
    return person
