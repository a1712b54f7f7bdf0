"""Hazards raised in bulk, for history loaded all at once (the demo's months of inspections):
the same rows `services.hazard_raise` writes — the hazard, its first event, its grants — in a
few statements instead of a few per hazard, without audit rows (history loaded in bulk is no
one's act)."""

from collections.abc import Iterable
from datetime import datetime

from anwen import calendar
from anwen.obligations.plans import Rules
from anwen.orgs.models import Org
from anwen.workflow.models import Event, Grant

from .lifecycle import HAZARD
from .models import Hazard, HazardState
from .rules import DEADLINE_GENERAL
from .services import category_from_text


def raise_in_bulk(rows: Iterable[dict], *, at: datetime) -> dict[int, int]:
    """Open a hazard for each row (keys: org_id, source, title, category_text, place,
    area_id, found_on, origin_type, origin_id, reported_by_id, grant_org_ids, and `at`, when it was
    reported, else `at`); a row whose
    origin already has a hazard is skipped. Returns {origin_id: hazard pk}."""
    rows = list(rows)
    if not rows:
        return {}
    origin_type = rows[0]["origin_type"]
    done: dict[int, int] = {
        origin: pk
        for origin, pk in Hazard.objects.filter(
            origin_type=origin_type, origin_id__in=[r["origin_id"] for r in rows]
        ).values_list("origin_id", "pk")
        if origin is not None
    }
    rows = [r for r in rows if r["origin_id"] not in done]
    orgs = Org.objects.in_bulk({r["org_id"] for r in rows})
    rules: dict[tuple[int, int], object] = {}
    by_year: dict[int, Rules] = {}

    def deadline(org: Org, found_on):
        key = (org.pk, found_on.year)
        if key not in rules:
            year_rules = by_year.setdefault(found_on.year, Rules(on=found_on))
            rules[key] = year_rules.get(DEADLINE_GENERAL, org=org)
        return calendar.due(found_on, rules[key], org=org)

    hazards = Hazard.objects.bulk_create(
        [
            Hazard(
                org_id=r["org_id"],
                source=r["source"],
                title=r["title"][:200],
                description=r["title"],
                category=category_from_text(r.get("category_text", "")),
                place=r.get("place", "")[:120],
                area_id=r.get("area_id"),
                found_on=r["found_on"],
                reported_by_id=r.get("reported_by_id"),
                origin_type=r["origin_type"],
                origin_id=r["origin_id"],
                deadline=deadline(orgs[r["org_id"]], r["found_on"]),
                state=HazardState.REPORTED,
            )
            for r in rows
        ]
    )
    Event.objects.bulk_create(
        [
            Event(
                record_type=HAZARD.code,
                record_id=h.pk,
                name="created",
                from_state="",
                to_state=HazardState.REPORTED,
                actor_id=h.reported_by_id,
                at=r.get("at") or at,
                data={"source": h.source, "origin": h.origin_type},
            )
            for h, r in zip(hazards, rows, strict=True)
        ]
    )
    Grant.objects.bulk_create(
        [
            Grant(record_type=HAZARD.code, record_id=h.pk, org_id=org_id, reason="found")
            for h, r in zip(hazards, rows, strict=True)
            for org_id in r.get("grant_org_ids", ())
        ],
        ignore_conflicts=True,
    )
    done.update({h.origin_id: h.pk for h in hazards if h.origin_id is not None})
    return done
