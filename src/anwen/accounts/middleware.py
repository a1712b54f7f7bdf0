from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from anwen.accounts.twofactor import is_verified
from anwen.orgs.scope import needs_two_factor


class TwoFactorMiddleware:
    """Keeps a user whose roles demand two factors on the code page until the session has
    passed it. The API is left alone: it authenticates by token, not by session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _exempt(self, path: str) -> bool:
        if path.startswith((settings.STATIC_URL, "/api/")):
            return True
        return path in {
            reverse("accounts:two_factor"),
            reverse("accounts:logout"),
            reverse("set_language"),
        }

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not is_verified(request.session)  # checked first: no query once verified
            and not self._exempt(request.path_info)
            and needs_two_factor(user)
        ):
            target = reverse("accounts:two_factor")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request"):
                # htmx would swap the code page into a fragment; make it load the whole page.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)
