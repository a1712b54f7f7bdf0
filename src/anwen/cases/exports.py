"""The case list as an Excel file, through the one exporter (`orgs.exporting`): the rows of
the list's filters, each case's confidential columns (subject, the person, the outcome) only
where the user reads that case, "Confidential" in them for every other row."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anwen.exports.xlsx import CHUNK, Column, Exporter
from anwen.orgs.exporting import export_response

from . import selectors
from .models import Case, Outcome
from .selectors import ClockView, readable_ids
from .types import type_of


class Row:
    def __init__(self, case: Case, clocks: list[ClockView], readable: bool) -> None:
        self.case, self.clocks, self.readable = case, clocks, readable

    def secret(self, value) -> str:
        return str(value or "") if self.readable else _("Confidential")

    def due(self) -> str:
        return "；".join(
            f"{c.label} {c.due_on.isoformat()}"
            + (f" ({_('Overdue')})" if c.overdue else "")
            + (f" ({_('Held')})" if c.state == "held" else "")
            for c in self.clocks
            if c.state != "stopped"
        )


def _rows(user, rows: QuerySet[Case]) -> Iterator[Row]:
    """The list a chunk at a time; each chunk's cases, clocks and readable set in one query
    each, so a year of cases exports in a few dozen queries."""
    now = timezone.now()
    ids = list(rows.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_pk = Case.objects.select_related("org", "handling_org").in_bulk(chunk)
        cases = [by_pk[pk] for pk in chunk if pk in by_pk]
        clocks = selectors.clocks_of(cases, now=now)
        readable = readable_ids(user, cases)
        for case in cases:
            yield Row(case, clocks[case.pk], case.pk in readable)


def _outcome(row: Row) -> str:
    if not row.case.outcome:
        return row.secret("")
    return row.secret(dict(Outcome.choices).get(row.case.outcome, row.case.outcome))


COLUMNS = [
    Column(gettext_lazy("Number"), lambda r: r.case.number, 16),
    Column(gettext_lazy("Type"), lambda r: str(type_of(r.case).noun), 10),
    Column(gettext_lazy("Org"), lambda r: (r.case.handling_org or r.case.org).name, 26),
    Column(
        gettext_lazy("Received"),
        lambda r: timezone.localtime(r.case.received_at).strftime("%Y-%m-%d %H:%M"),
        16,
    ),
    Column(
        gettext_lazy("Stage"),
        lambda r: str(type_of(r.case).workflow.state_label(r.case.state)),
        16,
    ),
    Column(gettext_lazy("Time limits"), lambda r: r.due(), 40),
    Column(gettext_lazy("Subject"), lambda r: r.secret(r.case.subject), 40),
    Column(gettext_lazy("Person"), lambda r: r.secret(r.case.people.get("name", "")), 12),
    Column(gettext_lazy("Outcome"), _outcome, 18),
]


def export_cases(request: HttpRequest, rows: QuerySet[Case]) -> HttpResponseBase:
    return export_response(
        request,
        Exporter(gettext_lazy("Cases"), COLUMNS, _rows(request.user, rows)),
        "cases",
        total=rows.count(),
        # A search may be a name or words of a subject: the trail keeps that one was made.
        masked=frozenset({"q"}),
    )
