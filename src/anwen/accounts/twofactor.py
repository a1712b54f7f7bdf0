"""Two factors (TOTP) for the roles that need them (bureau administrators).

The session remembers that its second factor was checked; `TwoFactorMiddleware` sends an
unverified session of such a user to the code page. The counting of wrong codes and the writes
live in `services`.
"""

import pyotp
import segno

SESSION_KEY = "anwen_2fa_verified"
ISSUER = "anwen"
# One step either side: phone clocks drift, and a code typed at the end of its 30 s still counts.
VALID_WINDOW = 1


def mark_verified(session) -> None:
    session[SESSION_KEY] = True


def forget(session) -> None:
    session.pop(SESSION_KEY, None)


def is_verified(session) -> bool:
    return bool(session.get(SESSION_KEY))


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline <svg> markup (no script, no outside host)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=3, light="#fff")


def matching_timecode(*, secret: str, code: str) -> int | None:
    """The time step the code belongs to, or None when it is wrong."""
    code = "".join(code.split())
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, valid_window=VALID_WINDOW)
    except pyotp.exceptions.OTPVerificationError:
        return None


def group(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
