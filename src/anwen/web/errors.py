"""The app's own pages for 400, 404, 403, a refused form (CSRF) and 500, in the user's language.

404 and 403 render inside the layout (the menu when logged in, the plain top bar otherwise),
say why such a page can happen and offer a way back. They carry no per-request token (no
logout or language form), so a forbidden record's 404 is the same bytes as a missing one's. The 500 page is rendered without the
database, the session or any context processor: whatever broke the request must not break the
page that says so. The 400 page likewise: the request it answers is one whose query or body
could not be read (too many fields, a field too large), and reading them again would only fail
again."""

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

logger = logging.getLogger(__name__)


def _back(request: HttpRequest) -> str:
    """The page the user came from, when it is on this site and not this very page."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # a bad Host header: no way back but home
        return ""
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        return ""
    return "" if referer.endswith(request.get_full_path()) else referer


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An API client gets the API's own answer (anwen.apischema.ErrorOut), not a page.
        return JsonResponse({"detail": "Not Found"}, status=HttpResponseNotFound.status_code)
    return render(
        request,
        "web/error.html",
        {"status": 404, "back": _back(request), "error_page": True},
        status=HttpResponseNotFound.status_code,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"status": 403, "back": _back(request), "error_page": True},
        status=HttpResponseForbidden.status_code,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its security token: usually a page left open past the session."""
    return render(
        request,
        "web/error.html",
        {"status": 403, "csrf": True, "back": _back(request), "error_page": True},
        status=HttpResponseForbidden.status_code,
    )


def _stylesheet() -> str:
    try:
        return static("anwen/anwen.css")
    except Exception:  # no manifest entry, a broken storage: the page still renders, plain
        return ""


def _bare_page(code: int, fallback: str) -> str:
    """The error page `web/<code>.html`, rendered without the request (no context processor,
    no session, no query: what failed may be the request itself), or a line of plain HTML if
    even that fails."""
    try:
        return loader.get_template(f"web/{code}.html").render(
            {"stylesheet": _stylesheet(), "language": get_language() or "zh-hans"}
        )
    except Exception:
        logger.exception("the %s page itself failed to render", code)
        return f"<!doctype html><title>{code}</title><h1>{code}</h1><p>{fallback}</p>"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Too many fields, a field or body too large, a suspicious request: Django refused it
    before the view could. Its query and body raise again when read."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad Request"}, status=HttpResponseBadRequest.status_code)
    return HttpResponseBadRequest(_bare_page(400, "请求无法受理 Bad request"))


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(_bare_page(500, "服务器内部错误 Server error"))
