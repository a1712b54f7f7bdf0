from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from anwen.web.schedule import PERIODIC_TASKS


class Command(BaseCommand):
    help = "Enqueue anwen's periodic work; run it from cron every few minutes, with `anwen db_worker` running."

    def handle(self, *args, **options):
        for task in PERIODIC_TASKS:
            result = task.enqueue()
            self.stdout.write(
                _("Enqueued %(task)s (%(status)s).") % {"task": task.name, "status": result.status}
            )
