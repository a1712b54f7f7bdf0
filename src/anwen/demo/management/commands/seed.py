"""`anwen seed`: a synthetic district of any size in the configured database, for benchmarks.

No login accounts are created (only `anwen demo` makes those)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anwen.demo.district import build_district, delete_org_data
from anwen.orgs.models import Org


class Command(BaseCommand):
    help = _("Build a synthetic district (invented data) for benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=200, help=_("Number of schools."))
        parser.add_argument(
            "--years",
            type=int,
            default=0,
            help=_(
                "Years of history. Accepted for later use: there are no history tables "
                "yet, so nothing is stored for it."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2021,
            help=_("Random seed; the same seed gives the same district."),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_(
                "Delete every existing org, person and role first (accounts and the audit "
                "trail stay)."
            ),
        )

    def handle(self, *args, schools: int, years: int, seed: int, reset: bool, **options):
        if schools < 1:
            raise CommandError(_("--schools must be at least 1."))
        if years < 0:
            raise CommandError(_("--years cannot be negative."))
        if Org.objects.exists():
            if not reset:
                raise CommandError(
                    _("The database already holds orgs. Use --reset to delete them first.")
                )
            try:
                deleted = delete_org_data()
            except Exception as exc:  # a row of another app still points at an org
                raise CommandError(
                    _("The existing orgs could not be deleted: %(error)s") % {"error": exc}
                ) from exc
            self.stdout.write(_("Deleted %(orgs)d orgs and %(people)d people.") % deleted)
        started = time.perf_counter()
        district = build_district(schools=schools, seed=seed, with_accounts=False)
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "Seeded %(schools)d schools, %(centres)d centres, %(orgs)d orgs and %(people)d "
                "staff in %(seconds).1f s."
            )
            % {**district.counts, "seconds": seconds}
        )
        if years:
            self.stdout.write(_("No history was generated: anwen has no history tables yet."))
