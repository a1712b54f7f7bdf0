"""Login accounts. A person in the org tree (orgs.Person) may have one account; an account
holds roles in orgs (orgs.RoleAssignment), which decide what it may see."""

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=60, blank=True)
    # The account-wide lockout (等保 2.0): set by many failures from anywhere (see
    # `services.login_with_password`). While it holds no new login succeeds; the owner's open
    # sessions and API tokens keep working, since a stranger can cause it. An administrator's
    # lock is `is_active=False`, which ends both. Failures are counted in `LoginFailure`.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    # Part of the session hash: raising it ends every session of the account at once
    # (a lock does), whatever session backend holds them.
    session_epoch = models.PositiveIntegerField(default=0)
    # Two factors (TOTP). The secret is set at enrolment and confirmed by a first valid code.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code seen once is refused after (RFC 6238 §5.2).
    totp_last_timecode = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def is_locked(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Epoch 0 hashes exactly as Django does, so sessions made before the field existed stay.
        value = self.password if not self.session_epoch else f"{self.password}|{self.session_epoch}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "anw_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """One failed login attempt, for counting only (the audit trail keeps the record).

    `name_key` is a digest of the typed username, known or not, so an unknown name is counted
    and locked exactly like a real one and the answers never tell them apart."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    name_key = models.CharField(max_length=16)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["name_key", "ip", "at"]), models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.name_key} {self.ip}"


class LoginBlock(models.Model):
    """A refusal in force until `until`: of one address, of one name from one address, or of
    one name everywhere (a known account is also marked locked on the user row).

    `counted_to` is the last `LoginFailure` the refusal counted: the next refusal of the same
    scope counts only failures after it. The failures themselves stay, because the other
    scopes count them too (deleting them let 5 tries per name never reach the address limit)."""

    class Scope(models.TextChoices):
        ADDRESS = "address"
        PAIR = "pair"
        NAME = "name"

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=80)
    until = models.DateTimeField()
    counted_to = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_block_unique")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} until {self.until:%Y-%m-%d %H:%M}"
