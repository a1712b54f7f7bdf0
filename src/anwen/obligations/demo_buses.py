"""Demo attendance of the bus crews' sessions (SM8.3). The rhythm engine's demo logs the
routine activities of every school that owes them — the drivers' monthly training and the
crews' weekly safety study where a school runs buses (a bus driver or attendant on its staff:
`buses.RUNS_BUSES`) — and this gives each of those records its attendance: most of the crew
present, now and then one or two absent. Bulk: two statements whatever the size."""

import random
from collections import defaultdict

from anwen.obligations.attendance import Attendance
from anwen.obligations.buses import CREW, DRIVER_TRAINING, DRIVERS, SAFETY_STUDY
from anwen.obligations.models import Record
from anwen.orgs.models import Org, Person
from anwen.orgs.scope import within_q


def load_bus_attendance(*, bureau: Org, rng: random.Random) -> int:
    records = list(
        Record.objects.filter(
            within_q(bureau, "org"),
            kind__in=[DRIVER_TRAINING, SAFETY_STUDY],
            attendance__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "org_id", "kind")
    )
    if not records:
        return 0
    expected: dict[tuple[int, str], list[int]] = defaultdict(list)
    for person_id, org_id, position in (
        Person.positions.through.objects.filter(
            person__org_id__in={org for _pk, org, _k in records},
            person__is_active=True,
            position__code__in=list(CREW),
        )
        .order_by("person_id")
        .values_list("person_id", "person__org_id", "position__code")
    ):
        expected[(org_id, SAFETY_STUDY)].append(person_id)
        if position in DRIVERS:
            expected[(org_id, DRIVER_TRAINING)].append(person_id)
    rows, present = [], []
    for pk, org_id, kind in records:
        crew = sorted(set(expected.get((org_id, kind), ())))
        if not crew:
            continue
        missing = rng.choices([0, 1, 2], weights=[80, 16, 4])[0] if len(crew) > 1 else 0
        there = rng.sample(crew, k=max(1, len(crew) - missing))
        rows.append(Attendance(record_id=pk, absent=len(crew) - len(there)))
        present.append(there)
    made = Attendance.objects.bulk_create(rows, batch_size=1000)
    through = Attendance.present.through
    through.objects.bulk_create(
        [
            through(attendance_id=a.pk, person_id=person)
            for a, people in zip(made, present, strict=True)
            for person in people
        ],
        batch_size=2000,
    )
    return len(made)
