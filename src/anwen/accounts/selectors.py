"""Reads for accounts. A user sees only their own API tokens."""

from django.db.models import F, QuerySet
from django.http import Http404

from anwen.accounts.models import ApiToken
from anwen.orgs.scope import needs_two_factor


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
    return ApiToken.objects.filter(
        prefix__startswith=prefix_or_key[:8], revoked_at__isnull=True
    ).select_related("user")


def usable_token(key: str) -> ApiToken | None:
    """The active token with this key, when its account may use the API now: active (an
    administrator's deactivation suspends its tokens until it is activated again), and with a
    confirmed second factor when its roles ask for one (a token must not open what the code
    page guards). A lockout after failed logins does not suspend it: strangers can cause one."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.user.totp_confirmed_at is None and needs_two_factor(token.user):
        return None
    return token
