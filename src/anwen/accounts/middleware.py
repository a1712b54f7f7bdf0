import time

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


# Inside the session: when its expiry was last pushed forward (seconds since the epoch).
TOUCHED = "_anwen_touched"


def touch_session(session) -> None:
    """Push the session's expiry forward (it is saved with a new one at the end of the request)."""
    session[TOUCHED] = int(time.time())


class IdleSessionMiddleware:
    """The idle timeout without a database write on every request.

    A session ends SESSION_COOKIE_AGE after the last request. Saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) says exactly that, but makes every page a write, and
    on SQLite writes take turns: at 50 users each page queued behind the others' session
    updates. Here a request pushes the expiry forward only when the last push is more than
    ANWEN_SESSION_REFRESH_SECONDS old, so an idle session still ends within that margin of
    the idle limit and a busy one is written about once a minute. Placed after the
    authentication middleware: only a signed-in session is kept alive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or session.is_empty():
            return response
        touched = session.get(TOUCHED)
        if (
            not isinstance(touched, int)
            or time.time() - touched >= settings.ANWEN_SESSION_REFRESH_SECONDS
        ):
            touch_session(session)  # marks the session modified: saved with a new expiry
        return response
