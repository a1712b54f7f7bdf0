"""Refusing an upload over the limit while it streams in, not after it was received whole.

Two guards, both ending in the user's own page with a message (never a 500, never a page of
the server's own):
- `UploadLimitMiddleware` refuses a multipart request whose declared length (CONTENT_LENGTH)
  exceeds the request limit before a byte of its body is read;
- `LimitedUploadHandler`, first of FILE_UPLOAD_HANDLERS, counts each file's bytes as they
  arrive and stops the parse (StopUpload) once a file passes the evidence limit, so no more
  of it is read, buffered or written to a temporary file. The middleware then refuses the
  request before the view runs, so the view never sees the half-parsed form.

Settings: ANWEN_EVIDENCE_MAX_BYTES (one file, content.max_bytes) and
ANWEN_UPLOAD_MAX_REQUEST_BYTES (a whole request, 200 MB by default: a checklist may carry a
photo per item).
"""

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from anwen.evidence.content import max_bytes, size_label, too_large

_REFUSED = "_anwen_upload_refused"


def max_request_bytes() -> int:
    return getattr(settings, "ANWEN_UPLOAD_MAX_REQUEST_BYTES", 200 * 1024 * 1024)


def _is_multipart(request) -> bool:
    return request.method == "POST" and request.content_type == "multipart/form-data"


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class LimitedUploadHandler(FileUploadHandler):
    """Passes each chunk on to the next handler, counting; stops the upload of a file that
    grows past the limit."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_bytes():
            if self.request is not None:
                setattr(self.request, _REFUSED, str(too_large()))
            # Read no more of the body: the files parsed so far are closed (temporary files
            # deleted) and the request is refused before its view.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def _refuse(request, message: str) -> HttpResponse:
    """Back to the page the form was on, with the message; the API answers 413."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    messages.error(request, message, fail_silently=True)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = request.get_full_path()
    return HttpResponseRedirect(back)


class UploadLimitMiddleware:
    """After the session, the user and the messages, before any view reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_multipart(request) and _declared_length(request) > max_request_bytes():
            return _refuse(
                request,
                _(
                    "The files sent together are larger than %(limit)s. Send fewer or smaller "
                    "files at a time."
                )
                % {"limit": size_label(max_request_bytes())},
            )
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if not _is_multipart(request):
            return None
        request.FILES  # noqa: B018 - parse now, through LimitedUploadHandler
        refused = getattr(request, _REFUSED, None)
        if refused:
            return _refuse(request, refused)
        return None
