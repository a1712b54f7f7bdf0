"""The public write-in page's two operations over the API, with no token: write in
(`POST /api/v1/public/write-in`) and follow a tracking code (`POST /api/v1/public/status`).

The same rules as the page (`anwen.public`), by calling the same pieces: the per-address
hourly limit (`limits`, 429 when used up), the offline check question (`challenge`: a client
fetches one from the page's `GET /public/challenge/new/`, shows its picture and posts the
token and the answer), the page's form for what a field may hold, and the case engine's
`intake.write_in` / `intake.public_status`. A code that finds nothing, whatever it looks like,
gets the same answer. Attachments are the page's only (a form upload, checked there).

An operator who opens the public page to the internet and wants these too exposes
`/api/v1/public/` beside `/public/` (README)."""

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from anwen.cases import intake
from anwen.cases.services import CaseError
from anwen.once.tokens import AlreadySent, claim

router = Router(tags=["public"], auth=None)


class WriteInIn(Schema):
    bureau: int = Field(description="The bureau written to (the page's list).")
    subject: str
    content: str
    name: str = ""
    phone: str = ""
    challenge: str = Field(description="The token of a question from /public/challenge/new/.")
    answer: int
    once: str = Field("", description="Optional one-time token: the same token writes once.")


class WriteInOut(Schema):
    code: str = Field(description="The tracking code, told once: it is kept only as a digest.")


class StatusIn(Schema):
    code: str


class StatusOut(Schema):
    found: bool
    stage: str | None
    reply: str | None
    received_on: date | None


class LimitOut(Schema):
    detail: str


# The public page's pieces are imported where used: `anwen.api` wires this router only when
# the page's app is installed, and a walk over every module (tests/test_errors.py) must import
# this one on an installation without it.


def _limit(request: HttpRequest, bucket: str) -> Status | None:
    from anwen.public import limits

    try:
        limits.count_post(request, bucket)
    except limits.RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    return None


@router.post("/write-in", response={201: WriteInOut, 429: LimitOut})
def public_write_in(request: HttpRequest, payload: WriteInIn):
    """Write in as a parent. 201 with the tracking code; 422 naming the field for input the
    page would refuse (a wrong or used answer to the question: `answer`); 429 when this
    address has used up its hour."""
    from anwen.public import challenge, limits
    from anwen.public.forms import WriteInForm

    refused = _limit(request, limits.WRITE_IN)
    if refused is not None:
        return refused
    bureaus = intake.public_bureaus()
    form = WriteInForm(
        payload.dict(include={"bureau", "subject", "content", "name", "phone", "once"}),
        bureaus=bureaus,
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise CaseError(" ".join(str(e) for e in errors), field=field)
    challenge.check(payload.challenge, payload.answer)  # used up, right or wrong
    d = form.cleaned_data
    bureau = next(b for b in bureaus if b.pk == d["bureau"])
    try:
        with transaction.atomic():
            claim(d["once"])
            code = intake.write_in(
                bureau=bureau,
                subject=d["subject"],
                content=d["content"],
                name=d["name"],
                phone=d["phone"],
                request=request,
            )
    except AlreadySent as exc:
        raise CaseError(str(exc), field="once") from None
    return Status(201, {"code": code})


@router.post("/status", response={200: StatusOut, 429: LimitOut})
def public_status(request: HttpRequest, payload: StatusIn):
    """The stage and the reply for a tracking code, nothing else; `found: false` and nothing
    more for every code that finds nothing."""
    from anwen.public import limits

    refused = _limit(request, limits.LOOKUP)
    if refused is not None:
        return refused
    code = payload.code.strip()
    found = intake.public_status(code)  # the same work for every wrong code
    if found is None:
        return {"found": False, "stage": None, "reply": None, "received_on": None}
    return {
        "found": True,
        "stage": found.stage,
        "reply": found.reply,
        "received_on": found.received_on,
    }
