from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from anwen.accounts.models import ApiToken, User
from anwen.accounts.selectors import usable_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer anw_…`; the token's user becomes request.user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = usable_token(token)
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user
