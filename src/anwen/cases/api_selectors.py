"""Reads the API, the inbox, the reminders and the export need beyond `selectors`: which of a
page of cases the user reads (one query for the page, not one per case), and the people told
about a batch of cases."""

from collections.abc import Iterable

from anwen.workflow.models import Grant

from .who import GRANTS, HANDLER


def handlers_of(case_ids: Iterable[int]) -> dict[int, list]:
    """case id → its active named handlers (users), in two queries for any number of cases."""
    from django.contrib.auth import get_user_model

    ids = list(case_ids)
    pairs = list(
        Grant.objects.filter(
            record_type=GRANTS, record_id__in=ids, reason=HANDLER, user__isnull=False
        ).values_list("record_id", "user_id")
    )
    users = get_user_model().objects.in_bulk({u for _c, u in pairs})
    out: dict[int, list] = {pk: [] for pk in ids}
    for case_id, user_id in pairs:
        user = users.get(user_id)
        if user is not None and user.is_active:
            out[case_id].append(user)
    return out
