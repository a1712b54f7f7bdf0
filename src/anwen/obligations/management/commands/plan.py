"""`anwen plan load [--bureau CODE] [--starts-on DATE]` loads plan 2021 (obligations.plan2021)
for a bureau, idempotently; `anwen plan clone --bureau CODE --from 2026 --to 2027` copies a
year's plan into a draft of the next; `anwen plan publish --bureau CODE --year 2027` puts it in
force; `anwen plan ensure [--through DATE]` makes the periods up to a day (today by default)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen.obligations.models import Plan
from anwen.obligations.services import (
    ObligationError,
    ensure_periods,
    plan_clone,
    plan_load,
    plan_publish,
)
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
        load = sub.add_parser(
            "load", help="Load plan 2021 for a bureau (adds only what is missing)."
        )
        load.add_argument("--bureau", help="The bureau's org code (default: the only bureau).")
        load.add_argument("--code", help="The plan's code (default: the plan of the year).")
        load.add_argument("--year", type=int, help="The plan's year (default: of --starts-on).")
        clone = sub.add_parser("clone", help="Copy a year's plan into a draft for another year.")
        clone.add_argument("--bureau", help="The bureau's org code (default: the only bureau).")
        clone.add_argument("--from", dest="from_year", type=int, required=True)
        clone.add_argument("--to", dest="to_year", type=int, required=True)
        clone.add_argument("--publish", action="store_true", help="Publish the copy at once.")
        publish = sub.add_parser("publish", help="Put a year's draft plan in force.")
        publish.add_argument("--bureau", help="The bureau's org code (default: the only bureau).")
        publish.add_argument("--year", type=int, required=True)
        load.add_argument(
            "--starts-on",
            dest="starts_on",
            help="First day the obligations are owed (YYYY-MM-DD, default today).",
        )
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
                plan = plan_load(
                    owner=bureau, code=options["code"], year=options["year"], starts_on=starts_on
                )
        except ObligationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Plan %(plan)s of %(bureau)s: %(n)d obligations.")
            % {"plan": plan.name, "bureau": bureau.name, "n": plan.obligations.count()}
        )

    def _bureau(self, options):
        try:
            return the_bureau(options["bureau"])
        except NoSuchBureau as error:
            raise CommandError(str(error)) from None

    def _plan(self, bureau, year: int, *, published: bool | None = None) -> Plan:
        plans = Plan.objects.filter(owner=bureau, year=year)
        if published is not None:
            plans = plans.filter(is_active=published)
        plan = plans.order_by("-is_active", "pk").first()
        if plan is None:
            raise CommandError(
                _("%(bureau)s has no plan for %(year)d.") % {"bureau": bureau.name, "year": year}
            )
        return plan

    def clone(self, options) -> None:
        bureau = self._bureau(options)
        source = self._plan(bureau, options["from_year"])
        try:
            with transaction.atomic():
                plan = plan_clone(plan=source, year=options["to_year"], by=None)
                if options["publish"]:
                    plan = plan_publish(plan=plan, by=None)
        except ObligationError as error:
            raise CommandError(str(error)) from None
        self._report(plan)

    def publish(self, options) -> None:
        bureau = self._bureau(options)
        source = self._plan(bureau, options["year"], published=False)
        try:
            with transaction.atomic():
                plan = plan_publish(plan=source, by=None)
        except ObligationError as error:
            raise CommandError(str(error)) from None
        self._report(plan)

    def _report(self, plan) -> None:
        self.stdout.write(
            _("Plan %(plan)s for %(year)d: %(n)d obligations, %(state)s.")
            % {
                "plan": plan.name,
                "year": plan.year,
                "n": plan.obligations.count(),
                "state": _("published") if plan.is_active else _("draft"),
            }
        )

    def ensure(self, options) -> None:
        through = _day(options["through"]) if options["through"] else timezone.localdate()
        with transaction.atomic():
            result = ensure_periods(through=through)
        self.stdout.write(
            _("Periods made through %(day)s: %(n)d.")
            % {"day": through.isoformat(), "n": result.created}
        )
