"""Two factors (TOTP) for the roles that need them (bureau administrators)."""

SESSION_KEY = "anwen_2fa_verified"


def mark_verified(session) -> None:
    session[SESSION_KEY] = True


def is_verified(session) -> bool:
    return bool(session.get(SESSION_KEY))
