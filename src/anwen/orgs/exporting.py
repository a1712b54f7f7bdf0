"""The one way a list leaves anwen as a file. Every Excel download goes through
`export_response`, which writes the sheet's title block (what, for which organisation, which
period, which filters), names the file in Chinese (`教职工名单_永川区_2026-12-01.xlsx`) and
audits the download: who, which list, how many rows, the filters and the address.

It lives here, not in `exports` or `audit`: those two import no app (and `exports` not even
`audit`), while this needs both and the user's scope; `orgs` is the lowest layer allowed to
import them, and every engine's views may import `orgs`."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.exports.xlsx import Exporter, file_name, row_count, workbook_response
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import scope_paths

ACTION = "exports.list.exported"
# Query parameters that change how a page looks, not which rows it holds.
NOT_FILTERS = frozenset({"format", "page", "sort"})
BUREAU_SUFFIXES = ("教育委员会", "教育局", "教委")


def scope_label(org: Org | None) -> str:
    """How a file name and a title say whose list it is: `永川区` for 永川区教育委员会."""
    if org is None:
        return ""
    if org.short_name:
        return org.short_name
    if org.kind == OrgKind.BUREAU:
        for suffix in BUREAU_SUFFIXES:
            if org.name.endswith(suffix) and len(org.name) > len(suffix):
                return org.name[: -len(suffix)]
    return org.name


def scope_of(user) -> Org | None:
    """The organisation the user's lists are about, when there is one (a centre's officer:
    the centre); None for someone whose scope spans several."""
    roots = list(Org.objects.filter(path__in=scope_paths(user)).order_by("path")[:2])
    return roots[0] if len(roots) == 1 else None


def query_filters(request: HttpRequest, *, ignore: frozenset[str] = NOT_FILTERS) -> dict:
    """The request's query parameters that choose rows, as an audit row records them.
    Bounded: the query string is the client's to write, the trail must not grow with it."""
    return {
        key[:40]: value[:100]
        for key, value in list(request.GET.items())[:20]
        if key not in ignore and value
    }


def export_response(
    request: HttpRequest,
    exporter: Exporter,
    name: str,
    *,
    scope: Org | None = None,
    period: str = "",
    total: int | None = None,
    filters_text: str = "",
) -> HttpResponseBase:
    """The workbook of `exporter` as a download, audited.

    `name` is the list's ASCII name (the fallback file name and the audit's "which list");
    `scope` the organisation the rows belong to (default: the user's single scope root);
    `period` what time the rows cover (default: today, the day of the snapshot). The filters
    are the request's query parameters. `total` is how many rows a generator of rows will
    yield (a queryset or a list is counted here). `filters_text` says the filters in words for
    the sheet's title block (the audit keeps the query's own).

    A list longer than ANWEN_EXPORT_MAX_ROWS is not exported: the user is sent back to the
    list with a message saying how to narrow it, rather than waiting a minute at a button that
    seems dead and clicking it again (each click another minute of a server worker)."""
    total = row_count(exporter.rows) if total is None else total
    limit = settings.ANWEN_EXPORT_MAX_ROWS
    if total is not None and total > limit:
        messages.error(
            request,
            _(
                "This list has %(total)s rows, more than the %(limit)s one download holds. "
                "Narrow it by date, centre or school, then export again."
            )
            % {"total": f"{total:,}", "limit": f"{limit:,}"},
        )
        query = request.GET.copy()
        query.pop("format", None)
        return HttpResponseRedirect(request.path + (f"?{query.urlencode()}" if query else ""))
    now = timezone.localtime()
    scope = scope or scope_of(request.user)
    period = period or now.date().isoformat()
    filters = query_filters(request)
    title, whose = str(exporter.title), scope_label(scope)
    # The filters as the list's own form names them (`filters_text`, "状态：整改中；仅看未销号")
    # where the view gives them; else the query's own words.
    shown_filters = (
        filters_text
        or "；".join(f"{key}={value}" for key, value in filters.items())
        or _("no filters")
    )
    exporter.heading = [
        " · ".join(part for part in (title, whose, period) if part),
        _("Filters: %(filters)s. Exported %(time)s by %(user)s.")
        % {
            "filters": shown_filters,
            "time": formats.date_format(now, "Y-m-d H:i"),
            "user": str(request.user),
        },
    ]
    filename = file_name(title, whose, period)
    fallback_period = period if period.isascii() else now.date().isoformat()
    response = workbook_response(
        exporter, filename=filename, fallback=f"{name}-{fallback_period}.xlsx"
    )
    with transaction.atomic():
        audit.record(
            actor=request.user,
            action=ACTION,
            org=scope,
            request=request,
            data={
                "list": name,
                "title": title,
                "rows": exporter.row_count,
                "filters": filters,
                "period": period,
                "scope": whose,
                "file": filename,
                "path": request.path,
            },
        )
    return response
