"""`anwen account deactivate USERNAME` locks an account for good (its sessions end at once and
its API tokens are refused); `anwen account activate USERNAME` undoes it; `anwen account
unlock USERNAME` ends a lockout after failed logins before its time."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anwen.accounts import services
from anwen.accounts.models import User


class Command(BaseCommand):
    help = "Deactivate, activate or unlock an account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["deactivate", "activate", "unlock"])
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        action = options["action"]
        changed = {
            "deactivate": services.account_deactivate,
            "activate": services.account_activate,
            "unlock": services.account_unlock,
        }[action](user=user)
        state = "done" if changed else "nothing to do"
        self.stdout.write(f"{action} {user.username}: {state}.")
