"""The summary of safety funding (OG1): a year's planned and spent money per purpose, per
centre and for the district, on the page and in Excel. The records themselves are the
register's generic list (/registers/funding/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from anwen.exports.xlsx import Column, Exporter
from anwen.orgs.exporting import export_response
from anwen.orgs.scope import paths_with

from . import selectors
from .models import FIRST_YEAR, LAST_YEAR
from .registers import FUNDING


def _year(request) -> int:
    """The year asked for (`?year=`), else this year; a year that is none says so."""
    today = timezone.localdate().year
    text = request.GET.get("year", "").strip()
    if not text:
        return today
    # Four ASCII digits before int(): "²" is a digit to isdigit() and int() refuses it, and
    # thousands of digits are more than int() reads.
    if (
        len(text) == 4
        and text.isascii()
        and text.isdigit()
        and FIRST_YEAR <= int(text) <= LAST_YEAR
    ):
        return int(text)
    messages.error(
        request,
        _("“%(value)s” is not a year between %(low)d and %(high)d: this year is shown.")
        % {"value": text[:20], "low": FIRST_YEAR, "high": LAST_YEAR},
    )
    return today


def _share(s: selectors.Sums) -> str:
    return "" if s.share is None else f"{s.share}%"


@require_GET
@login_required
def summary(request):
    if not paths_with(request.user, FUNDING.view_perm, FUNDING.manage_perm):
        raise Http404
    year = _year(request)
    figures = selectors.summary(request.user, year=year)
    if request.GET.get("format") == "xlsx":
        district = gettext_lazy("Total")
        rows = [
            *[(gettext_lazy("Purpose"), s) for s in figures.purposes],
            *[(gettext_lazy("Centre"), s) for s in figures.centres],
            (district, figures.total),
        ]
        # Amounts as numbers (Excel's own doubles hold a fen exactly at these sizes), so the
        # sheet sums and charts them.
        exporter = Exporter(
            title=gettext_lazy("Safety funding %(year)s") % {"year": year},
            columns=[
                Column(gettext_lazy("Summed by"), lambda r: str(r[0]), 12),
                Column(gettext_lazy("Purpose or centre"), lambda r: r[1].name, 28),
                Column(gettext_lazy("Planned (yuan)"), lambda r: float(r[1].planned), 16),
                Column(gettext_lazy("Spent (yuan)"), lambda r: float(r[1].spent), 16),
                Column(gettext_lazy("Spent share"), lambda r: _share(r[1]), 12),
            ],
            rows=rows,
        )
        return export_response(
            request, exporter, "funding-summary", period=str(year), total=len(rows)
        )
    return render(request, "funding/summary.html", {"s": figures, "register": FUNDING})
