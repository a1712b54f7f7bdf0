"""The notification routes with a parameter, for the permission matrix (web/tests)."""

from anwen.outbox.models import Channel, Delivery, Notice

OBJECT_ROUTES = {
    "outbox:read": ("notice", "pk"),
    "outbox:retry": ("failed_delivery", "pk"),
}


def _notice(key: str) -> Notice:
    notice, _new = Notice.objects.get_or_create(key=key, defaults={"title": "矩阵通知"})
    return notice


def notice_sampler(world, user, inside):
    """Inside: one of the user's own notices; outside: another person's."""
    owner = (
        user
        if inside
        else (
            world.users["other_school"]
            if user != world.users["other_school"]
            else world.users["school"]
        )
    )
    delivery, _new = Delivery.objects.get_or_create(
        notice=_notice("matrix:notice"),
        user=owner,
        channel=Channel.APP,
        defaults={"status": Delivery.Status.DELIVERED},
    )
    return delivery.pk


def failed_sampler(world, user, inside):
    """A failed e-mail of someone at S1 (inside for its district's administrators) or S9."""
    owner = world.users["school"] if inside else world.users["other_school"]
    delivery, _new = Delivery.objects.get_or_create(
        notice=_notice("matrix:failed"),
        user=owner,
        channel=Channel.EMAIL,
        defaults={"status": Delivery.Status.FAILED, "address": "x@example.cn", "attempts": 5},
    )
    return delivery.pk


SAMPLERS = {"notice": notice_sampler, "failed_delivery": failed_sampler}
