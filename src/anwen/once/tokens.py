"""Sent once: a create form that has no natural key is made idempotent by a one-time token.

Two taps on "save" (or a phone re-sending a slow post) must not make two commitments, two
findings, two log entries. Where the domain has a key (one letter a year, one draft per
inspector, school and day) a database constraint says so; a create form without one carries
a hidden random token, issued with the form, claimed in the same transaction as the record it
creates:

    class CommitmentForm(forms.Form):
        once = OnceField()
        ...

    try:
        with transaction.atomic():
            claim(form.cleaned_data["once"])
            commitment = services.commitment_record(...)
    except AlreadySent as exc:
        messages.info(request, str(exc))
        return redirect(...)

Claiming inserts the token into a table where it is unique: of twenty concurrent posts one
inserts, the others wait for it and fail (IntegrityError), so exactly one record is made on
SQLite and PostgreSQL alike. A refused create (a validation error raised by the service) rolls
the claim back with it, so the corrected form can be sent again. Issuing writes nothing (a
page only reads). A post without the token (an API client, a page older than the token) is
not deduplicated.
"""

import secrets
from datetime import timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen.errors import AppError
from anwen.once.models import Claim

# Claims older than this are forgotten: nobody re-sends a form a week later by accident.
KEEP = timedelta(days=7)
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class AlreadySent(AppError):
    """This form was sent before; the message is for the user."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceField(forms.CharField):
    """The hidden one-time token of a create form: a fresh one whenever the form is shown
    empty, the posted one when the form is shown again with its errors."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "")
        kwargs.setdefault("initial", new_token)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(max_length=64, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        # Anything but a token of ours is no token (and is not stored).
        return value if value and set(value) <= _ALPHABET else ""


def claim(token: str) -> None:
    """Claim the form's token inside the caller's transaction (the one that creates the
    record); AlreadySent when the form was sent before. An empty token claims nothing."""
    if not token:
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            Claim.objects.create(token=token, claimed_at=now)
    except IntegrityError:
        raise AlreadySent(
            _("This form was already sent, and its record saved once: there is nothing more to do.")
        ) from None
    Claim.objects.filter(claimed_at__lt=now - KEEP).delete()
