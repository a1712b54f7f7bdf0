"""Settings, all read from the environment.

`ANWEN_DEMO=1` (set by `anwen demo`) relaxes what a laptop cannot provide: a secret key,
HTTPS-only cookies. Everything else behaves as in production.
"""

import json
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Classes the type stubs make generic (`forms.ModelChoiceField[Person]`) may then be subscripted
# at run time too, in the annotations that say what a field holds.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEMO = env_bool("ANWEN_DEMO")
DEBUG = env_bool("ANWEN_DEBUG")
DATA_DIR = Path(os.environ.get("ANWEN_DATA_DIR", "var")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (a long random string); only `anwen demo` runs without one."
        )
    SECRET_KEY = "anwen-demo-only-not-secret"  # noqa: S105 - the demo is local and says so

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "anwen.audit",
    "anwen.calendar",
    "anwen.accounts",
    "anwen.orgs",
    "anwen.once",
    "anwen.evidence",
    "anwen.obligations",
    "anwen.workflow",
    "anwen.hazards",
    "anwen.cases",
    "anwen.inspections",
    "anwen.patrol",
    "anwen.fire",
    "anwen.duties",
    "anwen.maps",
    "anwen.registers",
    "anwen.guards",
    "anwen.buses",
    "anwen.waters",
    "anwen.funding",
    "anwen.devices",
    "anwen.receptions",
    "anwen.public",
    "anwen.inbox",
    "anwen.outbox",
    "anwen.web",
    "anwen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "anwen.http.NulFreeQueryMiddleware",
    "anwen.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anwen.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anwen.accounts.middleware.TwoFactorMiddleware",
    "anwen.accounts.middleware.IdleSessionMiddleware",
    "anwen.web.middleware.FocusMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anwen.evidence.uploads.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# An upload over the limit is refused while it streams in (evidence/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "anwen.evidence.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

ROOT_URLCONF = "anwen.urls"
WSGI_APPLICATION = "anwen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anwen.web.context_processors.shell",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
# SQLite in WAL mode is the embedded default; PostgreSQL comes through DATABASE_URL.
_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
    # REPLACE fires the DELETE triggers (the audit table's append-only ones) only with this.
    " PRAGMA recursive_triggers=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    # The embedded default must work on a fresh clone: its folder is created on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "anwen.sqlite3"),
            "OPTIONS": _SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every paginated API list pages through anwen.apischema.Paging: limit and offset bounded.
NINJA_PAGINATION_CLASS = "anwen.apischema.Paging"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- notifications (outbox/) -------------------------------------------------------------------
# E-mail goes through Django's back-end: the console in the demo and by default; an SMTP server
# with ANWEN_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL.
EMAIL_BACKEND = os.environ.get(
    "ANWEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "anwen@localhost")
# The address links in e-mail and SMS start with (https://anwen.example.edu.cn); none if unset.
ANWEN_SITE_URL = os.environ.get("ANWEN_SITE_URL", "")
# SMS (outbox/sms.py): "console" prints, "http" calls one gateway. The body is a template
# with {mobile} and {text}, escaped for the content type (JSON, form or plain); {mobile} and
# {text} may also appear in the URL (URL-quoted). Any 2xx answer is success, and must contain
# ANWEN_SMS_OK_TEXT when that is set (gateways that answer 200 with an error code).
ANWEN_SMS_BACKEND = os.environ.get("ANWEN_SMS_BACKEND", "console")
ANWEN_SMS_URL = os.environ.get("ANWEN_SMS_URL", "")
ANWEN_SMS_METHOD = os.environ.get("ANWEN_SMS_METHOD", "POST")
ANWEN_SMS_HEADERS = json.loads(os.environ.get("ANWEN_SMS_HEADERS", "") or "{}")
ANWEN_SMS_TOKEN = os.environ.get("ANWEN_SMS_TOKEN", "")
ANWEN_SMS_BODY = os.environ.get("ANWEN_SMS_BODY", '{"mobile": "{mobile}", "text": "{text}"}')
ANWEN_SMS_CONTENT_TYPE = os.environ.get("ANWEN_SMS_CONTENT_TYPE", "application/json")
ANWEN_SMS_OK_TEXT = os.environ.get("ANWEN_SMS_OK_TEXT", "")
ANWEN_SMS_TIMEOUT = env_int("ANWEN_SMS_TIMEOUT", 10)
ANWEN_SMS_MAX_CHARS = env_int("ANWEN_SMS_MAX_CHARS", 300)
# The worker: attempts per delivery before it is marked failed, the pause after the first
# failure (doubled each time), how long a claimed row may stay in sending before another run
# takes it (a worker that died), and how many rows one query fetches.
ANWEN_OUTBOX_MAX_ATTEMPTS = env_int("ANWEN_OUTBOX_MAX_ATTEMPTS", 5)
ANWEN_OUTBOX_RETRY_SECONDS = env_int("ANWEN_OUTBOX_RETRY_SECONDS", 60)
ANWEN_OUTBOX_LEASE_SECONDS = env_int("ANWEN_OUTBOX_LEASE_SECONDS", 300)
ANWEN_OUTBOX_BATCH = env_int("ANWEN_OUTBOX_BATCH", 200)

# --- accounts and security (等保 2.0 defaults; every number configurable) -------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("ANWEN_PASSWORD_MIN_LENGTH", 8)},
    },
    {
        "NAME": "anwen.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": env_int("ANWEN_PASSWORD_MIN_CLASSES", 3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed logins: per name from one address, per name from anywhere (locks the account), per
# address over all names; counted within the window, each refusal lasting LOCKOUT_MINUTES.
ANWEN_LOCKOUT_ATTEMPTS = env_int("ANWEN_LOCKOUT_ATTEMPTS", 5)
ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS = env_int("ANWEN_LOCKOUT_ACCOUNT_ATTEMPTS", 50)
ANWEN_LOCKOUT_ADDRESS_ATTEMPTS = env_int("ANWEN_LOCKOUT_ADDRESS_ATTEMPTS", 30)
ANWEN_LOCKOUT_WINDOW_MINUTES = env_int("ANWEN_LOCKOUT_WINDOW_MINUTES", 15)
ANWEN_LOCKOUT_MINUTES = env_int("ANWEN_LOCKOUT_MINUTES", 15)
# Idle timeout: the session expires this long after the last request, give or take the refresh
# interval (anwen.accounts.middleware.IdleSessionMiddleware pushes the expiry forward at most
# once per interval, instead of a database write on every request).
SESSION_COOKIE_AGE = env_int("ANWEN_IDLE_MINUTES", 30) * 60
ANWEN_SESSION_REFRESH_SECONDS = env_int("ANWEN_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ANWEN_AUDIT_RETENTION_DAYS = max(180, env_int("ANWEN_AUDIT_RETENTION_DAYS", 365))
# The audit chain is an HMAC under this key, which is never stored in the database: whoever
# holds only the database file cannot rewrite the trail undetected. Keys it replaced go in
# ANWEN_AUDIT_OLD_KEYS (comma-separated) so older events still verify.
ANWEN_AUDIT_KEY = os.environ.get("ANWEN_AUDIT_KEY", "")
if not ANWEN_AUDIT_KEY:
    if not DEMO:
        raise ImproperlyConfigured(
            "ANWEN_AUDIT_KEY must be set (a long random string, kept outside the database); "
            "only `anwen demo` runs without one."
        )
    ANWEN_AUDIT_KEY = "anwen-demo-audit-key-not-secret"  # noqa: S105 - the demo says so
ANWEN_AUDIT_OLD_KEYS = [
    key.strip() for key in os.environ.get("ANWEN_AUDIT_OLD_KEYS", "").split(",") if key.strip()
]

_secure = env_bool("ANWEN_SECURE_COOKIES", not DEMO and not DEBUG)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies in front of anwen append to X-Forwarded-For: the client address of
# the audit trail and of the login throttle is read from there (0: REMOTE_ADDR as it is).
ANWEN_TRUSTED_PROXIES = env_int("ANWEN_TRUSTED_PROXIES", 0)

# A form refused for its CSRF token gets the app's own page, not Django's English one.
CSRF_FAILURE_VIEW = "anwen.web.errors.csrf_failure"
if env_bool("ANWEN_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

# The longest list one Excel download may hold. A longer one is refused with a message to
# narrow it (by date, centre or school) rather than tying up a worker for minutes.
ANWEN_EXPORT_MAX_ROWS = env_int("ANWEN_EXPORT_MAX_ROWS", 50_000)

# --- the public write-in page (public/) -------------------------------------------------------
# Posts per address (an IPv4 address, an IPv6 /64) and hour: write-ins, and status lookups by
# tracking code; check questions drawn (a picture, or a new question: each costs the server a
# rendering, so an address that asks for thousands is stopped too). How long a check question
# may be answered. Attachments: how many, and their
# size together (each file also within ANWEN_EVIDENCE_MAX_BYTES).
ANWEN_PUBLIC_MAX_PER_HOUR = env_int("ANWEN_PUBLIC_MAX_PER_HOUR", 20)
ANWEN_PUBLIC_LOOKUPS_PER_HOUR = env_int("ANWEN_PUBLIC_LOOKUPS_PER_HOUR", 60)
ANWEN_PUBLIC_PICTURES_PER_HOUR = env_int("ANWEN_PUBLIC_PICTURES_PER_HOUR", 200)
ANWEN_PUBLIC_CHALLENGE_SECONDS = env_int("ANWEN_PUBLIC_CHALLENGE_SECONDS", 1800)
ANWEN_PUBLIC_MAX_FILES = env_int("ANWEN_PUBLIC_MAX_FILES", 3)
ANWEN_PUBLIC_MAX_UPLOAD_BYTES = env_int("ANWEN_PUBLIC_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# --- language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANWEN_LOG_LEVEL", "WARNING")},
}
