"""Items handed down by the supervision platform (互联网+督查), imported into petitions from the
platform's Excel or JSON export, on the one import mechanism (`anwen.importing`).

Each row becomes a petition of the bureau, channel "platform", registered through the engine's
one path (`case_register`: the clerk is its first receiver, the clocks start from the date the
platform handed it down). The platform's item number (交办编号) is kept in the case's public
face (`details["platform_no"]`, with the platform's own deadline as `details["platform_due"]`),
so a file imported twice creates nothing twice: rows already imported are counted, not
registered again. The whole file is checked first; one bad row and nothing is written. The
writer's name and phone go to the confidential face like any petition's; the audit keeps only
the counts."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from anwen import audit, importing
from anwen.importing import Column, Limits, Row, Sheet
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm
from anwen.workflow import moment

from .models import Case
from .petitions import PETITION, Channel
from .services import case_register

# The columns as the platform's export names them; the template shows the first Chinese name.
SHEET = Sheet(
    "items",
    pgettext_lazy("supervision platform", "Items handed down"),
    (
        Column(
            "number",
            pgettext_lazy("supervision platform", "Item number"),
            True,
            ("交办编号", "编号", "事项编号"),
        ),
        Column(
            "subject",
            pgettext_lazy("supervision platform", "Item title"),
            True,
            ("事项标题", "标题"),
        ),
        Column(
            "content",
            pgettext_lazy("supervision platform", "What is asked"),
            False,
            ("诉求内容", "内容"),
        ),
        Column(
            "name", pgettext_lazy("supervision platform", "Raised by"), False, ("反映人", "姓名")
        ),
        Column(
            "phone",
            pgettext_lazy("supervision platform", "Contact phone"),
            False,
            ("联系电话", "电话"),
        ),
        Column(
            "received",
            pgettext_lazy("supervision platform", "Handed down at"),
            True,
            ("交办时间", "受理时间"),
        ),
        Column(
            "due",
            pgettext_lazy("supervision platform", "Deadline set by the platform"),
            False,
            ("办理期限",),
        ),
    ),
)
# A district's platform export holds tens or hundreds of items; each row registers a case with
# its clocks, so one request stays well within a worker's time.
LIMITS = Limits(max_bytes=5 * 1024 * 1024, max_rows=2000)
# A platform export may put a title (…交办事项清单) above the table.
HEADER_ROWS = 5
# The platform's own deadline is weeks after it hands an item down; one more than a year later
# (a year 9999, a typo of the century) is a mistake to correct in the file, not a date to keep.
MAX_DUE_DAYS = 366
# Nothing handed down before 2000 is a live matter (and year 1 cannot be stored at all).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_LENGTHS = {"number": 40, "subject": 200, "content": 20000, "name": 60, "phone": 30}
KIND = "petitions"


class Report(importing.Result):
    @property
    def new(self) -> int:
        return self.created.get(KIND, 0)

    @property
    def already(self) -> int:
        return self.skipped.get(KIND, 0)

    def summary(self) -> str:
        return _("%(new)d new petitions; already imported: %(already)d") % {
            "new": self.new,
            "already": self.already,
        }


@dataclass(frozen=True)
class Item:
    row: int
    number: str
    subject: str
    content: str
    name: str
    phone: str
    received_at: datetime
    due: date | None


def template_workbook() -> bytes:
    return importing.template_workbook(
        (SHEET,),
        notes=[
            _("Columns marked * are required. Do not rename the sheets or the headers."),
            _(
                "One row per item handed down by the supervision platform (互联网+督查). The item "
                "number is kept: a file imported twice creates nothing twice."
            ),
            _(
                "Handed down at: a date and time such as 2026-09-28 09:30; the platform's "
                "deadline: a date such as 2026-10-28."
            ),
            _(
                "The name and phone of the person who raised it are confidential: only the "
                "petition's handlers see them."
            ),
            _(
                "The platform's JSON export is read the same: an array of objects whose keys are "
                "these column names."
            ),
        ],
    )


def _imported(org: Org, numbers) -> set[str]:
    """The platform item numbers among `numbers` the bureau has already registered."""
    return set(
        Case.objects.filter(
            org=org,
            type=PETITION.code,
            channel=Channel.PLATFORM,
            details__platform_no__in=list(numbers),
        ).values_list("details__platform_no", flat=True)
    )


def _check(data: dict[str, list[Row]], report: Report) -> list[Item]:
    rows = data.get(SHEET.key, [])
    ck = importing.Checker(SHEET, report)
    twice = importing.duplicates(rows, "number")
    now = moment.now()  # as case_register judges "not in the future"
    items = []
    for number, row in rows:
        ck.lengths(number, row, MAX_LENGTHS)
        ck.required(number, row, "number", "subject", "received")
        if number in twice:
            ck.bad(
                number,
                "number",
                _("item %(no)s appears twice in this file (first in row %(first)d).")
                % {"no": row["number"], "first": twice[number]},
            )
        received_at = ck.moment(number, row, "received")
        if received_at is not None and received_at > now:
            ck.bad(number, "received", _("is in the future."))
        elif received_at is not None and received_at < EARLIEST:
            ck.bad(number, "received", _("is before the year 2000: check the date."))
            received_at = None
        due = ck.day(number, row, "due")
        if due is not None and received_at is not None:
            handed_down = timezone.localdate(received_at)
            if due < handed_down:
                ck.bad(number, "due", _("is before the item was handed down."))
            elif (due - handed_down).days > MAX_DUE_DAYS:
                ck.bad(
                    number,
                    "due",
                    _("is more than a year after the item was handed down: check the date."),
                )
        phone = ck.phone(number, row, "phone")
        if received_at is not None:
            items.append(
                Item(
                    row=number,
                    number=row.get("number", ""),
                    subject=row.get("subject", ""),
                    content=row.get("content", ""),
                    name=row.get("name", ""),
                    phone=phone,
                    received_at=received_at,
                    due=due,
                )
            )
    return items


def _write(items: list[Item], report: Report, *, org: Org, by, request) -> None:
    # Imports into one bureau take turns (the bureau's row is the lock), and the numbers
    # already there are read again under it: two clerks posting the same export at once
    # register each item once.
    Org.objects.select_for_update().filter(pk=org.pk).first()
    done = _imported(org, {i.number for i in items})
    report.created[KIND] = report.skipped[KIND] = 0
    for item in items:
        if item.number in done:
            report.skipped[KIND] += 1
            continue
        details: dict[str, str] = {"platform_no": item.number}
        if item.due is not None:
            details["platform_due"] = item.due.isoformat()
        case_register(
            case_type=PETITION,
            org=org,
            by=by,
            subject=item.subject,
            content=item.content,
            channel=Channel.PLATFORM,
            received_at=item.received_at,
            people={"name": item.name, "phone": item.phone},
            details=details,
        )
        done.add(item.number)
        report.created[KIND] += 1
    audit.record(
        actor=by,
        action="cases.platform_import",
        obj=org,
        data={"created": report.new, "already": report.already},
        request=request,
    )


def import_items(*, file, org: Org, by, request=None) -> Report:
    """Check the whole export (Excel or JSON), then register its new items as petitions of
    `org`, all or nothing."""
    report = Report()
    if org.kind not in PETITION.org_kinds or not has_perm(by, PETITION.register_perm, org):
        report.refuse(_("You may not register this kind of case here."))
        return report
    if importing.is_json(file):
        data = {SHEET.key: importing.read_json(file, SHEET, report, limits=LIMITS)}
    else:
        data = importing.read_workbook(
            file, (SHEET,), report, limits=LIMITS, any_sheet=True, header_rows=HEADER_ROWS
        )
    return importing.run(
        report,
        data,
        check=_check,
        write=lambda items, report: _write(items, report, org=org, by=by, request=request),
    )
