"""The one place that decides what a user may see.

Every view and every API endpoint reaches orgs and org-owned rows through these functions;
nobody writes a hand-made filter. A missing object and a forbidden one give the same 404, so
existence never leaks across schools.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import IntegerField, Model, Q, QuerySet
from django.http import Http404

from anwen.forms import is_id
from anwen.orgs.models import Org, RoleAssignment
from anwen.orgs.roles import ROLES

_CACHE = "_anwen_scope"
_FOCUS = "_anwen_focus"


def _assignments(user) -> list[tuple[str, str]]:
    """(role, org path) pairs of the user's roles in active orgs, cached on the user object
    for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, org__is_active=True)
            .order_by("org__path")
            .values_list("role", "org__path")
        )
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached scope (after the user's roles changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def full_scope_paths(user) -> list[str]:
    """The roots of the subtrees the user's roles cover, none inside another."""
    roots: list[str] = []
    for path in sorted({path for _role, path in _assignments(user)}):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def scope_paths(user) -> list[str]:
    """The roots of the subtrees the user sees now: the full scope, or the one centre or school
    inside it that a bureau or centre user narrowed the view to (the top bar's choice). The
    narrowing only hides; it never widens what the roles cover."""
    roots = full_scope_paths(user)
    focus = getattr(user, _FOCUS, None)
    if focus and any(focus.startswith(root) for root in roots):
        return [focus]
    return roots


def set_focus(user, path: str | None) -> None:
    """Narrow this request's view to the subtree at `path` (None: the whole scope)."""
    setattr(user, _FOCUS, path)


def scope_q(user, field: str = "", *, full: bool = False) -> Q:
    """A Q that keeps rows whose org (reached through `field`, "" for Org itself) lies in the
    user's scope (the narrowed view; `full=True`: everything the roles cover). An empty scope
    keeps nothing."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q(pk__in=[])
    for root in full_scope_paths(user) if full else scope_paths(user):
        q |= Q(**{lookup: root})
    return q


def scoped(queryset: QuerySet, user, field: str = "org", *, full: bool = False) -> QuerySet:
    if queryset.model is Org:
        field = ""
    return queryset.filter(scope_q(user, field, full=full))


def visible_orgs(user) -> QuerySet[Org]:
    return Org.objects.filter(scope_q(user), is_active=True)


def roles_of(user) -> set[str]:
    return {role for role, _path in _assignments(user)}


def paths_with(user, *perms: str) -> list[str]:
    """Roots of the subtrees where one of the user's roles grants one of `perms` (a teacher at
    one school and principal at another holds `obligations.view` at the second only). The
    full roles, not the top-bar focus: `with_perm` narrows by the focus itself."""
    wanted = set(perms)
    return sorted({path for role, path in _assignments(user) if ROLES[role].perms & wanted})


def with_perm(queryset: QuerySet, user, *perms: str, field: str = "org") -> QuerySet:
    """The rows of `queryset` in the user's (narrowed) view whose org (through `field`) lies
    where one of the user's roles grants one of `perms`: the scope alone would also show the
    school where the user is only a teacher."""
    if queryset.model is Org:
        field = ""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q(pk__in=[])
    for path in paths_with(user, *perms):
        q |= Q(**{lookup: path})
    return scoped(queryset, user, field).filter(q)


def has_perm(user, perm: str, org: Org | None = None) -> bool:
    """Whether one of the user's roles grants `perm` over `org` (anywhere, when org is None)."""
    for role, path in _assignments(user):
        if perm in ROLES[role].perms and (org is None or org.path.startswith(path)):
            return True
    return False


def needs_two_factor(user) -> bool:
    return any(ROLES[role].two_factor for role in roles_of(user))


def access(queryset: QuerySet, user, pk, *, field: str = "org", perm: str | None = None) -> Model:
    """Fetch one row by primary key through the user's scope, or raise 404. The whole scope:
    narrowing the view hides rows from lists, it does not break a link to one of them. A pk
    that cannot be an id (a word, beyond 64 bits) is missing too, before the database sees it."""
    if _integer_pk(queryset.model) and not isinstance(pk, Model) and not is_id(pk):
        raise Http404
    try:
        obj = scoped(queryset, user, field, full=True).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm is not None:
        org = obj if isinstance(obj, Org) else _org_of(obj, field)
        if not has_perm(user, perm, org):
            raise Http404
    return obj


def _integer_pk(model: type[Model]) -> bool:
    """Whether the model's primary key is a number (a one-to-one key: its target's)."""
    pk = model._meta.pk
    return isinstance(getattr(pk, "target_field", pk), IntegerField)


def access_org(user, pk, *, perm: str = "orgs.view") -> Org:
    return access(Org.objects.filter(is_active=True), user, pk, perm=perm)


def _org_of(obj: Model, field: str) -> Org:
    for part in field.split("__"):
        obj = getattr(obj, part)
    return obj  # type: ignore[return-value]


def perm_required(perm: str):
    """View decorator: log in first, then 404 unless one of the user's roles grants `perm`
    somewhere (a page the user may not use does not exist for them)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not has_perm(request.user, perm):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorator
