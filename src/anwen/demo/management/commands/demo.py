"""`anwen demo`: a local demo on SQLite with an invented district and one login per role.

The cli sets ANWEN_DEMO=1 before the settings load, so no secret key or HTTPS is needed.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anwen.demo.district import DEMO_PASSWORD, build_district
from anwen.demo.history import load_history
from anwen.orgs.models import Org
from anwen.orgs.roles import RoleName

DEMO_USERNAMES = [
    "admin",
    "bureau",
    "leader",
    "centre",
    "principal",
    "school",
    "teacher",
    "guard",
    "attendant",
    "agency",
    "clerk",
    "handler",
]


def bilingual(message_id: str, **values) -> str:
    """The message in Chinese and in English ("演示账号 / Demo accounts"): whoever starts
    the demo may read either."""
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            text = _(message_id) % values if values else _(message_id)
        if text not in texts:
            texts.append(text)
    return " / ".join(texts)


def role_label(role: str) -> str:
    labels = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            label = str(RoleName(role).label)
        if label not in labels:
            labels.append(label)
    return " / ".join(labels)


class Command(BaseCommand):
    help = _(
        "Run a local demo: a SQLite database with an invented district (demo data) and one "
        "login per role, served on 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help=_("Port to serve on."))
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Delete the demo's SQLite database first and start afresh."),
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Prepare the database and print the logins, but do not serve."),
        )

    def handle(self, *args, port: int, reset: bool, no_serve: bool, **options):
        data_dir = Path(settings.DATA_DIR)
        if reset:
            self.delete_database(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)

        call_command("migrate", interactive=False, verbosity=0)
        if Org.objects.exists():
            self.say(
                gettext_noop(
                    "The database already holds orgs; the demo district is not loaded again."
                )
            )
        else:
            self.say(gettext_noop("Loading the demo district…"))
            district = build_district(with_accounts=True)
            self.say(
                gettext_noop(
                    "Loaded %(schools)d schools, %(centres)d centres and %(people)d staff."
                ),
                **district.counts,
            )
            self.say(gettext_noop("Loading three months of inspections, patrols and routine work…"))
            timings = load_history(bureau=district.bureau, today=timezone.localdate())
            self.say(
                gettext_noop("History loaded in %(seconds).1f s."), seconds=sum(timings.values())
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        self.print_logins(port)
        if no_serve:
            return
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def say(self, message_id: str, **values) -> None:
        self.stdout.write(bilingual(message_id, **values))

    def delete_database(self, data_dir: Path) -> None:
        # The connection's own settings: under the test runner they name the test database.
        database = connections["default"].settings_dict
        if not database["ENGINE"].endswith("sqlite3"):
            raise CommandError(
                _(
                    "--reset only deletes the demo's SQLite database; DATABASE_URL points "
                    "elsewhere. Unset DATABASE_URL, or reset that database yourself."
                )
            )
        path = Path(str(database["NAME"])).resolve()
        # Never delete a file outside the data directory (a test database, a typo).
        if not path.is_relative_to(data_dir.resolve()):
            raise CommandError(
                _("--reset refuses to delete %(path)s: it is not under %(dir)s.")
                % {"path": path, "dir": data_dir}
            )
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.say(gettext_noop("Deleted the demo database %(path)s."), path=str(path))

    def print_logins(self, port: int) -> None:
        from anwen.accounts.models import User

        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
                "role_assignments__org"
            )
        }
        rows = []
        for username in DEMO_USERNAMES:
            user = users.get(username)
            if user is None:
                continue
            for assignment in user.role_assignments.all():
                rows.append((username, role_label(assignment.role), assignment.org.name))
        self.stdout.write("")
        self.say(gettext_noop("Demo data: the schools, people and events are invented."))
        self.say(gettext_noop("Demo logins (username, role, organisation):"))
        if rows:
            width = max(len(r[0]) for r in rows) + 2
            for username, role, org in rows:
                self.stdout.write(f"  {username:<{width}}{role}  —  {org}")
        else:
            self.say(gettext_noop("No demo accounts in this database."))
        self.say(
            gettext_noop("Password for every demo login: %(password)s"), password=DEMO_PASSWORD
        )
        self.say(
            gettext_noop(
                "The admin sets up a second factor (TOTP, an authenticator app) at the first login."
            )
        )
        self.say(gettext_noop("Open %(url)s"), url=f"http://127.0.0.1:{port}/login/")
        self.stdout.write("")
