from anwen.orgs.models import Org, OrgKind
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import full_scope_paths, roles_of, scope_paths, scope_q
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
    def full_roots(self):
        return Org.objects.filter(path__in=full_scope_paths(self.request.user)).only("name")

    @property
    def focus(self):
        """The top bar's "narrow to one centre or school" choice, for users whose scope holds
        more than one school: the current choice and the centres with their schools."""
        user = self.request.user
        full = full_scope_paths(user)
        current = scope_paths(user)
        orgs = list(
            Org.objects.filter(scope_q(user, full=True), is_active=True,
                               kind__in=[OrgKind.CENTRE, OrgKind.SCHOOL])
            .order_by("path").only("name", "path", "kind", "parent_id")
        )
        if sum(1 for o in orgs if o.kind == OrgKind.SCHOOL) < 2:
            return None
        centres = [o for o in orgs if o.kind == OrgKind.CENTRE]
        groups = [(c, [o for o in orgs if o.kind == OrgKind.SCHOOL and o.parent_id == c.pk])
                  for c in centres]
        direct = [o for o in orgs if o.kind == OrgKind.SCHOOL
                  and o.parent_id not in {c.pk for c in centres}]
        selected = current[0] if current != full and len(current) == 1 else ""
        # A centre that is the user's whole scope needs no "whole centre" entry: it is "all".
        only_root = full[0] if len(full) == 1 else ""
        return {"groups": groups, "direct": direct, "selected": selected, "only_root": only_root}

    @property
    def role_labels(self):
        labels = dict(RoleName.choices)
        return [labels[r] for r in sorted(roles_of(self.request.user))]


def shell(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"shell": _Shell(request)}
