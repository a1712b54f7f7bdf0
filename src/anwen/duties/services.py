"""Writes of the duties app: the library, letters, the five in place, commitments. Each write
is audited in its own transaction and reports the records that fulfil obligations."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.duties import library
from anwen.duties.models import (
    Commitment,
    CommitmentKind,
    FiveInPlace,
    FiveInPlacePart,
    FiveStatus,
    Part,
    PositionDuty,
    Rating,
    ResponsibilityLetter,
    SignMethod,
)
from anwen.errors import AppError
from anwen.evidence.services import EvidenceError, evidence_store
from anwen.obligations.services import record_add
from anwen.orgs.models import Org, OrgKind, Person, Position, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import has_perm, person_of

# Record kinds this app writes (registered in DutiesConfig.ready).
KIND_LETTER = "duties.letter"
KIND_FIVE = "duties.five_in_place"
KIND_COMMITMENT = "duties.commitment"  # a public commitment (公示承诺)
KIND_SELF_CHECK = "duties.self_check"  # a self-know, self-check, self-fix record

# The rule of SM1.2: a part rated "in place" must be backed by evidence.
EVIDENCE_REQUIRED_FOR = frozenset({Rating.IN_PLACE})


class DutyError(AppError):
    """A rule of the duties app was broken; the message is for the user."""


def bureau_id_of(org: Org) -> int:
    """The bureau at the root of the org's tree: its library and deadlines apply."""
    return int(org.path.split("/")[0])


# --- the library ------------------------------------------------------------------------------


def can_edit_library(user, owner: Org) -> bool:
    return owner.kind == OrgKind.BUREAU and (
        has_perm(user, "duties.manage", owner) or has_perm(user, "orgs.manage", owner)
    )


@transaction.atomic
def duty_library_load(*, owner: Org, by=None) -> int:
    """Copy the standard duty lists into `owner`'s library, for every standard position the
    library has no duty for yet (so a second run, or a bureau's own edits, change nothing).
    Returns the number of items added."""
    positions = {p.code: p for p in Position.objects.filter(code__in=library.DUTIES)}
    have = set(
        PositionDuty.objects.filter(owner=owner).values_list("position_id", flat=True).distinct()
    )
    rows = [
        PositionDuty(owner=owner, position=position, text=text, sort_order=(i + 1) * 10)
        for code, items in library.DUTIES.items()
        if (position := positions.get(code)) is not None and position.pk not in have
        for i, text in enumerate(items)
    ]
    PositionDuty.objects.bulk_create(rows, batch_size=500)
    if rows:
        audit.record(
            actor=by,
            action="duties.library.loaded",
            obj=owner,
            org=owner,
            data={"items": len(rows)},
        )
    return len(rows)


@transaction.atomic
def position_duties_set(*, owner: Org, position: Position, items: list[str], by) -> None:
    """Replace a position's duty list in `owner`'s library. Letters already signed keep the
    text they were signed with."""
    if not can_edit_library(by, owner):
        raise DutyError(_("Only the bureau may edit the duty library."))
    items = [text.strip() for text in items if text.strip()]
    if not items:
        raise DutyError(_("A position needs at least one duty."))
    old = list(
        PositionDuty.objects.filter(owner=owner, position=position).values_list("text", flat=True)
    )
    if old == items:
        return
    PositionDuty.objects.filter(owner=owner, position=position).delete()
    PositionDuty.objects.bulk_create(
        PositionDuty(owner=owner, position=position, text=text, sort_order=(i + 1) * 10)
        for i, text in enumerate(items)
    )
    audit.record(
        actor=by,
        action="duties.library.edited",
        obj=owner,
        org=owner,
        data={"position": position.code, "before": len(old), "after": len(items)},
    )


# --- letters ----------------------------------------------------------------------------------


def letter_content(person: Person) -> tuple[str, dict]:
    """The text a letter for `person` would hold now: (positions, content). One query for the
    positions, one for the duties."""
    positions = list(person.positions.order_by("sort_order", "code"))
    duties: dict[int, list[str]] = {p.pk: [] for p in positions}
    for position_id, text in (
        PositionDuty.objects.filter(owner_id=bureau_id_of(person.org), position__in=positions)
        .order_by("sort_order", "pk")
        .values_list("position_id", "text")
    ):
        duties[position_id].append(text)
    return "、".join(p.name for p in positions), {
        "preamble": library.LETTER_PREAMBLE,
        "duties": [{"position": p.name, "items": duties[p.pk]} for p in positions],
        "promise": library.LETTER_PROMISE,
    }


def _check_signable(person: Person, year: int) -> None:
    if not person.is_active or person.org.kind != OrgKind.SCHOOL:
        raise DutyError(_("Responsibility letters are signed by the active staff of a school."))
    if not person.positions.exists():
        raise DutyError(
            _("%(name)s holds no position, so there is no duty list to sign.")
            % {"name": person.name}
        )
    if ResponsibilityLetter.objects.filter(person=person, year=year).exists():
        raise DutyError(
            _("%(name)s has already signed the letter for %(year)d.")
            % {"name": person.name, "year": year}
        )


def _letter_create(
    *, person: Person, year: int, method: str, signed_on: date, by, signature: str = "", scan=None
) -> ResponsibilityLetter:
    positions, content = letter_content(person)
    letter = ResponsibilityLetter.objects.create(
        org=person.org,
        person=person,
        year=year,
        person_name=person.name,
        positions=positions,
        content=content,
        method=method,
        signed_on=signed_on,
        signed_at=timezone.now(),
        signed_by=by,
        signature=signature,
        scan=scan,
    )
    record_add(
        kind=KIND_LETTER,
        org=person.org,
        occurred_on=signed_on,
        by=by,
        subject_id=person.pk,
        source=letter,
    )
    audit.record(
        actor=by,
        action=f"duties.letter.{method}",
        obj=letter,
        org=person.org,
        data={"person": person.pk, "year": year, "positions": positions},
    )
    return letter


@transaction.atomic
def letter_sign(
    *, person: Person, year: int, by, accepted: bool, signature: str
) -> ResponsibilityLetter:
    """A member of staff signs their own letter online."""
    if person.user_id is None or person.user_id != getattr(by, "pk", None):
        raise DutyError(_("A letter can only be signed by the person it is for."))
    if not has_perm(by, "duties.sign", person.org):
        raise DutyError(_("Your role does not sign responsibility letters."))
    _check_signable(person, year)
    if not accepted:
        raise DutyError(_("Tick the box to confirm you have read the duties and will fulfil them."))
    if "".join(signature.split()) != "".join(person.name.split()):
        raise DutyError(
            _("Type your full name, %(name)s, as your signature.") % {"name": person.name}
        )
    _positions, content = letter_content(person)
    if not any(block["items"] for block in content["duties"]):
        raise DutyError(
            _(
                "The bureau has not yet set the duty lists of your positions: "
                "there is nothing to sign yet."
            )
        )
    return _letter_create(
        person=person,
        year=year,
        method=SignMethod.ONLINE,
        signed_on=timezone.localdate(),
        by=by,
        signature=person.name,
    )


@transaction.atomic
def letter_record_paper(
    *, person: Person, year: int, signed_on: date, scan, by
) -> ResponsibilityLetter:
    """The school's safety officer records a letter signed on paper, with its scan."""
    if not has_perm(by, "duties.manage", person.org):
        raise DutyError(_("Only the school's safety staff may record paper letters."))
    _check_signable(person, year)
    today = timezone.localdate()
    if signed_on > today:
        raise DutyError(_("The signing date cannot be in the future."))
    if signed_on.year != year:
        raise DutyError(_("The signing date must fall in %(year)d.") % {"year": year})
    if scan is None:
        raise DutyError(_("Upload the scan of the signed paper letter."))
    try:
        stored = evidence_store(upload=scan, org=person.org, by=by)
    except EvidenceError as exc:
        raise DutyError(str(exc)) from exc
    return _letter_create(
        person=person, year=year, method=SignMethod.PAPER, signed_on=signed_on, by=by, scan=stored
    )


# --- five in place ----------------------------------------------------------------------------


@dataclass
class PartInput:
    rating: str = ""
    statement: str = ""
    files: list = field(default_factory=list)  # uploads to add
    remove: list = field(default_factory=list)  # ids of evidence files to take off


def can_submit_five(user, school: Org) -> bool:
    """The principal (the school's legal representative) submits; the safety officer may
    prepare the draft."""
    if not has_perm(user, "duties.manage", school):
        return False
    if RoleAssignment.objects.filter(user=user, org=school, role=RoleName.PRINCIPAL).exists():
        return True
    profile = getattr(school, "school", None)
    return bool(
        profile
        and profile.legal_representative_id
        and Person.objects.filter(pk=profile.legal_representative_id, user=user).exists()
    )


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():  # from the start; the store reads it again from the start
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def five_save(*, school: Org, year: int, parts: dict[str, PartInput], by) -> FiveInPlace:
    """Save the draft of a school's five-in-place self-assessment."""
    if school.kind != OrgKind.SCHOOL or not has_perm(by, "duties.manage", school):
        raise DutyError(_("Only the school's principal or safety staff may fill this in."))
    assessment, _created = FiveInPlace.objects.select_for_update().get_or_create(
        org=school, year=year
    )
    if assessment.is_submitted:
        raise DutyError(
            _("The self-assessment for %(year)d has been submitted and can no longer be changed.")
            % {"year": year}
        )
    existing = {p.part: p for p in assessment.parts.all()}
    for code in Part.values:
        data = parts.get(code, PartInput())
        if data.rating and data.rating not in Rating.values:
            raise DutyError(_("Unknown rating."))
        part = existing.get(code) or FiveInPlacePart(assessment=assessment, part=code)
        part.rating = data.rating
        part.statement = data.statement.strip()
        part.save()
        if data.remove:
            part.evidence.remove(*part.evidence.filter(pk__in=data.remove))
        for upload in data.files:
            if part.evidence.filter(sha256=_sha256(upload)).exists():
                # The same file again (a resent form without its token, the same document
                # chosen twice): it is there already, a second copy proves nothing more.
                continue
            try:
                part.evidence.add(evidence_store(upload=upload, org=school, by=by))
            except EvidenceError as exc:
                raise DutyError(
                    _("%(part)s: %(error)s") % {"part": Part(code).label, "error": exc}
                ) from exc
    assessment.save(update_fields=["updated_at"])
    audit.record(
        actor=by,
        action="duties.five_in_place.saved",
        obj=assessment,
        org=school,
        data={"year": year},
    )
    return assessment


def five_problems(assessment: FiveInPlace) -> list[str]:
    """What stops the self-assessment from being submitted: every part needs a rating and a
    statement, and a part rated "in place" needs at least one evidence file."""
    problems = []
    parts = {p.part: p for p in assessment.parts.all().prefetch_related("evidence")}
    for code, label in Part.choices:
        part = parts.get(code)
        if part is None or not part.rating:
            problems.append(_("%(part)s: choose a self-rating.") % {"part": label})
            continue
        if not part.statement.strip():
            problems.append(_("%(part)s: write the statement.") % {"part": label})
        if part.rating in EVIDENCE_REQUIRED_FOR and not part.evidence.all():
            problems.append(
                _('%(part)s: a part rated "%(rating)s" needs at least one evidence file.')
                % {"part": label, "rating": Rating(part.rating).label}
            )
    return problems


@transaction.atomic
def five_submit(*, assessment: FiveInPlace, by) -> FiveInPlace:
    assessment = FiveInPlace.objects.select_for_update().select_related("org").get(pk=assessment.pk)
    school = assessment.org
    if not can_submit_five(by, school):
        raise DutyError(
            _(
                "Only the principal, as the school's legal representative, may "
                "submit the self-assessment."
            )
        )
    if assessment.is_submitted:
        raise DutyError(
            _("The self-assessment for %(year)d has already been submitted.")
            % {"year": assessment.year}
        )
    problems = five_problems(assessment)
    if problems:
        raise DutyError(" ".join(problems))
    person = person_of(by)
    assessment.status = FiveStatus.SUBMITTED
    assessment.submitted_by = by
    assessment.submitted_name = person.name if person else str(by)
    assessment.submitted_at = timezone.now()
    assessment.save()
    record_add(
        kind=KIND_FIVE,
        org=school,
        occurred_on=timezone.localdate(),
        by=by,
        source=assessment,
        submitted_at=assessment.submitted_at,
    )
    audit.record(
        actor=by,
        action="duties.five_in_place.submitted",
        obj=assessment,
        org=school,
        data={"year": assessment.year},
    )
    return assessment


# --- commitments ------------------------------------------------------------------------------


def record_kind(kind: str) -> str:
    """The obligations record kind of a commitment: a self-check is no public commitment, so
    it does not fulfil the obligation to publish one."""
    return KIND_SELF_CHECK if kind == CommitmentKind.SELF_CHECK else KIND_COMMITMENT


@transaction.atomic
def commitment_record(
    *,
    school: Org,
    kind: str,
    date: date,
    title: str,
    content: str,
    location: str,
    signer: str,
    risks_found: int = 0,
    risks_fixed: int = 0,
    files=(),
    by,
) -> Commitment:
    """Record a public commitment or a self-know/self-check/self-fix record of a school."""
    if school.kind != OrgKind.SCHOOL or not has_perm(by, "duties.manage", school):
        raise DutyError(_("Only the school's principal or safety staff may record this."))
    if kind not in CommitmentKind.values:
        raise DutyError(_("Unknown kind of record."))
    if date > timezone.localdate():
        raise DutyError(_("The date cannot be in the future."))
    if kind == CommitmentKind.PUBLIC and not location.strip():
        raise DutyError(_("Say where the commitment is published."))
    if risks_fixed > risks_found:
        raise DutyError(_("More risks fixed than found: check the numbers."))
    commitment = Commitment.objects.create(
        org=school,
        kind=kind,
        date=date,
        title=title.strip(),
        content=content.strip(),
        location=location.strip(),
        signer=signer.strip(),
        risks_found=risks_found,
        risks_fixed=risks_fixed,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    stored = []
    for upload in files:
        try:
            stored.append(evidence_store(upload=upload, org=school, by=by))
        except EvidenceError as exc:
            raise DutyError(str(exc)) from exc
    if stored:
        commitment.evidence.set(stored)
    record_add(
        kind=record_kind(kind),
        org=school,
        occurred_on=date,
        by=by,
        source=commitment,
        evidence=stored,
    )
    audit.record(
        actor=by,
        action=f"duties.commitment.{kind}",
        obj=commitment,
        org=school,
        data={"date": date.isoformat(), "title": commitment.title},
    )
    return commitment
