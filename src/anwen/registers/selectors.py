"""Reads of the registers: which records a user sees, one record behind a guard."""

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from anwen.forms import is_id
from anwen.orgs.scope import paths_q, paths_with, scope_paths

from .declare import Register, registers


def paths_for(user, *perms: str) -> list[str]:
    """The subtrees where a role grants one of `perms`, narrowed by the top bar's focus."""
    focus = scope_paths(user)
    out = set()
    for path in paths_with(user, *perms):
        for root in focus:
            if root.startswith(path):
                out.add(root)  # the focus narrows a wider grant
            elif path.startswith(root):
                out.add(path)
    return sorted(out)


def visible_paths(user, register: Register) -> list[str]:
    """Where the user sees this register: its view (or manage) permission's subtrees."""
    return paths_for(user, register.view_perm, register.manage_perm)


def expiry_paths(user) -> list[str]:
    """Where the user sees dated things: the subtrees of any register's permissions."""
    return paths_for(user, *{p for r in registers() for p in (r.view_perm, r.manage_perm)})


def visible_records(user, register: Register) -> QuerySet:
    return (
        register.model._default_manager.filter(paths_q(visible_paths(user, register), "org"))
        .select_related("org", *register.select_related)
        .order_by(*register.order_by)
    )


def search_q(register: Register, text: str) -> Q:
    q = Q()
    for name in register.search:
        q |= Q(**{f"{name}__icontains": text})
    return q


def access_record(user, register: Register, pk, *, manage: bool = False) -> Model:
    """One record the user may see (`manage`: may change); 404 for a missing and a forbidden
    one alike, and for a pk that is not a number."""
    if not is_id(pk):
        raise Http404
    perms = (register.manage_perm,) if manage else (register.view_perm, register.manage_perm)
    rows = register.model._default_manager.filter(paths_q(paths_with(user, *perms), "org"))
    record = rows.select_related("org").filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
