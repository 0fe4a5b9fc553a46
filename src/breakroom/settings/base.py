"""Production settings: complete, driven by the environment, safe by default.

`dev` and `test` only override what they must. Every value a deployment may change
is read from an environment variable named ``BREAKROOM_*`` (or ``DATABASE_URL``).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no environment variable; anything but a clear yes is no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret(path: Path) -> str:
    """Return the secret kept in `path`, creating it (mode 0600) on first run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once cannot both write a different key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


DATA_DIR = Path(os.environ.get("BREAKROOM_DATA_DIR", Path.cwd() / "data")).resolve()

SECRET_KEY = os.environ.get("BREAKROOM_SECRET_KEY") or read_or_create_secret(
    DATA_DIR / "secret_key"
)
# A separate key seals contact details at rest, so rotating SECRET_KEY (sessions,
# signatures) never makes stored contact details unreadable.
CONTACT_KEY = os.environ.get("BREAKROOM_CONTACT_KEY") or read_or_create_secret(
    DATA_DIR / "contact_key"
)

# Mixed into the hash of every receipt code, so a copy of the database alone cannot
# even test guesses against it.
RECEIPT_PEPPER = os.environ.get("BREAKROOM_RECEIPT_PEPPER") or read_or_create_secret(
    DATA_DIR / "receipt_pepper"
)
# Argon2id cost for receipt codes. The codes carry 90 bits, so entropy — not this
# cost — defends them; it is kept low enough for hundreds of reports a second.
RECEIPT_ARGON2_TIME_COST = int(os.environ.get("BREAKROOM_RECEIPT_ARGON2_TIME_COST", "2"))
RECEIPT_ARGON2_MEMORY_KIB = int(os.environ.get("BREAKROOM_RECEIPT_ARGON2_MEMORY_KIB", "4096"))

DEBUG = env_bool("BREAKROOM_DEBUG", default=False)
ALLOWED_HOSTS = env_list("BREAKROOM_ALLOWED_HOSTS", "127.0.0.1,localhost")
HTTPS = env_bool("BREAKROOM_HTTPS", default=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "breakroom.core",
    "breakroom.accounts",
    "breakroom.workplaces",
    "breakroom.voice",
    "breakroom.pulse",
    "breakroom.diary",
    "breakroom.public",
    "breakroom.api",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "breakroom.core.middleware.PrivacyHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "breakroom.core.middleware.SameOriginPostMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "breakroom.core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "breakroom.urls"
WSGI_APPLICATION = "breakroom.wsgi.application"
ASGI_APPLICATION = "breakroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.csp",
                "breakroom.core.context_processors.languages",
                "breakroom.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'breakroom.sqlite3'}"),
        conn_max_age=int(os.environ.get("BREAKROOM_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["BREAKROOM_REDIS_URL"],
        }
        if os.environ.get("BREAKROOM_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work (rollups, figures, key rotation) goes through Django's tasks API.
# The embedded demo runs tasks at once, in the request that queued them; production
# sets BREAKROOM_TASKS=database and runs `breakroom db_worker` beside the app servers.
# Task arguments are ids and dates only: nothing in the queue identifies anyone.
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_db.DatabaseBackend"}
        if os.environ.get("BREAKROOM_TASKS") == "database"
        else {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    )
}

# Accounts: pseudonymous, Argon2id first, passphrases not passwords.
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "accounts:my-sites"

# Sessions exist only after sign-in; a visitor who has not signed in gets no cookie.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("BREAKROOM_SESSION_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "breakroom_session"
# Cross-site request forgery is stopped by SameOriginPostMiddleware (Fetch metadata
# and Origin), which needs no cookie; Django's token middleware is not installed.
CSRF_COOKIE_SECURE = HTTPS

# Headers every page sends (see PRIVACY.md, property 3).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), interest-cohort=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
SECURE_SSL_REDIRECT = env_bool("BREAKROOM_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("BREAKROOM_HSTS_SECONDS", "0"))
# Behind a reverse proxy that terminates TLS, trust its scheme header only if told to.
BEHIND_PROXY = env_bool("BREAKROOM_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Languages: English, Polish and Romanian; the language lives in the URL, not a cookie.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pl", _("Polish")), ("ro", _("Romanian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The cost of unlocking a person's key pair with their passphrase (libsodium's
# "interactive" Argon2id limits: about 70 ms and 64 MiB on one core).
KEYPAIR_KDF_OPSLIMIT = int(os.environ.get("BREAKROOM_KEYPAIR_KDF_OPSLIMIT", "2"))
KEYPAIR_KDF_MEMLIMIT = int(os.environ.get("BREAKROOM_KEYPAIR_KDF_MEMLIMIT", str(64 * 1024 * 1024)))

# Floods of anonymous reports: per sender (a keyed hash of the address, held an
# hour in the cache) and per site, per hour. Senders whose browser solved the proof
# of work get the higher allowance.
REPORT_LIMIT_PER_SOURCE = int(os.environ.get("BREAKROOM_REPORT_LIMIT_PER_SOURCE", "10"))
REPORT_LIMIT_PER_SOURCE_WITHOUT_JS = int(
    os.environ.get("BREAKROOM_REPORT_LIMIT_PER_SOURCE_WITHOUT_JS", "4")
)
REPORT_LIMIT_PER_SITE = int(os.environ.get("BREAKROOM_REPORT_LIMIT_PER_SITE", "600"))
REPORT_POW_BITS = int(os.environ.get("BREAKROOM_REPORT_POW_BITS", "16"))
RECEIPT_GUESS_LIMIT = int(os.environ.get("BREAKROOM_RECEIPT_GUESS_LIMIT", "20"))

# The k rule: no figure about fewer than this many people leaves the system.
BREAKROOM_K = max(3, int(os.environ.get("BREAKROOM_K", "5")))

# Verification in person: how long the code on a worker's phone stays valid.
VERIFICATION_CODE_SECONDS = int(os.environ.get("BREAKROOM_VERIFICATION_CODE_SECONDS", "600"))

# Logs go to standard error and never carry a network address or user agent:
# the request objects that Django attaches to log records are dropped by the filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_request": {"()": "breakroom.core.logging.DropRequestDetails"}},
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("BREAKROOM_LOG_LEVEL", "INFO")},
    "loggers": {
        # "Not Found: <path>" lines would keep what people looked for; errors only.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
