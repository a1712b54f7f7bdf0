"""The top bar's "narrow to one centre or school": what the user may narrow to, found by name.

The top bar used to list every centre and school of the scope in one <select> (258 KB on every
page at 4,000 schools). It now carries a search box; the matches come from the server, a page
at a time, so the top bar weighs the same whatever the size of the district."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import full_scope_paths, scope_paths, scope_q

KINDS = (OrgKind.CENTRE, OrgKind.SCHOOL)
QUERY_MAX = 60  # longer than any org name: a longer query is cut, not refused


@dataclass(frozen=True)
class Focus:
    """What the top bar shows: the roots of the whole scope ("all") and the narrowed org."""

    roots: list[Org]
    current: Org | None

    @property
    def label(self) -> str:
        if self.current is not None:
            return self.current.name
        return "、".join(org.name for org in self.roots)


def can_narrow(user) -> bool:
    """Whether the user's scope holds more than one school (else nothing to narrow to)."""
    schools = Org.objects.filter(scope_q(user, full=True), is_active=True, kind=OrgKind.SCHOOL)
    return schools.values("pk")[:2].count() > 1


def focus_of(user) -> Focus | None:
    """The top bar's state for the user, or None when there is nothing to narrow; two small
    queries whatever the number of schools."""
    if not can_narrow(user):
        return None
    full = full_scope_paths(user)
    current = scope_paths(user)
    roots = list(Org.objects.filter(path__in=full).order_by("path").only("name", "path"))
    narrowed = None
    if current != full and len(current) == 1:
        narrowed = Org.objects.filter(path=current[0]).only("name", "path", "kind").first()
    return Focus(roots=roots, current=narrowed)


def focus_choices(user, q: str = "") -> QuerySet[Org]:
    """The centres and schools of the user's whole scope the view may narrow to, matching `q`
    (name, short name or code); centres first. A root of the scope is "all", not a choice."""
    orgs = Org.objects.filter(scope_q(user, full=True), is_active=True, kind__in=KINDS).exclude(
        path__in=full_scope_paths(user)
    )
    q = q.strip()[:QUERY_MAX]
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__iexact=q))
    return (
        orgs.select_related("parent")
        .only("name", "kind", "path", "parent__name")
        .order_by("kind", "path")
    )
