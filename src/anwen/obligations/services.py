"""Writes of the rhythm engine. (First cut laid with the skeleton; the obligations work fills in
period generation, plan editing and the rest.)"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from anwen import calendar
from anwen.obligations.models import Period, Record


class ObligationError(Exception):
    """A rule of the rhythm engine was broken; the message is for the user."""


@transaction.atomic
def record_add(*, kind: str, org, occurred_on: date, by=None, subject_id: int = 0, note: str = "",
               source=None, evidence=(), submitted_at=None) -> Record:
    """Note that a record of `kind` exists for `org` (and subject) on `occurred_on`, and count it
    towards every open period it falls in. Call it inside the transaction that writes the
    record itself."""
    record = Record.objects.create(
        kind=kind, org=org, subject_id=subject_id, occurred_on=occurred_on,
        submitted_at=submitted_at or timezone.now(), by=by, note=note,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=str(source.pk) if source is not None else "",
    )
    if evidence:
        record.evidence.set(evidence)
    _count(record)
    return record


def _count(record: Record) -> None:
    periods = (
        Period.objects.select_for_update()
        .select_related("obligation")
        .filter(obligation__record_kind=record.kind, org=record.org, subject_id=record.subject_id,
                start__lte=record.occurred_on, end__gte=record.occurred_on)
    )
    for period in periods:
        period.records += 1
        if period.done_at is None and period.records >= period.obligation.times:
            period.done_at = record.submitted_at
            period.on_time = record.submitted_at < calendar.ends_at(period.due)
        period.save(update_fields=["records", "done_at", "on_time"])
