"""Grants: one record opened to an org or a person outside its tree (see models.Grant).
`orgs.scope.perm_or_granted_q` reads them; an engine's selectors pass `granted(code)`."""

from django.db.models import QuerySet

from anwen.workflow.models import Grant


def grant(*, record_type: str, record_id: int, org=None, user=None, reason: str = "") -> None:
    """Let `org` (its users) or `user` see the record; granting twice keeps one grant."""
    if org is None and user is None:
        return
    Grant.objects.get_or_create(
        record_type=record_type,
        record_id=record_id,
        org=org,
        user=user,
        defaults={"reason": reason},
    )


def grants(record_type: str) -> QuerySet[Grant]:
    return Grant.objects.filter(record_type=record_type)
