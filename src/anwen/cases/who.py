"""Who may take a case's steps: the shared answers every case type's declaration uses.

A case's named handlers are the people granted it by name (`Grant` with reason "handler"):
the first receiver, each person it was assigned to, the leader in charge. They alone read a
confidential case's content; the org tree (roles with `cases.view`) sees that it exists."""

from anwen.orgs.scope import has_perm
from anwen.workflow.models import Grant

GRANTS = "cases.case"  # the grant rows' record type, one for every case type
HANDLER = "handler"


def is_handler(user, case) -> bool:
    if not getattr(user, "is_authenticated", False) or case.pk is None:
        return False
    cache = getattr(user, "_case_handler_cache", None)
    if cache is None:
        cache = {}
        user._case_handler_cache = cache
    if case.pk not in cache:
        cache[case.pk] = Grant.objects.filter(
            record_type=GRANTS, record_id=case.pk, user=user, reason=HANDLER
        ).exists()
    return cache[case.pk]


def forget(user) -> None:
    """After a grant changes within the request (an assignment), ask again."""
    if hasattr(user, "_case_handler_cache"):
        del user._case_handler_cache


def may_register(user, case) -> bool:
    return has_perm(user, "cases.register", case.org)


def may_handle(user, case) -> bool:
    """A named handler of the case, or (for the steps of routing) the office that registers."""
    return is_handler(user, case)


def is_owner(user, case) -> bool:
    """The person the case was handed to and who holds it now (not its first receiver)."""
    return (
        getattr(user, "is_authenticated", False)
        and case.owner_id == user.pk
        and case.owner_id != case.first_receiver_id
    )


def may_route(user, case) -> bool:
    """The office that registers routes an open case; a confidential one only its named
    handlers: whoever may route it may hand it to anyone, themselves included, and so would
    read through a grant of their own what the org tree only sees exists."""
    from .types import type_of

    if is_handler(user, case):
        return True
    return may_register(user, case) and not type_of(case).confidential


def may_supervise(user, case) -> bool:
    return has_perm(user, "cases.supervise", case.org)


def may_approve(user, case) -> bool:
    return has_perm(user, "cases.approve", case.org)


def may_lead(user, case) -> bool:
    return has_perm(user, "cases.lead", case.org) and case.leader_id != user.pk
