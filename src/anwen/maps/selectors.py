"""Reads of the maps app: the schools of a map, their marks, and which boundary to draw."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from anwen.maps import marks
from anwen.maps.models import Boundary
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import ancestor_ids, full_scope_paths, scope_paths, with_perm, within_q

VIEW = "orgs.view"
MANAGE = "maps.manage"


@dataclass(frozen=True)
class Point:
    school: Org
    lon: float | None
    lat: float | None
    mark: marks.Mark


def map_schools(user, org: Org | None = None) -> list[Org]:
    """The active schools in the user's (narrowed) view, below `org` when given, with their
    profiles: one query however many there are."""
    schools = with_perm(Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True), user, VIEW)
    if org is not None:
        schools = schools.filter(within_q(org))
    return list(schools.select_related("school").order_by("path"))


def points(user, *, org: Org | None = None, layer: marks.Layer | None = None) -> list[Point]:
    """Every school of the map with its coordinates (None where it has none) and its mark from
    `layer`'s provider (level 0 without one, or where the provider says nothing)."""
    schools = map_schools(user, org)
    given = layer.marks(org, schools) if layer is not None and schools else {}
    out = []
    for school in schools:
        profile = getattr(school, "school", None)
        lon = getattr(profile, "longitude", None)
        lat = getattr(profile, "latitude", None)
        mark = given.get(school.pk) or marks.Mark(level=0)
        out.append(
            Point(
                school=school,
                lon=float(lon) if lon is not None and lat is not None else None,
                lat=float(lat) if lon is not None and lat is not None else None,
                mark=marks.Mark(
                    level=marks.clamp(mark.level),
                    label=mark.label,
                    link=mark.link or reverse("orgs:org_detail", args=[school.pk]),
                ),
            )
        )
    return out


def _visible_bureau_ids(user) -> list[int]:
    """The orgs at and above the user's roles (their bureau among them): whose boundary the
    user may see. Read from the role paths, no query."""
    ids: list[int] = []
    for path in full_scope_paths(user):
        for pk in ancestor_ids(Org(path=path)):
            if pk not in ids:
                ids.append(pk)
    return ids


def boundary_for(user, org: Org | None = None) -> Boundary | None:
    """The boundary to draw under a map of `org` (None: the user's view): the nearest bureau
    above it that has one, among those the user sits under. Without the text (one query)."""
    if org is not None:
        above = ancestor_ids(org)
    else:
        roots = scope_paths(user)
        above = ancestor_ids(Org(path=roots[0])) if roots else []
    visible = set(_visible_bureau_ids(user))
    candidates = [pk for pk in above if pk in visible]
    if not candidates:
        return None
    return (
        Boundary.objects.filter(bureau_id__in=candidates, bureau__is_active=True)
        .defer("geojson")
        .order_by("-bureau__depth")
        .first()
    )


def boundary_text(user, bureau_id: int) -> Boundary | None:
    """The boundary (with its GeoJSON) of a bureau the user sits under, else None."""
    if bureau_id not in _visible_bureau_ids(user):
        return None
    return Boundary.objects.filter(bureau_id=bureau_id, bureau__is_active=True).first()


def managed_bureaus(user) -> QuerySet[Org]:
    """The bureaus whose boundary the user may upload (bureau administrators')."""
    bureaus = Org.objects.filter(kind=OrgKind.BUREAU, is_active=True)
    return with_perm(bureaus, user, MANAGE, full=True).order_by("path")


def boundaries_of(bureaus: list[Org]) -> QuerySet[Boundary]:
    return (
        Boundary.objects.filter(bureau__in=bureaus).defer("geojson").select_related("uploaded_by")
    )
