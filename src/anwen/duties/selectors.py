"""Reads of the duties app. Every list starts from the user's scope; figures are counted in the
database, and the number of queries does not depend on the number of schools or staff."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django_stubs_ext import StrOrPromise

from anwen.duties.models import (
    Commitment,
    FiveInPlace,
    FiveInPlacePart,
    Part,
    PositionDuty,
    ResponsibilityLetter,
    SchoolSignedCount,
    SchoolStaffCount,
)
from anwen.duties.rules import FIVE_DUE, LETTER_DUE
from anwen.orgs.models import Org, OrgKind, Person, Position
from anwen.orgs.scope import scoped, within_q


@dataclass
class RateRow:
    org: Org
    staff: int = 0
    signed: int = 0

    @property
    def unsigned(self) -> int:
        return self.staff - self.signed

    @property
    def rate(self) -> float | None:
        """Signed share in per cent, None where the school has no staff with a position."""
        return round(100 * self.signed / self.staff, 1) if self.staff else None


def _has_position():
    return Exists(Person.positions.through.objects.filter(person_id=OuterRef("pk")))


def _signed(year: int):
    return Exists(ResponsibilityLetter.objects.filter(person_id=OuterRef("pk"), year=year))


def school_staff(org_filter: Q) -> QuerySet[Person]:
    """Who must sign: the active staff of active schools who hold at least one position."""
    return Person.objects.filter(
        org_filter,
        _has_position(),
        is_active=True,
        org__kind=OrgKind.SCHOOL,
        org__is_active=True,
    )


def schools(user, *, under: Org | None = None) -> QuerySet[Org]:
    qs = scoped(Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True), user)
    if under is not None:
        qs = qs.filter(within_q(under))
    return qs


def sign_rates(
    *,
    user,
    year: int,
    group: str = "school",
    under: Org | None = None,
) -> list[RateRow]:
    """Staff who must sign against letters signed for `year`, per school or per the unit
    (centre, or the bureau for the schools it runs itself) the schools hang under. One query:
    the schools with their kept counts (duties.counts), not a count of every person of the
    district on each request."""
    if group not in ("school", "centre"):
        raise ValueError(group)
    kept = (
        schools(user, under=under)
        .annotate(
            kept_staff=_kept(SchoolStaffCount.objects.filter(org=OuterRef("pk")), "staff"),
            kept_signed=_kept(
                SchoolSignedCount.objects.filter(org=OuterRef("pk"), year=year), "signed"
            ),
        )
        .order_by("path")
    )
    orgs = list(kept)
    _attach_parents(orgs)
    rows = [RateRow(org=org, staff=org.kept_staff, signed=org.kept_signed) for org in orgs]
    return rows if group == "school" else roll_up(rows)


def _attach_parents(orgs: Sequence[Org]) -> None:
    """Each org's parent, from one query of the few distinct parents (a few dozen centres for
    4,000 schools), put in the relation's cache: `select_related` built a parent object per
    school, and setting 4,000 of them through the relation was a third of the page's time."""
    parents = Org.objects.in_bulk({org.parent_id for org in orgs if org.parent_id})
    cache = Org._meta.get_field("parent")
    for org in orgs:
        if org.parent_id in parents:
            cache.set_cached_value(org, parents[org.parent_id])


def _kept(counts: QuerySet, field: str):
    return Coalesce(Subquery(counts.values(field)[:1]), Value(0))


def roll_up(rows: list[RateRow]) -> list[RateRow]:
    """The schools' rows added up per the unit they hang under (a centre, or the bureau for the
    schools it runs itself), in the centres' order: no second count of the staff."""
    units: dict[int, RateRow] = {}
    for row in rows:
        parent = row.org.parent
        if parent is None:
            continue
        unit = units.setdefault(parent.pk, RateRow(org=parent, staff=0, signed=0))
        unit.staff += row.staff
        unit.signed += row.signed
    ordered = sorted(units.values(), key=lambda r: (r.org.sort_order, r.org.path))
    ordered.sort(key=lambda r: r.org.kind, reverse=True)  # centres before the bureau (stable)
    return ordered


def total(rows: list[RateRow]) -> RateRow:
    return RateRow(
        org=None,  # type: ignore[arg-type]  # the total row belongs to no single org
        staff=sum(r.staff for r in rows),
        signed=sum(r.signed for r in rows),
    )


def staff_letters(*, school: Org, year: int, status: str = "", q: str = "") -> QuerySet[Person]:
    """The staff of one school who must sign, each with `letter` (this year's, or None after
    `attach_letters`) and `is_signed`."""
    qs = school_staff(Q(org=school)).annotate(is_signed=_signed(year))
    if status == "signed":
        qs = qs.filter(is_signed=True)
    elif status == "unsigned":
        qs = qs.filter(is_signed=False)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(staff_no__icontains=q))
    return qs.prefetch_related(
        "positions",
        Prefetch(
            "responsibility_letters",
            queryset=ResponsibilityLetter.objects.filter(year=year).select_related("scan"),
            to_attr="letters",
        ),
    ).order_by("is_signed", "name")


def unsigned_counts(org_ids: list[int], year: int) -> dict[int, int]:
    if not org_ids:
        return {}
    return dict(
        school_staff(Q(org_id__in=org_ids))
        .filter(~_signed(year))
        .values("org_id")
        .annotate(n=Count("pk"))
        .values_list("org_id", "n")
        .order_by()
    )


def library(owner_id: int) -> list[tuple[Position, list[PositionDuty]]]:
    """Every standard position with its duty list in the bureau's library (two queries)."""
    items: dict[int, list[PositionDuty]] = {}
    for duty in PositionDuty.objects.filter(owner_id=owner_id).order_by("sort_order", "pk"):
        items.setdefault(duty.position_id, []).append(duty)
    return [(p, items.get(p.pk, [])) for p in Position.objects.order_by("sort_order", "code")]


def due_dates(bureau_id: int, year: int) -> tuple[date, date]:
    """(letters due, five in place due) in `year`, by the bureau's plan of that year."""
    from anwen.obligations.plans import Rules

    bureau = Org.objects.only("path").get(pk=bureau_id)
    rules = Rules(on=date(year, 1, 1))
    return (
        rules.get(LETTER_DUE, org=bureau).in_year(year),
        rules.get(FIVE_DUE, org=bureau).in_year(year),
    )


@dataclass
class FiveRow:
    org: Org
    assessment: FiveInPlace | None

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else ""

    @property
    def ratings(self) -> list[tuple[StrOrPromise, str]]:
        """(part label, rating label) in the order of the five parts; "" where not rated."""
        parts = {p.part: p for p in self.assessment.parts.all()} if self.assessment else {}
        return [
            (label, parts[code].get_rating_display() if code in parts else "")
            for code, label in Part.choices
        ]


def five_rows(*, user, year: int, under: Org | None = None, status: str = "") -> list[FiveRow]:
    """Every school in scope with its self-assessment for `year` (three queries)."""
    orgs = list(schools(user, under=under).select_related("parent").order_by("path"))
    assessments = {
        a.org_id: a
        for a in FiveInPlace.objects.filter(org__in=[o.pk for o in orgs], year=year)
        .select_related("submitted_by")
        .prefetch_related(Prefetch("parts", queryset=FiveInPlacePart.objects.order_by("pk")))
    }
    rows = [FiveRow(org=o, assessment=assessments.get(o.pk)) for o in orgs]
    if status == "none":
        rows = [r for r in rows if r.assessment is None]
    elif status:
        rows = [r for r in rows if r.status == status]
    return rows


def commitments(
    *, user, kind: str = "", year: int | None = None, under: Org | None = None, q: str = ""
) -> QuerySet[Commitment]:
    qs = scoped(Commitment.objects.all(), user).select_related("org", "org__parent")
    if under is not None:
        qs = qs.filter(within_q(under, "org"))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q))
    return qs.prefetch_related("evidence").order_by("-date", "-pk")
