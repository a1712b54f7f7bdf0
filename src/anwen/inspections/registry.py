"""What the inspections app tells other engines through their protocols: the grid areas that
owe a daily check (obligations' subjects) and the photos an invited agency inspector may open
(evidence readers)."""

from collections.abc import Iterable

from django.db.models import Q


def grid_area_subjects(org_ids: Iterable[int]):
    """Active grid areas of these schools, each owed a daily check by its owner (one query)."""
    from anwen.inspections.models import GridArea
    from anwen.obligations.registry import Subject

    rows = (GridArea.objects.filter(org_id__in=list(org_ids), is_active=True)
            .order_by("org_id", "sort_order", "name")
            .values_list("org_id", "pk", "owner_id", "name", "since"))
    return [Subject(org_id=org_id, subject_id=pk, person_id=owner_id, label=name, since=since)
            for org_id, pk, owner_id, name, since in rows]


def joint_inspection_photos(user, file) -> bool:
    """An agency inspector opens the photos of the joint inspections his agency was invited to
    (of answers and of findings), which lie outside his org scope. One query."""
    from anwen.inspections.access import invited_q, joined_agencies
    from anwen.inspections.models import Inspection

    agencies = joined_agencies(user)
    if not agencies:
        return False
    return Inspection.objects.filter(invited_q(agencies)).filter(
        Q(findings__photos=file.pk) | Q(answers__photos=file.pk)).exists()
