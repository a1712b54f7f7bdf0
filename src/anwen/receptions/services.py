"""Writing the reception schedule: every write checks who may make it, runs in one
transaction and leaves its audit event there."""

from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen import audit
from anwen.errors import AppError
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm

from .models import Reception, ReceptionKind, ReceptionStatus
from .selectors import PERMS, leaders_of


class ReceptionError(AppError):
    pass


def _may_keep(user, bureau: Org) -> bool:
    return any(has_perm(user, perm, bureau) for perm in PERMS)


def _check(*, by, bureau: Org, leader, kind: str) -> None:
    if not _may_keep(by, bureau):
        raise ReceptionError(_("You do not keep this bureau's reception schedule."))
    if kind not in ReceptionKind.values:
        raise ReceptionError(_("Choose the kind of reception."), field="kind")
    if not leaders_of(bureau).filter(pk=leader.pk).exists():
        raise ReceptionError(
            _("Choose one of the bureau's leaders: only they receive petitioners."),
            field="leader",
        )


def _case(*, by, bureau: Org, number: str):
    """The case a reception is about, by its number, among the bureau's cases `by` sees
    (None for no number); a number that is no such case is refused with a message."""
    from anwen.cases.selectors import visible_cases
    from anwen.orgs.scope import within_q

    number = "".join((number or "").split()).upper()
    if not number:
        return None
    case = visible_cases(by, full=True).filter(within_q(bureau, "org"), number=number).first()
    if case is None:
        raise ReceptionError(
            _("There is no case with this number among this bureau's cases you see."),
            field="case_number",
        )
    return case


def _data(reception: Reception) -> dict:
    # The schedule's facts, never the topic or the outcome (free text may name a person).
    return {
        "kind": reception.kind,
        "date": reception.date,
        "leader": reception.leader_id,
        "status": reception.status,
        "case": reception.case_id,
    }


@transaction.atomic
def reception_plan(
    *,
    bureau: Org,
    leader,
    kind: str,
    on: date,
    at: time,
    place: str,
    topic: str,
    case_number: str = "",
    by,
    request=None,
) -> Reception:
    _check(by=by, bureau=bureau, leader=leader, kind=kind)
    case = _case(by=by, bureau=bureau, number=case_number)
    reception = Reception.objects.create(
        org=bureau,
        leader=leader,
        kind=kind,
        date=on,
        time=at,
        place=place.strip(),
        topic=topic.strip(),
        case=case,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="receptions.reception.planned",
        obj=reception,
        data=_data(reception),
        request=request,
    )
    return reception


def _locked(reception: Reception) -> Reception:
    return (
        Reception.objects.select_for_update().select_related("org", "leader").get(pk=reception.pk)
    )


def _still_planned(reception: Reception) -> None:
    if reception.status != ReceptionStatus.PLANNED:
        raise ReceptionError(
            _("This reception was already %(status)s: it is kept as it was.")
            % {"status": reception.get_status_display()}
        )


@transaction.atomic
def reception_change(
    *,
    reception: Reception,
    leader,
    kind: str,
    on: date,
    at: time,
    place: str,
    topic: str,
    case_number: str = "",
    by,
    request=None,
) -> Reception:
    reception = _locked(reception)
    _check(by=by, bureau=reception.org, leader=leader, kind=kind)
    _still_planned(reception)
    reception.case = _case(by=by, bureau=reception.org, number=case_number)
    reception.leader, reception.kind, reception.date, reception.time = leader, kind, on, at
    reception.place, reception.topic = place.strip(), topic.strip()
    reception.save()
    audit.record(
        actor=by,
        action="receptions.reception.changed",
        obj=reception,
        data=_data(reception),
        request=request,
    )
    return reception


@transaction.atomic
def reception_close(*, reception: Reception, held: bool, note: str, by, request=None) -> Reception:
    """Mark a planned reception held (what came of it is required) or cancelled (why, if
    given)."""
    reception = _locked(reception)
    if not _may_keep(by, reception.org):
        raise ReceptionError(_("You do not keep this bureau's reception schedule."))
    _still_planned(reception)
    note = note.strip()
    if held and not note:
        raise ReceptionError(
            _("Say what came of the reception: the outcome is its record."), field="note"
        )
    if held and reception.date > timezone.localdate():
        raise ReceptionError(
            _("This reception is planned for %(day)s: it cannot have been held yet.")
            % {"day": reception.date.isoformat()}
        )
    reception.status = ReceptionStatus.HELD if held else ReceptionStatus.CANCELLED
    reception.outcome = note
    reception.closed_at = timezone.now()
    reception.save(update_fields=["status", "outcome", "closed_at"])
    audit.record(
        actor=by,
        action="receptions.reception.held" if held else "receptions.reception.cancelled",
        obj=reception,
        data=_data(reception),
        request=request,
    )
    return reception
