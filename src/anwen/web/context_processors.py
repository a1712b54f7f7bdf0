from anwen.orgs.models import Org
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import roles_of, scope_paths
from anwen.outbox.selectors import unread_count
from anwen.web.focus import focus_of
from anwen.web.navigation import nav_for


class _Shell:
    """Lazy: pages that never render the shell (API, files) pay no query."""

    def __init__(self, request):
        self.request = request

    @property
    def nav(self):
        return nav_for(self.request)

    @property
    def scope_roots(self):
        return Org.objects.filter(path__in=scope_paths(self.request.user)).only("name")

    @property
    def focus(self):
        """The top bar's "narrow to one centre or school" state (web.focus), or None."""
        if not hasattr(self, "_focus"):
            self._focus = focus_of(self.request.user)
        return self._focus

    @property
    def unread(self) -> int:
        """The bell's count of unread notifications (one COUNT on an indexed column)."""
        if not hasattr(self, "_unread"):
            self._unread = unread_count(self.request.user)
        return self._unread

    @property
    def role_labels(self):
        labels = dict(RoleName.choices)
        return [labels[r] for r in sorted(roles_of(self.request.user))]


def shell(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"shell": _Shell(request)}
