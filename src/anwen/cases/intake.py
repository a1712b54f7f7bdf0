"""What the public write-in page (`anwen.public`) asks of the case engine: register what a
parent wrote as a petition, and answer a tracking code with the stage and the reply — nothing
else, and the same nothing for every code that is not one."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from anwen.evidence.services import evidence_store
from anwen.obligations.plans import rule
from anwen.orgs.models import Org, OrgKind, RoleAssignment
from anwen.orgs.roles import ROLES, RoleName
from anwen.workflow.grants import grant

from .models import Case
from .petitions import PETITION, Channel
from .rules import ACCEPT, HANDLE
from .services import case_register, new_public_code, public_key
from .types import type_of
from .who import GRANTS, HANDLER


@dataclass(frozen=True)
class PublicStatus:
    stage: str
    reply: str
    received_on: date
    # The plan's limits in force when it was received, for "no reply yet: within N days".
    accept_days: int = 0
    handle_days: int = 0


def public_bureaus() -> list[Org]:
    return list(Org.objects.filter(kind=OrgKind.BUREAU, is_active=True).order_by("path"))


def write_in(
    *,
    bureau: Org,
    subject: str,
    content: str,
    name: str = "",
    phone: str = "",
    files: Sequence = (),
    request: HttpRequest | None = None,
) -> str:
    """Register a petition written in on the public page; returns its tracking code, which is
    kept only as a keyed digest (shown to the writer once)."""
    code = new_public_code()
    with transaction.atomic():
        stored = [evidence_store(upload=f, org=bureau, by=None, confidential=True) for f in files]
        case = case_register(
            case_type=PETITION,
            org=bureau,
            by=None,
            subject=subject,
            content=content,
            channel=Channel.ONLINE,
            people={"name": name, "phone": phone},
            files=stored,
            public_code=code,
            check_perm=False,
        )
        # No one received it in person: the bureau's petitions office is its first receiver,
        # each clerk a named handler, so they read it and route it.
        for clerk in _petitions_office(bureau):
            grant(record_type=GRANTS, record_id=case.pk, user=clerk, reason=HANDLER)
    return code


def _petitions_office(bureau: Org) -> list:
    """The clerks of the bureau's petitions office (the role CASE_CLERK held at the bureau);
    without one, those who register petitions there."""
    rows = RoleAssignment.objects.filter(org=bureau, user__is_active=True)
    clerks = [ra.user for ra in rows.filter(role=RoleName.CASE_CLERK).select_related("user")]
    if clerks:
        return clerks
    return [
        ra.user
        for ra in rows.select_related("user")
        if PETITION.register_perm in ROLES[ra.role].perms
    ]


# The longest text taken for a code (a code is 19 characters; the rest is someone's guess).
MAX_CODE = 64


def public_status(code: str) -> PublicStatus | None:
    """The stage and reply for a tracking code, or None. Every code that finds nothing costs
    the same work, whatever it looks like: a code of the wrong shape is looked up too (as a
    digest no case has), so how long the answer takes tells nothing of why it found none."""
    text = (code or "")[: MAX_CODE + 1]
    alnum = "".join(ch for ch in text if ch.isalnum())
    shaped = len(text) <= MAX_CODE and 10 <= len(alnum) <= 40
    case = Case.objects.filter(public_key=public_key(text if shaped else "")).first()
    if case is None or not shaped:
        return None
    case_type = type_of(case)
    received_on = timezone.localtime(case.received_at).date()
    return PublicStatus(
        stage=str(case_type.public_stages.get(case.state, "")),
        reply=case.reply,
        received_on=received_on,
        accept_days=rule(ACCEPT, org=case.org, on=received_on).days,
        handle_days=rule(HANDLE, org=case.org, on=received_on).days,
    )
