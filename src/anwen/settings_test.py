"""Settings for the test suite: the production settings, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ANWEN_SECURE_COOKIES", "0")
os.environ.setdefault("ANWEN_AUDIT_KEY", "test-only-audit-key")

from anwen.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Browser tests run against live_server without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ANWEN_INBOX_RAISE = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ANWEN_SMS_BACKEND = "console"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import tempfile

    # A file, not Django's shared-cache memory database: the threads of the concurrency tests
    # then wait for the writer (BEGIN IMMEDIATE, busy timeout) as they do in production,
    # instead of failing at once with "database table is locked".
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"anwen-test-{os.getpid()}.sqlite3"),
    }

# A register declared by the tests alone, to prove that the registers' pages serve any
# declaration. It has its own migration (after orgs): PostgreSQL makes an unmigrated app's
# tables before the migrated ones, and its foreign key to orgs_org would have nothing to meet.
INSTALLED_APPS = [*INSTALLED_APPS, "anwen.testing.toyregister"]  # noqa: F405
