"""`anwen plan load [--bureau CODE] [--starts-on DATE]` loads plan 2021 (obligations.plan2021)
for a bureau, idempotently; `anwen plan ensure [--through DATE]` makes the periods up to a day
(today by default)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen.obligations.plan2021 import PLAN_CODE
from anwen.obligations.services import ObligationError, ensure_periods, plan_load
from anwen.orgs.selectors import NoSuchBureau, the_bureau


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from None


class Command(BaseCommand):
    help = "Load the yearly work plan's obligations, or make their periods."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load plan 2021 for a bureau (adds only what is missing).")
        load.add_argument("--bureau", help="The bureau's org code (default: the only bureau).")
        load.add_argument("--code", default=PLAN_CODE, help="The plan's code.")
        load.add_argument("--starts-on", dest="starts_on",
                          help="First day the obligations are owed (YYYY-MM-DD, default today).")
        ensure = sub.add_parser("ensure", help="Make the periods up to a day.")
        ensure.add_argument("--through", help="Last day (YYYY-MM-DD, default today).")

    def handle(self, *args, **options):
        getattr(self, options["action"])(options)

    def load(self, options) -> None:
        try:
            bureau = the_bureau(options["bureau"])
        except NoSuchBureau as error:
            raise CommandError(str(error)) from None
        starts_on = _day(options["starts_on"]) if options["starts_on"] else None
        try:
            with transaction.atomic():
                plan = plan_load(owner=bureau, code=options["code"], starts_on=starts_on)
        except ObligationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Plan %(plan)s of %(bureau)s: %(n)d obligations.") % {
            "plan": plan.name, "bureau": bureau.name, "n": plan.obligations.count()})

    def ensure(self, options) -> None:
        through = _day(options["through"]) if options["through"] else timezone.localdate()
        with transaction.atomic():
            result = ensure_periods(through=through)
        self.stdout.write(_("Periods made through %(day)s: %(n)d.") % {
            "day": through.isoformat(), "n": result.created})
