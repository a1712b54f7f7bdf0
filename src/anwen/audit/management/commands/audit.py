"""`anwen audit verify` checks the hash chain (exit code 1 when it is broken);
`anwen audit purge` applies the retention setting (never below 180 days);
`anwen audit export PATH --from DATE --to DATE` writes a date range to .xlsx or .csv."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.audit import exports, selectors
from anwen.audit.chain import summary, verify_chain
from anwen.audit.services import MIN_RETENTION_DAYS, AuditError, purge_expired, retention_cutoff


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from None


class Command(BaseCommand):
    help = "Verify, purge or export the audit trail."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the hash chain; exit code 1 if it is broken.")
        purge = sub.add_parser("purge", help="Delete events older than the retention period.")
        purge.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days (default ANWEN_AUDIT_RETENTION_DAYS; at least "
            f"{MIN_RETENTION_DAYS}).",
        )
        export = sub.add_parser("export", help="Write events of a date range to .xlsx or .csv.")
        export.add_argument("path", help="The file to write; its suffix picks the format.")
        export.add_argument("--from", dest="start", help="First day (YYYY-MM-DD), local time.")
        export.add_argument("--to", dest="end", help="Last day (YYYY-MM-DD), included.")

    def handle(self, *args, **options):
        getattr(self, options["action"])(options)

    def verify(self, options) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(summary(result), returncode=1)
        self.stdout.write(summary(result))

    def purge(self, options) -> None:
        days = options["days"]
        try:
            result = purge_expired(before=retention_cutoff(days=days) if days is not None else None)
        except AuditError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Deleted %(n)d events older than %(date)s.")
            % {"n": result.deleted, "date": timezone.localtime(result.cutoff).strftime("%Y-%m-%d")}
        )

    def export(self, options) -> None:
        path = Path(options["path"])
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise CommandError(_("The file must end in .xlsx or .csv."))
        start = _day(options["start"]) if options["start"] else None
        end = _day(options["end"]) if options["end"] else None
        if start and end and start > end:
            raise CommandError(_("The end date is before the start date."))
        events = selectors.events_between(start=start, end=end).order_by("id")
        count = events.count()
        rows = events.iterator(chunk_size=2000)
        try:
            if suffix == ".xlsx":
                path.write_bytes(exports.xlsx_bytes(rows))
            else:
                exports.write_csv(rows, path)
        except OSError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            audit.record(
                actor=None,
                action="audit.trail.exported",
                data={
                    "format": suffix[1:],
                    "start": str(start or ""),
                    "end": str(end or ""),
                    "count": count,
                    "by": "command",
                },
            )
        self.stdout.write(_("Wrote %(n)d events to %(path)s.") % {"n": count, "path": path})
