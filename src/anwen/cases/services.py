"""Writes of the case engine. A case is registered through `case_register` and every later
step goes through `case_step`, which fires the type's declared transition on the workflow
engine (lock, refusal in words, event, audit) with what the type's `Step` declares it writes."""

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from anwen import audit
from anwen.errors import AppError
from anwen.orgs.models import Org
from anwen.orgs.scope import has_perm
from anwen.workflow import engine, moment
from anwen.workflow.grants import grant
from anwen.workflow.models import Event

from .models import Case
from .types import CaseType, type_of
from .who import GRANTS, HANDLER, forget


class CaseError(AppError):
    """A case service refused; the message is for the user."""


def _digest(purpose: str, value: str) -> str:
    return salted_hmac(f"anwen.cases.{purpose}", value).hexdigest()


def writer_key(*, name: str = "", phone: str = "") -> str:
    """A keyed digest of who wrote: the phone number when given (the surest), else the name.
    Equal for the same writer, unreadable and unsearchable as text."""
    phone = "".join(ch for ch in phone if ch.isdigit())
    name = "".join(name.split())
    ident = f"phone:{phone}" if phone else (f"name:{name}" if name else "")
    return _digest("writer", ident) if ident else ""


def public_key(code: str) -> str:
    """The digest a tracking code is kept and found by; dashes, spaces and case do not count."""
    return _digest("public", "".join(ch for ch in code if ch.isalnum()).upper())


def _next_number(case_type: CaseType, year: int) -> str:
    prefix = f"{case_type.prefix}-{year}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
    ).first()
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def case_register(
    *,
    case_type: CaseType,
    org: Org,
    by,
    subject: str,
    content: str = "",
    channel: str = "",
    received_at: datetime | None = None,
    people: dict | None = None,
    details: dict | None = None,
    private: dict | None = None,
    files=(),
    urgent: bool = False,
    repeat_of: Case | None = None,
    public_code: str = "",
    check_perm: bool = True,
) -> Case:
    """Register a case of `case_type` for `org`. The person registering is its first receiver
    (首接责任) and owner, and a named handler, until it is handed over. `check_perm=False` for
    the public write-in page, which has no person."""
    if org.kind not in case_type.org_kinds:
        raise CaseError(_("This kind of case is registered by another kind of org."))
    if check_perm and not has_perm(by, case_type.register_perm, org):
        raise CaseError(_("You may not register this kind of case here."))
    subject = " ".join((subject or "").split())[:200]
    if not subject:
        raise CaseError(_("Give the matter a subject."), field="subject")
    if case_type.channels is not None and channel not in case_type.channels.values:
        raise CaseError(_("Choose how it came in."), field="channel")
    now = moment.now()
    received_at = received_at or now
    if received_at > now:
        raise CaseError(_("It cannot have been received in the future."), field="received_at")
    if received_at.year < 2000:
        raise CaseError(_("Give a date from the year 2000 on."), field="received_at")
    people = {k: str(v).strip() for k, v in (people or {}).items() if str(v or "").strip()}
    person = by if getattr(by, "pk", None) else None
    writer = writer_key(name=people.get("name", ""), phone=people.get("phone", ""))
    if repeat_of is None and writer:
        # The same writer wrote before (PS1.6): linked to their latest earlier case here.
        repeat_of = (
            Case.objects.filter(type=case_type.code, org=org, writer_key=writer)
            .order_by("-received_at", "-pk")
            .first()
        )
    for attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    type=case_type.code,
                    number=_next_number(case_type, timezone.localtime(received_at).year),
                    org=org,
                    state=case_type.workflow.initial,
                    channel=channel,
                    received_at=received_at,
                    urgent=urgent or case_type.urgent,
                    subject=subject,
                    content=(content or "").strip(),
                    people=people,
                    details=details or {},
                    private=private or {},
                    first_receiver=person,
                    owner=person,
                    repeat_of=repeat_of,
                    writer_key=writer_key(
                        name=people.get("name", ""), phone=people.get("phone", "")
                    ),
                    public_key=public_key(public_code) if public_code else "",
                    closed=case_type.workflow.initial in case_type.closed_states,
                    created_by=person,
                )
                break
        except IntegrityError:
            if attempt == 4:
                raise
    else:  # pragma: no cover - the loop breaks or raises
        raise CaseError(_("Please try again."))
    with transaction.atomic():
        if files:
            case.files.set(files)
        if person is not None:
            grant(record_type=GRANTS, record_id=case.pk, user=person, reason=HANDLER)
            forget(person)
        engine.start(case_type.workflow, case, by=person)
        if case.urgent:
            from . import notices

            event = Event.objects.filter(
                record_type=case_type.workflow.code, record_id=case.pk
            ).last()
            notices.tell(case, "alarm", notices.handlers(case) + notices.supervisors(case), event)
    return case


# Keys a step may pass to the engine's event data: numbers and choices, never text a person
# wrote (the audit row copies the event's short data, and a reply may name the writer).
_ENGINE_KEYS = ("days",)


def case_step(*, case: Case, name: str, by, note: str = "", cleaned: dict | None = None) -> Event:
    """Take step `name` of the case's type as `by` with the step form's `cleaned` data."""
    case_type = type_of(case)
    step = case_type.step(name)
    cleaned = dict(cleaned or {})
    data = {k: cleaned[k] for k in _ENGINE_KEYS if cleaned.get(k) is not None}

    def change(locked: Case) -> list[str]:
        fields = list(step.change(locked, cleaned, by)) if step.change else []
        return fields

    with transaction.atomic():
        event = engine.fire(
            case_type.workflow, case, name, by=by, note=note, data=data, change=change
        )
        closed = case.state in case_type.closed_states
        if closed != case.closed:
            case.closed = closed
            case.save(update_fields=["closed"])
        if step.after:
            step.after(case, cleaned, by, event)
    return event


def log_view(*, case: Case, by, request=None) -> None:
    """A confidential case's content was shown to `by`: the trail keeps who and when, and
    which case by its id only."""
    audit.record_view(actor=by, obj=case, request=request)


def new_public_code() -> str:
    """An unguessable tracking code for a writer: 16 characters from an alphabet without the
    letters people confuse (0/O, 1/I/L), about 80 bits."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))
