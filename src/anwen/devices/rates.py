"""The networked-to-police rate (SM3.1): by device type, school type and centre, against the
plan's target per school type, and the schools that hold it down.

One grouped query counts the devices in service of the user's scope per school and type; the
rest is arithmetic on those few hundred rows, so the page asks the same handful of queries for
a school, a centre and the district (and for 200 or 4,000 schools)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from anwen.obligations.plans import Rules
from anwen.orgs.models import Org, SchoolType
from anwen.orgs.scope import paths_q
from anwen.registers.selectors import visible_paths

from .models import Device, Kind
from .registers import DEVICES
from .rules import NETWORK_TARGETS

MET, BEHIND, LATE = "met", "behind", "late"  # a target reached; not yet, before its day; after it
STATES = {
    MET: (gettext_lazy("Target met"), "state-done"),
    BEHIND: (gettext_lazy("Below the target"), "state-soon"),
    LATE: (gettext_lazy("Target date passed"), "state-overdue"),
}


@dataclass
class Tally:
    total: int = 0
    networked: int = 0

    def add(self, total: int, networked: int) -> None:
        self.total += total
        self.networked += networked

    @property
    def missing(self) -> int:
        return self.total - self.networked

    @property
    def percent(self) -> float | None:
        return 100 * self.networked / self.total if self.total else None

    def __str__(self) -> str:  # as a table cell writes it: "95.2% (40/42)"
        if not self.total:
            return "—"
        return f"{self.percent:.1f}% ({self.networked}/{self.total})"


@dataclass(frozen=True)
class Target:
    percent: int
    by: date
    kinds: frozenset[str]

    def state(self, tally: Tally, today: date) -> str:
        if tally.total == 0 or (tally.percent or 0) >= self.percent:
            return MET
        return LATE if today > self.by else BEHIND


@dataclass
class Line:
    """One line of a table: a tally per device type and all types, and the target's."""

    key: str
    label: Any
    kinds: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    all: Tally = field(default_factory=Tally)
    target: Target | None = None
    counted: Tally = field(default_factory=Tally)  # the devices the target counts
    state: str = ""

    def add(self, kind: str, total: int, networked: int) -> None:
        self.kinds[kind].add(total, networked)
        self.all.add(total, networked)
        if self.target is not None and kind in self.target.kinds:
            self.counted.add(total, networked)

    @property
    def state_label(self) -> Any:
        return STATES[self.state][0] if self.state else ""

    @property
    def state_class(self) -> str:
        return STATES[self.state][1] if self.state else ""

    def cells(self) -> list[Tally]:
        return [self.kinds[k] for k in Kind.values]

    def labelled(self) -> list[tuple[Any, Tally]]:
        return [(label, self.kinds[code]) for code, label in Kind.choices]


@dataclass
class School(Line):
    org_id: int = 0
    centre: str = ""
    school_type: str = ""


@dataclass
class Rates:
    total: Line
    by_type: list[Line]
    by_centre: list[Line]
    below: list[School]  # the schools under their type's target, the most missing first
    kinds: list[tuple[str, Any]]


def targets(org: Org, *, today: date) -> dict[str, Target]:
    raw = Rules(on=today).get(NETWORK_TARGETS, org=org)
    return {
        school_type: Target(
            int(t["percent"]), date.fromisoformat(t["by"]), frozenset(t.get("kinds", Kind.values))
        )
        for school_type, t in raw.items()
    }


def _bureau(paths: list[str]) -> Org | None:
    """The org whose plan sets the targets: the root of the scope (its bureau)."""
    root = paths[0].split("/")[0] if paths else ""
    return Org.objects.filter(pk=int(root)).first() if root.isdigit() else None


def networked_rates(user, *, today: date) -> Rates | None:
    """The rates of the devices the user sees (None: no devices register for the user)."""
    paths = visible_paths(user, DEVICES)
    bureau = _bureau(paths)
    if bureau is None:
        return None
    goals = targets(bureau, today=today)
    rows = (
        Device.objects.filter(paths_q(paths, "org"), in_service=True)
        .values("org_id", "org__name", "org__parent__name", "org__school__school_type", "kind")
        .annotate(n=Count("pk"), on=Count("pk", filter=Q(networked=True)))
        .order_by()
    )
    # Named once per type, not once per school (a lazy label translates each time it is read).
    type_labels = {code: str(label) for code, label in SchoolType.choices}
    total = Line("", "")
    types: dict[str, Line] = {}
    centres: dict[str, Line] = {}
    schools: dict[int, School] = {}
    for row in rows:
        school_type = row["org__school__school_type"] or ""
        centre = row["org__parent__name"] or ""
        goal = goals.get(school_type)
        kind, n, on = row["kind"], row["n"], row["on"]
        total.add(kind, n, on)
        if school_type not in types:
            types[school_type] = Line(school_type, type_labels.get(school_type, "—"), target=goal)
        types[school_type].add(kind, n, on)
        centres.setdefault(centre, Line(centre, centre)).add(kind, n, on)
        if row["org_id"] not in schools:
            schools[row["org_id"]] = School(
                str(row["org_id"]),
                row["org__name"],
                target=goal,
                org_id=row["org_id"],
                centre=centre,
                school_type=type_labels.get(school_type, ""),
            )
        schools[row["org_id"]].add(kind, n, on)
    order = {code: i for i, code in enumerate(SchoolType.values)}
    by_type = sorted(types.values(), key=lambda line: order.get(line.key, len(order)))
    for line in [*by_type, *schools.values()]:
        if line.target is not None:
            line.state = line.target.state(line.counted, today)
    below = [s for s in schools.values() if s.state in (BEHIND, LATE)]
    below.sort(key=lambda s: (-s.counted.missing, str(s.label)))
    return Rates(
        total=total,
        by_type=by_type,
        by_centre=sorted(centres.values(), key=lambda line: line.key),
        below=below,
        kinds=list(Kind.choices),
    )
