"""What the inspections app tells other engines through their protocols: the grid areas that
owe a daily check (obligations' subjects). Whose photos a user may open: files.py."""

from collections.abc import Iterable


def grid_area_subjects(org_ids: Iterable[int]):
    """Active grid areas of these schools, each owed a daily check by its owner (one query)."""
    from anwen.inspections.models import GridArea
    from anwen.obligations.registry import Subject

    rows = (
        GridArea.objects.filter(org_id__in=list(org_ids), is_active=True)
        .order_by("org_id", "sort_order", "name")
        .values_list("org_id", "pk", "owner_id", "name", "since")
    )
    return [
        Subject(org_id=org_id, subject_id=pk, person_id=owner_id, label=name, since=since)
        for org_id, pk, owner_id, name, since in rows
    ]
