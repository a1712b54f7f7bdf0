"""Reads of the outbox: a person's own notices, and for administrators what failed to go."""

from django.db.models import QuerySet
from django.http import Http404

from anwen.accounts.models import User
from anwen.forms import is_id
from anwen.orgs.scope import with_perm
from anwen.outbox.models import Channel, Delivery

# Who sees the deliveries that could not be sent (the people's administrator).
ADMIN_PERM = "accounts.manage"


def unread_count(user: User) -> int:
    """The bell's number: one COUNT over the partial index `outbox_unread`."""
    return Delivery.objects.filter(user=user, channel=Channel.APP, read_at=None).count()


def notices_of(user: User) -> QuerySet[Delivery]:
    """The person's in-app notices, newest first, each with its notice."""
    return (
        Delivery.objects.filter(user=user, channel=Channel.APP)
        .select_related("notice")
        .order_by("-created_at", "-pk")
    )


def access_notice(user: User, pk) -> Delivery:
    """One of the person's own in-app notices, or 404: another person's looks like none."""
    if not is_id(pk):
        raise Http404
    found = Delivery.objects.filter(user=user, channel=Channel.APP, pk=pk).first()
    if found is None:
        raise Http404
    return found


def failed_deliveries(user: User) -> QuerySet[Delivery]:
    """Deliveries given up on, of the people where `user` administers accounts, newest first.
    The notice's key says which event it was; its title and text are not shown here."""
    return (
        with_perm(
            Delivery.objects.filter(status=Delivery.Status.FAILED),
            user,
            ADMIN_PERM,
            field="user__person__org",
        )
        .select_related("notice", "user")
        .order_by("-created_at", "-pk")
    )


def access_failed(user: User, pk) -> Delivery:
    """A failed delivery the administrator may see, or 404."""
    if not is_id(pk):
        raise Http404
    found = failed_deliveries(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
