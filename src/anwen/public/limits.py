"""The per-address limit of the public forms: so many posts an hour from one address (an IPv4
address, an IPv6 /64: the login throttle's `address_key`), then a clear refusal until the
hour has passed. Every post counts, accepted or refused, so nobody can try codes or answers
without end.

Settings: ANWEN_PUBLIC_MAX_PER_HOUR (write-ins), ANWEN_PUBLIC_LOOKUPS_PER_HOUR (status
lookups), ANWEN_PUBLIC_PICTURES_PER_HOUR (check questions drawn: a picture costs the server a
rendering, so without a bound one address could keep a worker drawing). A school or a mobile network may put many parents behind one address: the defaults
are generous and an operator can raise them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from anwen.accounts.services import address_key
from anwen.errors import AppError
from anwen.public.models import Hit

WRITE_IN = "write_in"
LOOKUP = "lookup"
PICTURE = "picture"
WINDOW = timedelta(hours=1)


class RateLimited(AppError):
    pass


def limit_of(bucket: str) -> int:
    if bucket == WRITE_IN:
        return settings.ANWEN_PUBLIC_MAX_PER_HOUR
    if bucket == PICTURE:
        return settings.ANWEN_PUBLIC_PICTURES_PER_HOUR
    return settings.ANWEN_PUBLIC_LOOKUPS_PER_HOUR


def _key(request) -> str:
    # A keyed digest: the table never holds an address (a visitor's address is personal data).
    return salted_hmac("anwen.public.address", address_key(request) or "-").hexdigest()[:32]


def count_post(request, bucket: str) -> None:
    """Count this post (or a question's picture) from the request's address; RateLimited
    when the address has used up its hour."""
    now = timezone.now()
    key = _key(request)
    with transaction.atomic():
        Hit.objects.filter(at__lt=now - WINDOW).delete()  # the past hour is all that counts
        recent = Hit.objects.filter(bucket=bucket, key=key, at__gte=now - WINDOW).count()
        if recent >= limit_of(bucket):
            raise RateLimited(
                _(
                    "Too many requests have come from your network in the last hour. Please "
                    "wait an hour and try again, or call the education bureau's petitions "
                    "office."
                )
            )
        Hit.objects.create(bucket=bucket, key=key, at=now)
