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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Too many fields, a field or body too large, a suspicious request: Django refused it
    before the view could. Rendered without the request (no context processor): its query and
    body raise again when read."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad Request"}, status=HttpResponseBadRequest.status_code)
    try:
        html = loader.get_template("web/400.html").render(
            {"stylesheet": _stylesheet(), "language": get_language() or "zh-hans"}
        )
    except Exception:
        logger.exception("the 400 page itself failed to render")
        html = "<!doctype html><title>400</title><h1>400</h1><p>请求无法受理 Bad request</p>"
    return HttpResponseBadRequest(html)


def server_error(request: HttpRequest) -> HttpResponse:
    stylesheet = _stylesheet()
    try:
        # No request: no context processor, no session, no query.
        html = loader.get_template("web/500.html").render(
            {"stylesheet": stylesheet, "language": get_language() or "zh-hans"}
        )
    except Exception:
        logger.exception("the 500 page itself failed to render")
        html = "<!doctype html><title>500</title><h1>500</h1><p>服务器内部错误 Server error</p>"
    return HttpResponseServerError(html)
