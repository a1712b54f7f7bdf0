"""Writes of the outbox: announcing an event, reading it, choosing one's channels.

`announce` is the one entry point of the engines (hazards, cases, alerts): they call it inside
their own transaction when an event happens, naming the event by a stable key, and never
import anything else of this app. Delivery is the worker's (`delivery.py`, `tasks.py`).
"""

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from anwen import audit
from anwen.accounts.models import User
from anwen.errors import AppError
from anwen.orgs.models import Person
from anwen.outbox.models import Channel, Delivery, Notice, Preference

# A mainland mobile number, as people type it: 11 digits from 1, maybe +86 / 86 and spaces or
# dashes. A landline in `Person.phone` (023-4567 8901) gets no SMS.
KEY_MAX = 200

_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")


def mobile_number(phone: str) -> str:
    """The 11-digit mobile number in `phone`, or "" when it is not one."""
    match = _MOBILE.match(re.sub(r"[\s\-()]", "", phone or ""))
    return match.group(1) if match else ""


def safe_link(link: str) -> str:
    """`link` when it is a path on this site ("/hazards/12/"), else "": a notice never sends
    anyone off the site, whatever an engine passed."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith(("//", "/\\")):
        return ""
    return link[:500]


def announce(
    *, key: str, recipients: Iterable[User], title: str, body: str = "", link: str = ""
) -> None:
    """Tell `recipients` about the event `key`, once per person and channel, ever.

    Writes in the caller's transaction one Notice (found again by `key` when the event was
    announced before: its text stays as first written) and one Delivery per person and channel
    they receive: in the app always; by e-mail when they have an address and want it; by SMS
    when their person record has a mobile number and they want it. A second call with the same
    key adds only the people and channels still missing, so a job run twice, or twenty threads
    at once, tell nobody twice: the unique (notice, user, channel) constraint is the referee
    (`ignore_conflicts` skips rows another caller wrote first; on PostgreSQL the insert waits
    for that caller's commit and then skips, on SQLite the writers queue on the database lock).
    Inactive accounts are skipped. The worker sends after commit; a rolled-back caller sends
    nothing."""
    if not key or len(key) > KEY_MAX:
        # A cut key could name two events at once: the caller must choose a shorter one.
        raise ValueError(f"an event key is 1 to {KEY_MAX} characters: {key[:40]!r}…")
    people = {user.pk: user for user in recipients if user.pk is not None and user.is_active}
    with transaction.atomic():
        notice, _created = Notice.objects.get_or_create(
            key=key, defaults={"title": title[:200], "body": body, "link": safe_link(link)}
        )
        if not people:
            return
        prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=people)}
        phones = dict(
            Person.objects.filter(user_id__in=people, is_active=True).values_list(
                "user_id", "phone"
            )
        )
        now = timezone.now()
        rows = []
        for user_id, user in people.items():
            pref = prefs.get(user_id)
            rows.append(
                Delivery(
                    notice=notice,
                    user_id=user_id,
                    channel=Channel.APP,
                    status=Delivery.Status.DELIVERED,
                    created_at=now,
                    delivered_at=now,
                )
            )
            if user.email and (pref is None or pref.email):
                rows.append(
                    Delivery(
                        notice=notice,
                        user_id=user_id,
                        channel=Channel.EMAIL,
                        address=user.email,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
            mobile = mobile_number(phones.get(user_id, ""))
            if mobile and (pref is None or pref.sms):
                rows.append(
                    Delivery(
                        notice=notice,
                        user_id=user_id,
                        channel=Channel.SMS,
                        address=mobile,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
        # Rows already written (an earlier announce) are left out here, so only a call that
        # adds an e-mail or SMS wakes the worker; rows a concurrent caller writes between this
        # read and the insert are skipped by the constraint.
        have = set(
            Delivery.objects.filter(notice=notice, user_id__in=people).values_list(
                "user_id", "channel"
            )
        )
        rows = [row for row in rows if (row.user_id, row.channel) not in have]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        if any(row.channel != Channel.APP for row in rows):
            transaction.on_commit(_enqueue_drain)


def _enqueue_drain() -> None:
    # Sent soon after the event rather than at the next tick; the tick drains too, so a lost
    # enqueue only delays. Imported here: tasks imports delivery, which imports this module.
    from anwen.outbox.tasks import drain_outbox

    drain_outbox.enqueue()


def notice_mark_read(*, delivery: Delivery) -> bool:
    """Mark one of a person's in-app notices read; True when it was unread. The caller found
    `delivery` through `selectors.access_notice`, so it is the person's own."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, channel=Channel.APP, read_at=None).update(
            read_at=timezone.now()
        )
    )


def notices_mark_all_read(*, user: User) -> int:
    """Mark every unread in-app notice of `user` read; how many were. A second call marks none."""
    return Delivery.objects.filter(user=user, channel=Channel.APP, read_at=None).update(
        read_at=timezone.now()
    )


def preference_save(*, user: User, email: bool, sms: bool, request=None) -> Preference:
    """Set which channels beyond the app `user` receives, from the next notice on (deliveries
    already written keep going: they were chosen when the event happened)."""
    with transaction.atomic():
        pref, _created = Preference.objects.update_or_create(
            user=user, defaults={"email": email, "sms": sms}
        )
        audit.record(
            actor=user,
            action="outbox.preference.changed",
            obj=pref,
            data={"email": email, "sms": sms},
            request=request,
        )
    return pref


def preference_of(user: User) -> Preference:
    """The person's choice, or the defaults (unsaved) when they never chose."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


class RetryRefused(AppError):
    """A failed delivery cannot be sent again; the message says why, for the administrator."""


def current_address(user: User, channel: str) -> str:
    """Where `user` gets `channel` now: their e-mail address or mobile number as the records
    say today, "" when they have none or switched the channel off."""
    pref = preference_of(user)
    if channel == Channel.EMAIL:
        return user.email if pref.email else ""
    if channel == Channel.SMS:
        phone = (
            Person.objects.filter(user=user, is_active=True).values_list("phone", flat=True).first()
        )
        return mobile_number(phone or "") if pref.sms else ""
    return ""


def delivery_retry(*, delivery: Delivery, by: User, request=None) -> bool:
    """Send a failed delivery again from the first attempt (an administrator fixed the address
    or the gateway); True when it was still failed. The worker picks it up at its next run.

    It goes to the address the person has now, not the one it failed at: a mistyped mobile
    number, once corrected, must not be texted again (it may be a stranger's), and a person
    who switched the channel off, or left, gets nothing (RetryRefused)."""
    user = delivery.user
    address = current_address(user, delivery.channel) if user.is_active else ""
    if not address:
        raise RetryRefused(
            gettext_lazy(
                "Not sent again: the person has no address for this channel now, has switched "
                "it off, or their account is closed."
            )
        )
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            claimed_at=None,
            next_attempt_at=timezone.now(),
            address=address,
        )
        if changed:
            audit.record(
                actor=by,
                action="outbox.delivery.retried",
                obj=delivery,
                data={
                    "channel": delivery.channel,
                    "user": delivery.user_id,
                    "address_changed": address != delivery.address,
                },
                request=request,
            )
    if changed:
        transaction.on_commit(_enqueue_drain)
    return bool(changed)
