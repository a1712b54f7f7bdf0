"""The left navigation, by what the user may do. Apps add their entries here as they land."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anwen.orgs.scope import has_perm


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    perm: str | None = None


NAV: list[NavItem] = [
    NavItem("web:home", _("Home")),
    NavItem("orgs:school_list", _("Schools"), "orgs.view"),
    NavItem("orgs:people_list", _("Staff"), "orgs.view_people"),
    NavItem("orgs:import", _("Import"), "orgs.import"),
    NavItem("calendar:index", _("Calendar"), "calendar.manage"),
    NavItem("audit:index", _("Audit trail"), "audit.view"),
    NavItem("accounts:security", _("My account"), None),
]


def nav_for(request) -> list[dict]:
    items = []
    for item in NAV:
        if item.perm and not has_perm(request.user, item.perm):
            continue
        url = reverse(item.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": item.label, "active": current})
    return items
