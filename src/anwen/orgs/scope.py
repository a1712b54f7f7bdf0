"""The one place that decides what a user may see.

Every view and every API endpoint reaches orgs and org-owned rows through these functions;
nobody writes a hand-made filter. A missing object and a forbidden one give the same 404, so
existence never leaks across schools.
"""

from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import IntegerField, Model, Q, QuerySet
from django.http import Http404

from anwen.forms import is_id
from anwen.orgs.models import Org, OrgKind, Person, RoleAssignment
from anwen.orgs.roles import ROLES

_M = TypeVar("_M", bound=Model)

_CACHE = "_anwen_scope"
_FOCUS = "_anwen_focus"
_PERSON = "_anwen_person"


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
    """Drop the cached scope and staff record (after the user's roles changed)."""
    for cached in (_CACHE, _PERSON):
        if hasattr(user, cached):
            delattr(user, cached)


def person_of(user) -> Person | None:
    """The user's own active staff record, or None (an officer without one, an anonymous
    visitor); cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _PERSON):
        setattr(
            user,
            _PERSON,
            Person.objects.filter(user=user, is_active=True).select_related("org").first(),
        )
    return getattr(user, _PERSON)


def ancestor_ids(org: Org) -> list[int]:
    """The pks of `org` and of every org above it, from the root down (read from its path)."""
    return [int(pk) for pk in org.path.split("/") if pk]


def paths_q(paths, field: str = "") -> Q:
    """A Q keeping rows whose org (through `field`, "" for Org itself) lies under one of the
    materialised `paths`; no path keeps nothing. The only hand-made prefix filter.

    On SQLite a prefix is asked as a range, `path >= '1/7/' AND path < '1/70'` (the prefix
    with its last character moved one up: '/' + 1 = '0'), not as `startswith`: Django writes
    that as LIKE, which SQLite never serves from an index (its LIKE ignores case), so every
    scoped query scanned the org table, and a join from a big table by path scanned that
    table. SQLite compares text byte by byte (BINARY), so the range keeps exactly the rows of
    the prefix. PostgreSQL keeps LIKE: Django gives the path a `varchar_pattern_ops` index
    that serves it, and a range would follow the database's collation, which in a linguistic
    locale (zh_CN, en_US) ignores '/' and would not be the prefix."""
    column = f"{field}__path" if field else "path"
    q = Q(pk__in=[])
    for path in paths:
        q |= _prefix_q(column, path)
    return q


def _prefix_q(column: str, prefix: str) -> Q:
    """`column` starts with `prefix`, in the form the database serves from an index (an empty
    prefix keeps all)."""
    if not prefix:
        return Q()
    if connection.vendor != "sqlite":
        return Q(**{f"{column}__startswith": prefix})
    above = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{column}__gte": prefix, f"{column}__lt": above})


def within_q(org: Org, field: str = "") -> Q:
    """Rows whose org (through `field`) is `org` or lies below it."""
    return paths_q([org.path], field)


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
    return paths_q(full_scope_paths(user) if full else scope_paths(user), field)


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


def with_perm(
    queryset: QuerySet, user, *perms: str, field: str = "org", full: bool = False
) -> QuerySet:
    """The rows of `queryset` in the user's (narrowed) view whose org (through `field`) lies
    where one of the user's roles grants one of `perms`: the scope alone would also show the
    school where the user is only a teacher. `full=True`: the whole scope, not the top bar's
    narrowing (for guards of single objects, which a narrowed view must not break)."""
    if queryset.model is Org:
        field = ""
    return scoped(queryset, user, field, full=full).filter(paths_q(paths_with(user, *perms), field))


def schools_with(user, *perms: str) -> list[Org]:
    """The active schools in the user's (narrowed) view where a role grants one of `perms`,
    in tree order."""
    schools = Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
    return list(with_perm(schools, user, *perms).order_by("path"))


def pick_org(request, orgs) -> Org:
    """The org a page is about: `?org=` (or the posted `org`) when it is one of `orgs`, else
    the first of them; 404 when `orgs` is empty or the wanted one is not among them."""
    wanted = request.GET.get("org") or request.POST.get("org")
    for org in orgs:
        if not wanted or str(org.pk) == wanted:
            return org
    raise Http404


def has_perm(user, perm: str, org: Org | None = None) -> bool:
    """Whether one of the user's roles grants `perm` over `org` (anywhere, when org is None)."""
    for role, path in _assignments(user):
        if perm in ROLES[role].perms and (org is None or org.path.startswith(path)):
            return True
    return False


def school_for(request, *perms: str) -> Org:
    """The school a page is about among those where the user holds one of `perms` (pick_org
    over schools_with): `?org=` when it is one of them, else the first; 404 when none."""
    return pick_org(request, schools_with(request.user, *perms))


def holds_within(user, perm: str, org: Org) -> bool:
    """Whether a role held at `org` itself (or inside it) grants `perm`, not one inherited
    from above: a bureau officer manages every school's checklists, but a school's own checks
    are run by the school's own people."""
    return any(
        perm in ROLES[role].perms and path.startswith(org.path) for role, path in _assignments(user)
    )


def needs_two_factor(user) -> bool:
    return any(ROLES[role].two_factor for role in roles_of(user))


def access(queryset: QuerySet[_M], user, pk, *, field: str = "org", perm: str | None = None) -> _M:
    """Fetch one row by primary key through the user's scope, or raise 404. The whole scope:
    narrowing the view hides rows from lists, it does not break a link to one of them. A pk
    that cannot be an id (a word, beyond 64 bits) is missing too, before the database sees it."""
    if _integer_pk(queryset.model) and not isinstance(pk, Model) and not is_id(pk):
        raise Http404
    try:
        obj = scoped(queryset, user, field, full=True).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the base of every model's DoesNotExist
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
    org = access(Org.objects.filter(is_active=True), user, pk, perm=perm)
    assert isinstance(org, Org)  # noqa: S101 - for the type checker: an Org queryset's row
    return org


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


# --- access beyond the tree: grants on single records -------------------------------------------


def grantee_q(user, *, org_field: str = "org", user_field: str = "user") -> Q:
    """Over a table of grants: the rows that name `user`, or an org in the user's whole scope
    (an agency inspector sees what was granted to the agency)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(**{user_field: user}) | paths_q(full_scope_paths(user), org_field)


def perm_or_granted_q(
    user,
    *perms: str,
    grants: QuerySet,
    record_field: str = "record_id",
    field: str = "org",
    full: bool = False,
) -> Q:
    """A Q over an engine's records: those in the user's (narrowed, or `full`) view where a
    role grants one of `perms` — the tree — together with those `grants` (rows of a grant
    table of this record type) open to the user by name or by one of the user's orgs."""
    tree = scope_q(user, field, full=full) & paths_q(paths_with(user, *perms), field)
    granted = grants.filter(grantee_q(user)).values(record_field)
    return tree | Q(pk__in=granted)


def holds_at(user, perm: str, org: Org) -> bool:
    """Whether a role held at `org` itself (not above it, not below) grants `perm`: the
    centre's re-check is the centre officer's, not the bureau's, though both cover the school."""
    return any(perm in ROLES[role].perms and path == org.path for role, path in _assignments(user))
