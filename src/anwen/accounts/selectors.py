"""Reads for accounts. A user sees only their own API tokens."""

from django.db.models import F, QuerySet
from django.http import Http404

from anwen.accounts.models import ApiToken


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens, active ones first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )


def access_token(user, pk) -> ApiToken:
    """One of the user's active tokens, or 404 (someone else's token answers the same)."""
    try:
        return ApiToken.objects.select_related("user").get(
            pk=pk, user=user, revoked_at__isnull=True
        )
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def find_tokens(prefix_or_key: str) -> QuerySet[ApiToken]:
    """Active tokens matching a whole key or the start of one (for the `token` command)."""
    by_key = ApiToken.objects.select_related("user").filter(
        key_hash=ApiToken.hash_key(prefix_or_key), revoked_at__isnull=True
    )
    if by_key.exists():
        return by_key
    return ApiToken.objects.filter(prefix__startswith=prefix_or_key[:8],
                                   revoked_at__isnull=True).select_related("user")
