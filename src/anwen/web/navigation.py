"""The left navigation, by what the user may do. Apps add their entries here as they land."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from anwen.calendar.selectors import edits_national
from anwen.hazards.board import hidden_from as board_hidden_from
from anwen.hazards.selectors import VIEW_PERMS
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import has_perm, roles_of


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: StrOrPromise
    perm: str | tuple[str, ...] | None = None  # any one of them shows the entry
    # Access that is no role in the org tree (a platform administrator's), shown as well.
    also: Callable[[Any], bool] | None = None
    # An entry the permission would show but that has nothing for this user.
    hide: Callable[[Any], bool] | None = None


def _agency_only(user) -> bool:
    """An agency inspector's orgs.view covers their own agency, which holds no school: the
    school list would always be empty ("共 0 所")."""
    roles = roles_of(user)
    return bool(roles) and roles <= {RoleName.AGENCY_INSPECTOR}


NAV: list[NavItem] = [
    NavItem("web:home", _("Home")),
    NavItem("inbox:index", _("To do")),
    NavItem(
        "inspections:index",
        _("Inspections"),
        ("inspections.view", "inspections.do", "inspections.join"),
    ),
    NavItem(
        "patrol:index", _("Guard patrol"), ("patrol.manage", "patrol.scan", "inspections.view")
    ),
    NavItem("buses:check", _("Pre-departure check"), "buses.check"),
    NavItem("fire:index", _("Fire self-checks"), "inspections.view"),
    NavItem(
        "hazards:index",
        _("Hazards"),
        ("inspections.view", "inspections.do", "inspections.join"),
    ),
    NavItem("hazards:board", _("Battle map"), VIEW_PERMS, hide=board_hidden_from),
    NavItem("cases:index", _("Cases"), ("cases.view", "cases.handle")),
    NavItem("registers:index", _("Registers"), ("registers.view", "registers.manage")),
    NavItem("obligations:index", _("Obligation completion"), "obligations.view"),
    NavItem("obligations:log", _("Log a routine activity"), "obligations.log"),
    NavItem("obligations:plan", _("Work plan"), "obligations.manage"),
    NavItem("duties:index", _("Safety duties"), ("duties.view", "duties.sign")),
    NavItem("receptions:index", _("Leaders' receptions"), ("cases.lead", "cases.supervise")),
    NavItem("evidence:index", _("Evidence files"), "orgs.view_people"),
    NavItem("orgs:school_list", _("Schools"), "orgs.view", hide=_agency_only),
    NavItem("maps:index", _("School map"), "orgs.view", hide=_agency_only),
    NavItem("orgs:people_list", _("Staff"), "orgs.view_people"),
    NavItem("orgs:import", _("Import"), "orgs.import"),
    NavItem("calendar:index", _("Calendar"), "calendar.manage", also=edits_national),
    NavItem("audit:index", _("Audit trail"), "audit.view", also=edits_national),
    NavItem("accounts:security", _("My account"), None),
]


def nav_for(request) -> list[dict]:
    items: list[dict[str, Any]] = []
    for item in NAV:
        perms = (item.perm,) if isinstance(item.perm, str) else item.perm or ()
        allowed = any(has_perm(request.user, perm) for perm in perms) or (
            item.also is not None and item.also(request.user)
        )
        if (perms and not allowed) or (item.hide is not None and item.hide(request.user)):
            continue
        url = reverse(item.url_name)
        matches = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": item.label, "active": matches})
    # One entry is current: the most specific ("/obligations/log/" over "/obligations/").
    active = [i for i in items if i["active"]]
    for entry in active:
        entry["active"] = entry is max(active, key=lambda i: len(i["url"]))
    return items
