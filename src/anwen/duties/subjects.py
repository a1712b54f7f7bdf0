"""The subject provider `duties.staff`: an obligation owed once per member of staff (the yearly
responsibility letter) has one subject per active person holding a position in a school."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from anwen.obligations.registry import Subject


def staff_subjects(org_ids: Iterable[int]) -> list[Subject]:
    from anwen.duties.selectors import school_staff

    # Staff lists carry no hiring date: everyone on the staff owes this year's letter.
    since = date(timezone.localdate().year, 1, 1)
    return [
        Subject(org_id=org_id, subject_id=pk, person_id=pk, label=name, since=since)
        for org_id, pk, name in school_staff(Q(org_id__in=list(org_ids)))
        .order_by("org_id", "pk")
        .values_list("org_id", "pk", "name")
    ]
