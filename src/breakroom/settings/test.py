"""Tests: fast hashing, plain static storage; the database still comes from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, STORAGES

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The cheapest Argon2id libsodium allows: the same code path, a hundred times faster.
KEYPAIR_KDF_OPSLIMIT = 1
KEYPAIR_KDF_MEMLIMIT = 8192
WHITENOISE_USE_FINDERS = True

# SQLite tests use a file, as production does, so that concurrent connections
# (threads in tests, the live server of the browser tests) behave as they would
# there: WAL, immediate transactions, and waiting for a lock instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-breakroom.sqlite3")}
