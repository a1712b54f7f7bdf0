"""The shortfall list (SM3.2): each school's guards who count (on duty, full-time, with a
valid certificate) against the number the plan's norm requires of it, summed by centre and for
the district. A fixed number of queries whatever the number of schools: one for the schools
with their counted guards, and the plan's (`Rules`: the plans once, the norm's values once)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, OrgKind
from anwen.orgs.scope import paths_q

from .registers import valid_q
from .rules import STAFFING, required_guards


@dataclass(frozen=True)
class SchoolGuards:
    school: Org
    required: int
    counted: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted)


@dataclass
class Group:
    """A centre (or the bureau, for the schools it runs itself) and its schools."""

    org: Org
    schools: int = 0
    required: int = 0
    counted: int = 0
    short: list[SchoolGuards] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(s.missing for s in self.short)

    def add(self, row: SchoolGuards) -> None:
        self.schools += 1
        self.required += row.required
        self.counted += row.counted
        if row.missing:
            self.short.append(row)


@dataclass
class Shortfall:
    groups: list[Group]
    total: Group | None  # the district's line (None: no school in view)

    @property
    def short(self) -> list[SchoolGuards]:
        return [s for g in self.groups for s in g.short]


def school_guards(paths: Sequence[str], *, today: date) -> list[SchoolGuards]:
    """Every active school under `paths`, with its required and counted guards, in tree order."""
    schools = (
        Org.objects.filter(
            paths_q(paths), kind=OrgKind.SCHOOL, is_active=True, school__isnull=False
        )
        .select_related("school", "parent")
        .annotate(counted=Count("guards", filter=valid_q(today, "guards__")))
        .order_by("path")
    )
    rules = Rules(on=today)
    return [
        SchoolGuards(
            school=s,
            required=required_guards(s.school, rules.get(STAFFING, org=s)),
            counted=s.counted,
        )
        for s in schools
    ]


def shortfall(paths: Sequence[str], *, today: date) -> Shortfall:
    groups: dict[int, Group] = {}
    total: Group | None = None
    for row in school_guards(paths, today=today):
        parent = row.school.parent or row.school
        groups.setdefault(parent.pk, Group(parent)).add(row)
        if total is None:
            total = Group(row.school)  # the district's line: its org is not shown
        total.add(row)
    ordered = sorted(groups.values(), key=lambda g: g.org.path)
    return Shortfall(ordered, total)
