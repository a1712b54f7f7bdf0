"""Reads of the safety funding: the year's sums of planned and spent money per purpose, per
centre and for the district (OG1), over the records the user may see — three grouped queries
however many schools there are."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from anwen.registers.selectors import visible_records

from .models import Funding, Purpose
from .registers import FUNDING

ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    """A sum to the fen: SQLite gives sums of decimals without their places."""
    return Decimal(value or 0).quantize(ZERO)


@dataclass(frozen=True)
class Sums:
    name: str
    planned: Decimal
    spent: Decimal

    @property
    def share(self) -> Decimal | None:
        """Spent as a percentage of planned, to one decimal; None where nothing was planned."""
        if not self.planned:
            return None
        return (self.spent * 100 / self.planned).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Summary:
    year: int
    years: list[int]
    purposes: list[Sums]
    centres: list[Sums]
    total: Sums
    schools: int


def visible_funding(user) -> QuerySet[Funding]:
    return visible_records(user, FUNDING)


def _sums():
    money: DecimalField = DecimalField(max_digits=20, decimal_places=2)
    return {
        "planned_sum": Coalesce(Sum("planned"), Value(ZERO), output_field=money),
        "spent_sum": Coalesce(Sum("spent"), Value(ZERO), output_field=money),
    }


def summary(user, *, year: int) -> Summary:
    rows = visible_funding(user).order_by()
    years = sorted(
        set(rows.values_list("year", flat=True).distinct()) | {year}, reverse=True
    )  # query 1
    of_year = rows.filter(year=year)
    by_purpose = {r["purpose"]: r for r in of_year.values("purpose").annotate(**_sums())}  # query 2
    purposes = [
        Sums(
            str(label),
            _money(by_purpose.get(code, {}).get("planned_sum")),
            _money(by_purpose.get(code, {}).get("spent_sum")),
        )
        for code, label in Purpose.choices
    ]
    centres_rows = (
        of_year.values("org__parent_id", "org__parent__name", "org__parent__path")
        .annotate(**_sums(), schools=Count("org_id", distinct=True))
        .order_by("org__parent__path")
    )  # query 3
    centres = []
    schools = 0
    for r in centres_rows:
        centres.append(
            Sums(r["org__parent__name"] or "", _money(r["planned_sum"]), _money(r["spent_sum"]))
        )
        schools += r["schools"]
    total = Sums(
        "",
        sum((p.planned for p in purposes), ZERO),
        sum((p.spent for p in purposes), ZERO),
    )
    return Summary(year, years, purposes, centres, total, schools)
