"""Serving evidence files. The URL holds the file's UUID only; the type sent is the one the
content was checked as, never one guessed from a name; documents download, images show."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from anwen.evidence.content import CONTENT_TYPES
from anwen.evidence.models import EvidenceFile, FileKind
from anwen.evidence.selectors import access_file, evidence_list
from anwen.exports.xlsx import Column, Exporter
from anwen.orgs.exporting import export_response
from anwen.orgs.scope import perm_required
from anwen.paging import paginate

PAGE_SIZE = 50
# A file's bytes never change under its id, so the browser may keep it, but only for this user.
CACHE_SECONDS = 24 * 3600


def _serve(file: EvidenceFile, stored) -> FileResponse:
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES[file.kind],
        as_attachment=not file.is_image,
        filename=file.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever a file holds, it runs nothing: no script, no plugin, no same-origin rights.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = (
        "no-store" if file.confidential else f"private, max-age={CACHE_SECONDS}"
    )
    return response


@require_safe
@login_required
def file(request, pk):
    found = access_file(request.user, pk, request=request)
    return _serve(found, found.file)


@require_safe
@login_required
def display(request, pk):
    """The downscaled copy of an image; an image small enough is its own display copy, and a
    document has none (its original is sent)."""
    found = access_file(request.user, pk, request=request)
    return _serve(found, found.display if found.display else found.file)


COLUMNS = [
    Column(gettext_lazy("File name"), lambda f: f.name, 36),
    Column(gettext_lazy("File type"), lambda f: f.get_kind_display()),
    Column(gettext_lazy("Size (KB)"), lambda f: round(f.size / 1024, 1)),
    Column(gettext_lazy("Organisation"), lambda f: f.org.name, 34),
    Column(gettext_lazy("Uploaded by"), lambda f: str(f.uploaded_by), 16),
    Column(
        gettext_lazy("Uploaded at"),
        lambda f: timezone.localtime(f.uploaded_at).strftime("%Y-%m-%d %H:%M"),
        18,
    ),
]


def _page(request, files):
    """The page asked for. The first page is read before any COUNT: when the list is shorter
    than a page (most users' lists: a school's files, a teacher's own) its length is the count
    and one query does, instead of a COUNT and then the rows, each asking every owner's rule
    again; a longer list is counted as before and its first page is the rows already read."""
    if request.GET.get("page", "1") in ("", "1"):
        head = list(files[: PAGE_SIZE + 1])
        if len(head) <= PAGE_SIZE:
            return Paginator(head, PAGE_SIZE).get_page(1)
        page = Paginator(files, PAGE_SIZE).get_page(1)  # the COUNT, for "n files" and pages
        page.object_list = head[:PAGE_SIZE]  # the rows already read
        return page
    return paginate(request, files, per_page=PAGE_SIZE)


@perm_required("orgs.view")
def index(request):
    kind = request.GET.get("kind", "")
    if kind not in FileKind.values:
        kind = ""
    mine = request.GET.get("mine") == "1"
    q = request.GET.get("q", "").strip()
    files = evidence_list(request.user, kind=kind, mine=mine, q=q)
    if request.GET.get("format") == "xlsx":
        return export_response(
            request, Exporter(_("Evidence files"), COLUMNS, files), "evidence-files"
        )
    page = _page(request, files)
    return render(
        request,
        "evidence/index.html",
        {
            "page": page,
            "kind": kind,
            "kinds": FileKind.choices,
            "mine": mine,
            "q": q,
        },
    )
