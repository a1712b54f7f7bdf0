"""Hazards over the API (PL9), read only, scoped exactly like the pages (the same selectors)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from .models import Category, Grade, HazardState, Kind, Theme
from .selectors import access_hazard, hazard_list

router = Router(tags=["hazards"])


class HazardOut(Schema):
    id: int
    org_id: int
    source: str
    title: str
    grade: str
    category: str
    theme: str
    kind: str
    place: str
    found_on: date
    responsible_id: int | None
    deadline: date | None
    state: str


class EventOut(Schema):
    name: str
    from_state: str
    to_state: str
    actor_id: int | None
    at: str
    note: str


class HazardDetailOut(HazardOut):
    description: str
    measures: str
    events: list[EventOut]


@router.get("/hazards", response=list[HazardOut])
@paginate
def list_hazards(
    request: HttpRequest,
    state: HazardState | None = None,
    grade: Grade | None = None,
    category: Category | None = None,
    theme: Theme | None = None,
    kind: Kind | None = None,
    overdue: bool = False,
):
    return hazard_list(
        request.user,
        today=timezone.localdate(),
        state=state or "",
        grade=grade or "",
        category=category or "",
        theme=theme or "",
        kind=kind or "",
        overdue=overdue,
    )


@router.get("/hazards/{hazard_id}", response=HazardDetailOut)
def get_hazard(request: HttpRequest, hazard_id: int):
    from .services import chronology

    hazard = access_hazard(request.user, hazard_id)
    hazard.events = [  # type: ignore[attr-defined]
        {
            "name": e.name,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor_id": e.actor_id,
            "at": e.at.isoformat(),
            "note": e.note,
        }
        for e in chronology(hazard)
    ]
    return hazard
