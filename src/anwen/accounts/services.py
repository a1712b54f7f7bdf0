"""Writes to accounts: logging in (with failure counting and lockout), the second factor,
passwords, account locks and API tokens. Every outcome is audited; the password never is.

Failures are counted per typed name *and* client address (`LoginFailure` rows), so:
- ANWEN_LOCKOUT_ATTEMPTS failures of one name from one address refuse that name from that
  address only: a stranger typing wrong passwords locks himself out, not the owner at school;
- ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS failures of one name from anywhere refuse new logins of
  the account for everyone (a distributed guess); its open sessions and API tokens keep
  working, so a stranger cannot throw the owner out (an administrator's deactivation does);
- ANWEN_LOCKOUT_ADDRESS_ATTEMPTS failures from one address, whatever the names, refuse the
  address.
An "address" here is a network as one client holds it (`address_key`): an IPv4 address, or an
IPv6 /64 — a single home or phone gets a whole /64 and can pick a fresh address per try.
All within ANWEN_LOCKOUT_WINDOW_MINUTES, each refusal lasting ANWEN_LOCKOUT_MINUTES. An
unknown name is counted and refused exactly like a known one, with the same words, so the
answers never tell which usernames exist.
"""

import hashlib
import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.accounts import twofactor
from anwen.accounts.models import ApiToken, LoginBlock, LoginFailure, User
from anwen.errors import AppError
from anwen.orgs.models import Org
from anwen.orgs.scope import full_scope_paths, needs_two_factor, person_of


class AccountError(AppError):
    """A login or account rule refused the request; the message is for the user."""

    def __init__(self, message: str, *, locked_until: datetime | None = None):
        super().__init__(message)
        self.locked_until = locked_until


def generic_failure() -> str:
    # One message for an unknown user and a wrong password: the page must not tell which
    # usernames exist.
    return _("Wrong username or password.")


def _local(until: datetime) -> str:
    return formats.date_format(timezone.localtime(until), "Y-m-d H:i")


def locked_message(until: datetime) -> str:
    return _("This account is locked after too many failed attempts. Try again after %(time)s.") % {
        "time": _local(until)
    }


def address_message(until: datetime) -> str:
    return _("Too many failed attempts from this network address. Try again after %(time)s.") % {
        "time": _local(until)
    }


def _home(user: User | None) -> Org | None:
    """The org an account's events belong to on the audit trail, so that only auditors over it
    see them: the org of the account's staff record, else the top of its roles' scope. None
    for a name nobody has (such events are shown to platform administrators only)."""
    if user is None:
        return None
    person = person_of(user)
    if person is not None:
        return person.org
    roots = full_scope_paths(user)
    return Org.objects.filter(path=roots[0]).first() if roots else None


def _unlocked(now: datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


def name_key(username: str) -> str:
    """The digest a typed username is counted under (and shown to auditors as)."""
    return hashlib.sha256(username.encode()).hexdigest()[:16]


def address_key(request: HttpRequest | None) -> str | None:
    """The client address the throttle counts: the IPv4 address itself, the first address of
    the IPv6 /64 it comes from (an IPv4-mapped IPv6 address counts as its IPv4 address). The
    audit trail keeps the full address; only the counting is by network."""
    ip = audit.client_ip(request)
    if ip is None:
        return None
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return ip


def _pair_key(key: str, ip: str | None) -> str:
    return f"{key}|{ip or ''}"


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.ANWEN_LOCKOUT_WINDOW_MINUTES)


def _refusal(*, key: str, ip: str | None, user: User | None, now: datetime) -> AccountError | None:
    """The refusal in force for this name from this address, before any password is checked."""
    wanted = Q(scope=LoginBlock.Scope.PAIR, key=_pair_key(key, ip)) | Q(
        scope=LoginBlock.Scope.NAME, key=key
    )
    if ip:
        wanted |= Q(scope=LoginBlock.Scope.ADDRESS, key=ip)
    blocks = {b.scope: b.until for b in LoginBlock.objects.filter(wanted, until__gt=now)}
    if LoginBlock.Scope.ADDRESS in blocks:
        until = blocks[LoginBlock.Scope.ADDRESS]
        return AccountError(address_message(until), locked_until=until)
    ends = [until for until in blocks.values()]
    if user is not None and user.is_locked(now) and user.locked_until is not None:
        ends.append(user.locked_until)
    if ends:
        return AccountError(locked_message(max(ends)), locked_until=max(ends))
    return None


def _over_limit(
    *, scope: str, key: str, failures: QuerySet[LoginFailure], limit: int, until: datetime
) -> bool:
    """Whether `failures` not counted by the last refusal of this scope reach `limit`; if so,
    refuse the scope until `until`, remembering the last failure it counted.

    The failures are not deleted: the three scopes count the same rows, and removing them
    when one fires would keep the others from ever reaching their limits."""
    counted_to = (
        LoginBlock.objects.filter(scope=scope, key=key).values_list("counted_to", flat=True).first()
    ) or 0
    fresh = failures.filter(pk__gt=counted_to)
    if fresh.count() < limit:
        return False
    last = fresh.order_by("-pk").values_list("pk", flat=True).first() or 0
    LoginBlock.objects.update_or_create(
        scope=scope, key=key, defaults={"until": until, "counted_to": last}
    )
    return True


def _lock_account(
    *,
    user: User,
    action: str,
    by: User | None = None,
    request: HttpRequest | None = None,
    data: dict | None = None,
) -> bool:
    """An administrator's lock (deactivation): every session ends at once (the session hash
    changes) and every API token is refused while it lasts; tokens are suspended, not
    revoked, so the owner's scripts work again when the account is activated."""
    changed = User.objects.filter(pk=user.pk, is_active=True).update(
        is_active=False, session_epoch=F("session_epoch") + 1
    )
    if changed:
        audit.record(
            actor=by or user,
            action=action,
            obj=user,
            org=_home(user),
            request=request,
            data=data or {},
        )
    return bool(changed)


def _count_failure(
    *, username: str, user: User | None, reason: str, request: HttpRequest | None = None
) -> AccountError | None:
    """Count one failed attempt and apply the three thresholds.

    Returns the refusal this attempt started, if any. Each scope counts only the failures
    after its own last refusal, so each refusal is followed by the full number of attempts
    again, and one scope firing never resets another's count.

    A lockout refuses new logins only. It does not end the account's sessions nor suspend
    its tokens: anyone can type wrong passwords for a name, and a stranger must not be able
    to throw the owner out. (An administrator's deactivation does end them.)"""
    now = timezone.now()
    until = now + timedelta(minutes=settings.ANWEN_LOCKOUT_MINUTES)
    since = _window_start(now)
    key, ip = name_key(username), address_key(request)
    refusal = None
    with transaction.atomic():
        LoginFailure.objects.filter(at__lt=since).delete()
        # A refusal that ended before the window began counted only failures now gone.
        LoginBlock.objects.filter(until__lt=since).delete()
        LoginFailure.objects.create(at=now, name_key=key, ip=ip)
        home = _home(user)  # the org of every event below: looked up once
        audit_data = {"reason": reason}
        if user is None:
            # Not the typed name itself: people type their password into the username field.
            # A digest still lets an auditor see repeated attempts at the same name.
            audit_data["username_sha256"] = key
        audit.record(
            actor=user,
            action="accounts.login.failed",
            obj=user,
            org=home,
            request=request,
            data=audit_data,
        )
        recent = LoginFailure.objects.filter(at__gte=since)
        minutes = settings.ANWEN_LOCKOUT_MINUTES

        if _over_limit(
            scope=LoginBlock.Scope.PAIR,
            key=_pair_key(key, ip),
            failures=recent.filter(name_key=key, ip=ip),
            limit=settings.ANWEN_LOCKOUT_ATTEMPTS,
            until=until,
        ):
            audit.record(
                actor=user,
                action="accounts.login.locked",
                obj=user,
                org=home,
                request=request,
                data={
                    **audit_data,
                    "until": until.isoformat(),
                    "scope": "address",
                    "minutes": minutes,
                },
            )
            refusal = AccountError(locked_message(until), locked_until=until)

        if _over_limit(
            scope=LoginBlock.Scope.NAME,
            key=key,
            failures=recent.filter(name_key=key),
            limit=settings.ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS,
            until=until,
        ):
            lock_data = {"until": until.isoformat(), "scope": "account", "minutes": minutes}
            if user is not None:
                # Shown on the user row; no session_epoch bump and tokens stay usable.
                User.objects.filter(_unlocked(now), pk=user.pk).update(locked_until=until)
            audit.record(
                actor=user,
                action="accounts.login.locked",
                obj=user,
                org=home,
                request=request,
                data={**audit_data, **lock_data},
            )
            refusal = AccountError(locked_message(until), locked_until=until)

        if ip and _over_limit(
            scope=LoginBlock.Scope.ADDRESS,
            key=ip,
            failures=recent.filter(ip=ip),
            limit=settings.ANWEN_LOCKOUT_ADDRESS_ATTEMPTS,
            until=until,
        ):
            audit.record(
                actor=None,
                action="accounts.login.address_blocked",
                request=request,
                data={"until": until.isoformat(), "minutes": minutes},
            )
            refusal = AccountError(address_message(until), locked_until=until)
    return refusal


def _refuse(
    *, error: AccountError, username: str, user: User | None, request: HttpRequest | None = None
) -> AccountError:
    data = {"reason": "locked"}
    if user is None:
        data["username_sha256"] = name_key(username)
    audit.record(
        actor=user,
        action="accounts.login.failed",
        obj=user,
        org=_home(user),
        request=request,
        data=data,
    )
    return error


def _forget_failures(*, username: str, request: HttpRequest | None) -> None:
    """A success clears the count of its own name and address, nobody else's."""
    LoginFailure.objects.filter(name_key=name_key(username), ip=address_key(request)).delete()


def login_with_password(
    *, username: str, password: str, request: HttpRequest | None = None
) -> User:
    """Check the first factor. Returns the user, or raises AccountError with the message to show.

    For a user who needs two factors the failure count is cleared only by the code, so a known
    password does not give endless tries at the code.
    """
    now = timezone.now()
    key, ip = name_key(username), address_key(request)
    user = User.objects.filter(username=username).first()
    refusal = _refusal(key=key, ip=ip, user=user, now=now)
    if refusal is not None:
        # Refused before the password is even checked, known name or not.
        raise _refuse(error=refusal, username=username, user=user, request=request)
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        error = _count_failure(
            username=username,
            user=user,
            reason="unknown_user" if user is None else "password",
            request=request,
        )
        raise error or AccountError(generic_failure())

    user = authenticated
    two_factor = needs_two_factor(user)
    with transaction.atomic():
        # A parallel attempt may have locked the account since the check above.
        ok = User.objects.filter(_unlocked(now), pk=user.pk).exists()
        if ok and two_factor:
            audit.record(
                actor=user,
                action="accounts.login.password_accepted",
                obj=user,
                org=_home(user),
                request=request,
                data={"second_factor": "code" if user.totp_confirmed_at else "enrol"},
            )
        elif ok:
            _forget_failures(username=username, request=request)
            audit.record(
                actor=user,
                action="accounts.login.succeeded",
                obj=user,
                org=_home(user),
                request=request,
                data={"factors": 1},
            )
    if not ok:
        user.refresh_from_db(fields=["locked_until"])
        raise _refuse(
            error=AccountError(
                locked_message(user.locked_until or now), locked_until=user.locked_until
            ),
            username=username,
            user=user,
            request=request,
        )
    return user


@transaction.atomic
def account_deactivate(
    *, user: User, by: User | None = None, request: HttpRequest | None = None
) -> bool:
    """An administrator's lock: the account can no longer log in, its sessions end and its
    tokens are refused until it is activated again. False when it was inactive already."""
    return _lock_account(user=user, action="accounts.account.deactivated", by=by, request=request)


@transaction.atomic
def account_activate(
    *, user: User, by: User | None = None, request: HttpRequest | None = None
) -> bool:
    changed = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    if changed:
        audit.record(
            actor=by,
            action="accounts.account.activated",
            obj=user,
            org=_home(user),
            request=request,
        )
    return bool(changed)


@transaction.atomic
def account_unlock(
    *, user: User, by: User | None = None, request: HttpRequest | None = None
) -> bool:
    """End a lockout early: the account-wide lock and every refusal of its name."""
    key = name_key(user.username)
    changed = User.objects.filter(pk=user.pk, locked_until__isnull=False).update(locked_until=None)
    blocks, _by_model = LoginBlock.objects.filter(
        Q(scope=LoginBlock.Scope.PAIR, key__startswith=f"{key}|")
        | Q(scope=LoginBlock.Scope.NAME, key=key)
    ).delete()
    LoginFailure.objects.filter(name_key=key).delete()
    if changed or blocks:
        audit.record(
            actor=by, action="accounts.account.unlocked", obj=user, org=_home(user), request=request
        )
    return bool(changed or blocks)


def totp_enrol_start(*, user: User) -> str:
    """The secret to enrol, made once: reloading the page shows the same QR code."""
    if user.totp_confirmed_at is None and not user.totp_secret:
        User.objects.filter(pk=user.pk, totp_secret="", totp_confirmed_at__isnull=True).update(
            totp_secret=twofactor.new_secret()
        )
        user.refresh_from_db(fields=["totp_secret", "totp_confirmed_at"])
    return user.totp_secret


def second_factor_verify(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """Check a TOTP code (the first one confirms the enrolment). Raises AccountError.

    Wrong codes count toward the same lockout as wrong passwords.
    """
    now = timezone.now()
    user.refresh_from_db(fields=["locked_until", "totp_secret", "totp_confirmed_at"])
    refusal = _refusal(key=name_key(user.username), ip=address_key(request), user=user, now=now)
    if refusal is not None:
        raise _refuse(error=refusal, username=user.username, user=user, request=request)
    timecode = twofactor.matching_timecode(secret=user.totp_secret, code=code)
    reason = "code"
    if timecode is not None:
        enrolling = user.totp_confirmed_at is None
        with transaction.atomic():
            # Claiming the time step refuses a code that was used before, even in parallel.
            claimed = (
                User.objects.filter(_unlocked(now), pk=user.pk, totp_secret=user.totp_secret)
                .filter(Q(totp_last_timecode__isnull=True) | Q(totp_last_timecode__lt=timecode))
                .update(
                    totp_last_timecode=timecode, totp_confirmed_at=user.totp_confirmed_at or now
                )
            )
            if claimed:
                _forget_failures(username=user.username, request=request)
                if enrolling:
                    audit.record(
                        actor=user,
                        action="accounts.two_factor.enrolled",
                        obj=user,
                        org=_home(user),
                        request=request,
                    )
                audit.record(
                    actor=user,
                    action="accounts.login.succeeded",
                    obj=user,
                    org=_home(user),
                    request=request,
                    data={"factors": 2},
                )
        if claimed:
            return
        reason = "code_reused"
    error = _count_failure(username=user.username, user=user, reason=reason, request=request)
    if error is not None:
        raise error
    if reason == "code_reused":
        raise AccountError(_("This code was used already. Wait for the next code."))
    raise AccountError(_("Wrong code. Enter the 6 digits your authenticator app shows now."))


@transaction.atomic
def password_change(*, user: User, new_password: str, request=None) -> User:
    """Set a new password (the form has applied the password policy)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(
        actor=user, action="accounts.password.changed", obj=user, org=_home(user), request=request
    )
    return user


@transaction.atomic
def token_create(
    *, user: User, name: str, by: User | None = None, request=None
) -> tuple[ApiToken, str]:
    """Make an API token. Returns it with its key, which exists only here: the hash is stored.

    A user whose roles need two factors must have confirmed the second one first: a token
    opens the API without any code, so it may not be a way around it."""
    if needs_two_factor(user) and user.totp_confirmed_at is None:
        raise AccountError(
            _("Set up the authenticator app (the second factor) before creating an API token.")
        )
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key)
    )
    audit.record(
        actor=by,
        action="accounts.token.created",
        obj=token,
        org=_home(user),
        request=request,
        data={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None = None, request=None) -> bool:
    """Revoke a token; False when it was revoked already."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(
            actor=by,
            action="accounts.token.revoked",
            obj=token,
            org=_home(token.user),
            request=request,
            data={"user": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return bool(revoked)
