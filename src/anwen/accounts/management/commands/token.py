"""`anwen token create USERNAME --name NAME` prints a new API key (and nothing else, so a
script can capture it); `anwen token revoke PREFIX` revokes the token whose key starts so."""

from django.core.management.base import BaseCommand, CommandError

from anwen.accounts import selectors, services
from anwen.accounts.models import User


class Command(BaseCommand):
    help = "Create or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print its key once.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        revoke = sub.add_parser("revoke", help="Revoke a token by the start of its key.")
        revoke.add_argument("prefix", help="The first characters of the key (anw_…), or all of it.")

    def handle(self, *args, **options):
        if options["action"] == "create":
            self.create(options["username"], options["name"])
        else:
            self.revoke(options["prefix"])

    def create(self, username: str, name: str) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if not name.strip() or len(name) > 80:
            raise CommandError("--name must be 1 to 80 characters.")
        try:
            _token, key = services.token_create(user=user, name=name.strip())
        except services.AccountError as error:
            raise CommandError(error.message) from None
        self.stdout.write(key)

    def revoke(self, prefix: str) -> None:
        # "anw_" alone (or less) would match every token.
        if len(prefix) < 6:
            raise CommandError("Give at least the first 6 characters of the key.")
        matches = list(selectors.find_tokens(prefix))
        if not matches:
            raise CommandError(f"No active token starts with {prefix!r}.")
        if len(matches) > 1:
            listed = ", ".join(f"{t.prefix}… ({t.user.username}: {t.name})" for t in matches)
            raise CommandError(f"{len(matches)} tokens match; give the whole key: {listed}")
        token = matches[0]
        services.token_revoke(token=token)
        self.stdout.write(f"Revoked {token.prefix}… ({token.user.username}: {token.name}).")
