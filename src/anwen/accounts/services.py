"""Writes to accounts: logging in (with failure counting and lockout), the second factor,
passwords and API tokens. Every outcome is audited; the password never is.

Failures are counted with conditional UPDATEs on the user row, so parallel wrong attempts all
count and exactly one of them locks the account.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.accounts import twofactor
from anwen.accounts.models import ApiToken, User
from anwen.errors import AppError
from anwen.orgs.scope import needs_two_factor


class AccountError(AppError):
    """A login or account rule refused the request; the message is for the user."""

    def __init__(self, message: str, *, locked_until: datetime | None = None):
        super().__init__(message)
        self.locked_until = locked_until


def generic_failure() -> str:
    # One message for an unknown user and a wrong password: the page must not tell which
    # usernames exist.
    return _("Wrong username or password.")


def locked_message(until: datetime) -> str:
    when = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    return _(
        "This account is locked after too many failed attempts. Try again after %(time)s."
    ) % {"time": when}


def _unlocked(now: datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


def _count_failure(*, user: User, reason: str, request=None) -> datetime | None:
    """Count one failed attempt; lock the account when it reaches the limit.

    Returns the end of the lock when this attempt locked the account.
    """
    now = timezone.now()
    until = now + timedelta(minutes=settings.ANWEN_LOCKOUT_MINUTES)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        # Only the attempt that crosses the limit locks; the counter restarts so the account
        # gets the full number of attempts again once the lock ends.
        locked = (
            User.objects.filter(_unlocked(now), pk=user.pk,
                                failed_logins__gte=settings.ANWEN_LOCKOUT_ATTEMPTS)
            .update(locked_until=until, failed_logins=0)
        )
        audit.record(actor=user, action="accounts.login.failed", obj=user, request=request,
                     data={"reason": reason})
        if locked:
            audit.record(actor=user, action="accounts.login.locked", obj=user, request=request,
                         data={"until": until.isoformat(),
                               "minutes": settings.ANWEN_LOCKOUT_MINUTES})
    return until if locked else None


def _refuse_locked(*, user: User, until: datetime | None, request=None) -> AccountError:
    assert until is not None  # the caller saw the lock: User.is_locked, or a refused update
    audit.record(actor=user, action="accounts.login.failed", obj=user, request=request,
                 data={"reason": "locked"})
    return AccountError(locked_message(until), locked_until=until)


def login_with_password(*, username: str, password: str, request=None) -> User:
    """Check the first factor. Returns the user, or raises AccountError with the message to show.

    For a user who needs two factors the failure counter is reset only by the code, so a known
    password does not give endless tries at the code.
    """
    now = timezone.now()
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_locked(now):
        # A locked account is refused before the password is even checked.
        raise _refuse_locked(user=user, until=user.locked_until, request=request)
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is None:
            # Not the typed name itself: people type their password into the username field.
            # A digest still lets an auditor see repeated attempts at the same name.
            audit.record(actor=None, action="accounts.login.failed", request=request,
                         data={"reason": "unknown_user", "username_sha256": _digest(username)})
            raise AccountError(generic_failure())
        until = _count_failure(user=user, reason="password", request=request)
        if until is not None:
            raise AccountError(locked_message(until), locked_until=until)
        raise AccountError(generic_failure())

    user = authenticated
    two_factor = needs_two_factor(user)
    with transaction.atomic():
        # A parallel attempt may have locked the account since the check above.
        still_open = User.objects.filter(_unlocked(now), pk=user.pk)
        if two_factor:
            ok = still_open.exists()
        else:
            ok = still_open.update(failed_logins=0, locked_until=None) == 1
        if not ok:
            user.refresh_from_db(fields=["locked_until"])
            locked_error = _refuse_locked(user=user, until=user.locked_until, request=request)
        elif two_factor:
            audit.record(actor=user, action="accounts.login.password_accepted", obj=user,
                         request=request,
                         data={"second_factor": "code" if user.totp_confirmed_at else "enrol"})
        else:
            audit.record(actor=user, action="accounts.login.succeeded", obj=user,
                         request=request, data={"factors": 1})
    if not ok:
        raise locked_error
    return user


def totp_enrol_start(*, user: User) -> str:
    """The secret to enrol, made once: reloading the page shows the same QR code."""
    if user.totp_confirmed_at is None and not user.totp_secret:
        User.objects.filter(pk=user.pk, totp_secret="", totp_confirmed_at__isnull=True).update(
            totp_secret=twofactor.new_secret()
        )
        user.refresh_from_db(fields=["totp_secret", "totp_confirmed_at"])
    return user.totp_secret


def second_factor_verify(*, user: User, code: str, request=None) -> None:
    """Check a TOTP code (the first one confirms the enrolment). Raises AccountError.

    Wrong codes count toward the same lockout as wrong passwords.
    """
    now = timezone.now()
    user.refresh_from_db(fields=["locked_until", "totp_secret", "totp_confirmed_at"])
    if user.is_locked(now):
        raise _refuse_locked(user=user, until=user.locked_until, request=request)
    timecode = twofactor.matching_timecode(secret=user.totp_secret, code=code)
    reason = "code"
    if timecode is not None:
        enrolling = user.totp_confirmed_at is None
        with transaction.atomic():
            # Claiming the time step refuses a code that was used before, even in parallel.
            claimed = (
                User.objects.filter(_unlocked(now), pk=user.pk, totp_secret=user.totp_secret)
                .filter(Q(totp_last_timecode__isnull=True) | Q(totp_last_timecode__lt=timecode))
                .update(totp_last_timecode=timecode, failed_logins=0, locked_until=None,
                        totp_confirmed_at=user.totp_confirmed_at or now)
            )
            if claimed:
                if enrolling:
                    audit.record(actor=user, action="accounts.two_factor.enrolled", obj=user,
                                 request=request)
                audit.record(actor=user, action="accounts.login.succeeded", obj=user,
                             request=request, data={"factors": 2})
        if claimed:
            return
        reason = "code_reused"
    until = _count_failure(user=user, reason=reason, request=request)
    if until is not None:
        raise AccountError(locked_message(until), locked_until=until)
    if reason == "code_reused":
        raise AccountError(_("This code was used already. Wait for the next code."))
    raise AccountError(_("Wrong code. Enter the 6 digits your authenticator app shows now."))


@transaction.atomic
def password_change(*, user: User, new_password: str, request=None) -> User:
    """Set a new password (the form has applied the password policy)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(actor=user, action="accounts.password.changed", obj=user, request=request)
    return user


@transaction.atomic
def token_create(*, user: User, name: str, by: User | None = None,
                 request=None) -> tuple[ApiToken, str]:
    """Make an API token. Returns it with its key, which exists only here: the hash is stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8],
                                    key_hash=ApiToken.hash_key(key))
    audit.record(actor=by, action="accounts.token.created", obj=token, request=request,
                 data={"user": user.username, "name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None = None, request=None) -> bool:
    """Revoke a token; False when it was revoked already."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(actor=by, action="accounts.token.revoked", obj=token, request=request,
                     data={"user": token.user.username, "name": token.name,
                           "prefix": token.prefix})
    return bool(revoked)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:16]
