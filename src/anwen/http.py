"""Reading what a request carries without trusting it: where to go next, integer parameters.

Each is written once so that no view repeats the mistakes found in review: `redirect(next)`
reverse()s a bare word and raises NoReverseMatch (a 500); `int(request.GET[...])` raises on
"abc" and a number beyond 64 bits overflows in the database driver.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

from anwen.forms import MAX_ID


def safe_next(request: HttpRequest) -> str:
    """The request's `next` (POST first, then GET) when it is a path on this site, else "".

    Only a path is accepted (`/inbox/?x=1`): no scheme, no host, not `//evil` nor `/\\evil`,
    so it can never leave the site, and it is never handed to reverse()."""
    url = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return ""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return url


def redirect_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the request's safe `next`, or to `fallback` (a path or URL the code chose)."""
    return HttpResponseRedirect(safe_next(request) or fallback)


def int_param(
    params: QueryDict,
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int | None:
    """An integer query or form parameter, or `default` when it is missing, not a plain number
    or outside [minimum, maximum] (64 bits by default: what the database can compare)."""
    text = (params.get(name) or "").strip()
    if len(text) > 20:  # longer than any 64-bit number (and int() refuses 4,300 digits)
        return default
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        value = -int(text[1:])
    elif text.isascii() and text.isdigit():
        value = int(text)
    else:
        return default
    return value if minimum <= value <= maximum else default


def id_param(params: QueryDict, name: str) -> int | None:
    """A primary key parameter (1 .. 2**63-1), or None."""
    return int_param(params, name, minimum=1)


class NulFreeQueryMiddleware:
    """Drops NUL characters from the query string's values before any view reads them.

    A NUL has no meaning in any of our parameters, and PostgreSQL refuses it in a text or JSON
    value ("text fields cannot contain NUL"), so `?q=%00` would be a 500 in every list filter
    and in the audit row of every export (SQLite stores it). One place for every view, as forms
    already refuse a NUL in posted text (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]  # read-only again, as Django makes it
        return self.get_response(request)
