"""`anwen setup [--bureau CODE]`: what a new bureau needs before its schools can work — the
yearly work plan's obligations, the standard checklists (daily area check, weekly and monthly
checks, fire self-check …) and the standard duty lists of every position. Each part adds only
what is missing, so it can run again after an upgrade without touching the bureau's edits."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen.duties.services import duty_library_load
from anwen.inspections.services import standard_templates_load
from anwen.obligations.services import (
    ObligationError,
    ensure_periods,
    plan_load,
    plan_of_year,
)
from anwen.orgs.selectors import NoSuchBureau, the_bureau


class Command(BaseCommand):
    help = (
        "Load the work plan, the standard checklists and the standard duty lists for a "
        "bureau (adds only what is missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bureau", help="The bureau's org code (default: the only bureau).")

    def handle(self, *args, **options):
        try:
            bureau = the_bureau(options["bureau"])
        except NoSuchBureau as error:
            raise CommandError(str(error)) from None
        try:
            with transaction.atomic():
                # This year's published plan, and today's periods, so the schools' pages show
                # their work before the first tick.
                today = timezone.localdate()
                plan = plan_of_year(owner=bureau, year=today.year)
                plan = plan_load(owner=bureau, code=plan.code)
                ensure_periods(through=today)
                checklists = standard_templates_load(owner=bureau)
                duties = duty_library_load(owner=bureau)
        except ObligationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "%(bureau)s: plan %(plan)s with %(n)d obligations; %(lists)d "
                "checklists; %(duties)d duty items added."
            )
            % {
                "bureau": bureau.name,
                "plan": f"{plan.year} {plan.name}",
                "n": plan.obligations.count(),
                "lists": len(checklists),
                "duties": duties,
            }
        )
