"""The registers' periodic work; `anwen tick` enqueues it (web/schedule.py).

`remind_expiring` tells the people who keep a school's registers (roles held at the school)
what falls due there: once when things come within the warning days, once when they lapse.
Things of one kind due on the same day at one school are one notice ("4 fire extinguishers:
service due 2027-01-05"), keyed by kind, school, day and state, so the outbox (unique per key
and person) tells nobody twice however often the tick runs, and a renewed date starts afresh."""

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import ROLES
from anwen.orgs.scope import paths_q
from anwen.outbox.services import announce

from . import expiry


def _keepers(org_ids, perm: str) -> dict[int, list]:
    roles = [name for name, role in ROLES.items() if perm in role.perms]
    pairs = RoleAssignment.objects.filter(
        org_id__in=org_ids, role__in=roles, user__is_active=True
    ).values_list("org_id", "user_id")
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={u for _o, u in pairs})}
    out: dict[int, list] = {}
    for org_id, user_id in pairs:
        if user_id in users:
            out.setdefault(org_id, []).append(users[user_id])
    return out


def remind(*, today=None) -> int:
    """Announce what is due soon or expired at every school; the number of notices asked for."""
    today = today or timezone.localdate()
    rules = Rules(on=today)
    count = 0
    for bureau in Org.objects.filter(kind=OrgKind.BUREAU, parent__isnull=True, is_active=True):
        for register, dated in expiry.dated_fields():
            warn = expiry.warn_days(dated, org=bureau, today=today, rules=rules)
            groups = (
                register.model._default_manager.filter(
                    expiry.due_q(dated, today=today, warn=warn),
                    paths_q([bureau.path], "org"),
                    org__kind__in=register.org_kinds,
                )
                .values("org_id", dated.field)
                .annotate(n=Count("pk"))
                .order_by("org_id", dated.field)
            )
            rows = list(groups)
            keepers = _keepers({r["org_id"] for r in rows}, register.manage_perm)
            for row in rows:
                people = keepers.get(row["org_id"], [])
                if not people:
                    continue
                day = row[dated.field]
                state = expiry.state_of(day, today=today, warn=warn)
                words = {
                    "n": row["n"],
                    "what": register.plural,
                    "due": dated.label,
                    "day": day.isoformat(),
                }
                title = (
                    _("%(what)s · %(due)s: %(n)d lapsed on %(day)s") % words
                    if state == expiry.EXPIRED
                    else _("%(what)s · %(due)s: %(n)d due on %(day)s") % words
                )
                announce(
                    key=f"registers:{register.key}.{dated.field}:{row['org_id']}:"
                    f"{day.isoformat()}:{state}",
                    recipients=people,
                    title=title,
                    link=f"{reverse('registers:expiring')}?kind={register.key}.{dated.field}"
                    f"&org={row['org_id']}",
                )
                count += 1
    return count


@task()
def remind_expiring() -> dict:
    return {"notices": remind()}
