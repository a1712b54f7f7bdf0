from django.utils import timezone
from ninja.security import HttpBearer

from anwen.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer anw_…`; the token's user becomes request.user."""

    def authenticate(self, request, token: str):
        try:
            api_token = ApiToken.objects.select_related("user").get(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True
            )
        except ApiToken.DoesNotExist:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user
