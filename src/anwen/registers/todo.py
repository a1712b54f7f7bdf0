"""What the registers put in the inbox, read from the one expiry mechanism: for the people who
keep a school's registers (a role held at the school itself), one item per kind of dated thing
that is due soon or expired there ("3 guard certificates expire within 30 days"), dated by the
first of them and linked to the district list narrowed to the school. Officers above the
schools get the district list's lines instead of each school's. A fixed number of queries: one
grouped query per dated field of the registers."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import paths_with
from anwen.todo import Todo

from . import expiry
from .declare import registers


def _link(tally: expiry.Tally, *, org: int | None) -> str:
    link = f"{reverse('registers:expiring')}?kind={tally.register.key}.{tally.dated.field}"
    return link + (f"&org={org}" if org else "")


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    perms = {r.manage_perm for r in registers()}
    paths = paths_with(user, *perms)
    if not paths:
        return []
    schools = dict(
        Org.objects.filter(path__in=paths, kind=OrgKind.SCHOOL, is_active=True).values_list(
            "pk", "name"
        )
    )
    above = [p for p in paths if int(p.rstrip("/").split("/")[-1]) not in schools]
    items: list[Todo] = []
    if schools:
        for t in expiry.tallies(paths, today=today, orgs=schools):
            items.append(_item(t, org_name=schools[t.org_id], link=_link(t, org=t.org_id)))
    if above:
        for s in expiry.summary(above, today=today):
            items.append(
                Todo(
                    kind=f"registers.{s['register'].key}.{s['dated'].field}",
                    title=_("%(what)s · %(due)s: %(expired)d expired, %(soon)d due soon")
                    % {
                        "what": s["register"].plural,
                        "due": s["dated"].label,
                        "expired": s["expired"],
                        "soon": s["soon"],
                    },
                    url=f"{reverse('registers:expiring')}?kind={s['register'].key}."
                    f"{s['dated'].field}",
                    detail=_("in %(n)d schools") % {"n": s["orgs"]},
                )
            )
    return items


def _item(t: expiry.Tally, *, org_name: str, link: str) -> Todo:
    if t.expired:
        title = _("%(what)s · %(due)s: %(n)d expired") % {
            "what": t.register.plural,
            "due": t.dated.label,
            "n": t.expired,
        }
    else:
        title = _("%(what)s · %(due)s: %(n)d due soon") % {
            "what": t.register.plural,
            "due": t.dated.label,
            "n": t.soon,
        }
    detail = _("and %(n)d due soon") % {"n": t.soon} if t.expired and t.soon else ""
    return Todo(
        kind=f"registers.{t.register.key}.{t.dated.field}",
        title=title,
        url=link,
        org_name=org_name,
        due=t.first,
        detail=detail,
    )
