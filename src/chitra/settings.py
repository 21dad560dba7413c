"""The one settings module. Behaviour is switched by environment variables (CHITRA_*, DATABASE_URL).

Nothing secret is committed: in production CHITRA_SECRET_KEY, CHITRA_FIELD_KEYS and
CHITRA_BLIND_INDEX_KEY must be set; without CHITRA_DEBUG=1 the process refuses to start
without them.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/chitra
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout
VAR_DIR = Path(os.environ.get("CHITRA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("CHITRA_DEBUG", False)
TESTING = env_bool("CHITRA_TESTING", False)

_DEV_SECRET = "dev-only-not-secret-chitra-0000000000000000000000000000000000"  # noqa: S105
SECRET_KEY = os.environ.get("CHITRA_SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise RuntimeError("CHITRA_SECRET_KEY must be set (or CHITRA_DEBUG=1 for development).")

ALLOWED_HOSTS = env_list("CHITRA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CHITRA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # the admin site is chitra's own (2FA-verified superusers only; CHITRA_ADMIN_SITE=0: off)
    "chitra.iam.admin_apps.ChitraAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # chitra.core first: its `db_worker` (sweep at start and periodically) wins over
    # django_tasks_db's own
    "chitra.core",
    "django_tasks",
    "django_tasks_db",
    "chitra.geo",
    "chitra.iam",
    "chitra.registry",
    "chitra.verification",
    "chitra.payment_methods",
    "chitra.outreach",
    "chitra.disbursement",
    "chitra.reports",
    "chitra.grievances",
    "chitra.privacy",
    # on top: synthetic data, simulators and the demo commands (nothing imports it)
    "chitra.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # after WhiteNoise, so static files keep their own caching headers
    "chitra.core.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chitra.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chitra.iam.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "chitra.core.hostile.HostileInputMiddleware",  # NUL characters: 400, not a 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chitra.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chitra.urls"
WSGI_APPLICATION = "chitra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chitra.home.context_processors.menu",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chitra.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the task worker writes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CHITRA_TEST_SQLITE", "")}  # in memory
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- database roles: the application owns nothing (issue 11, audit trail) ---------------------
#: the owner role's connection, for `chitra migrate` and `chitra db_roles` (alias "owner");
#: empty: migrations run on DATABASE_URL. In tests the alias mirrors the test database.
CHITRA_MIGRATE_DATABASE_URL = os.environ.get("CHITRA_MIGRATE_DATABASE_URL", "")
#: the application's role: `chitra migrate` grants it its privileges again after migrating
#: (new tables, new append-only tables); empty: run `chitra db_roles` yourself
CHITRA_APP_DB_ROLE = os.environ.get("CHITRA_APP_DB_ROLE", "")
if CHITRA_MIGRATE_DATABASE_URL:
    DATABASES["owner"] = dj_database_url.parse(CHITRA_MIGRATE_DATABASE_URL, conn_max_age=0)
else:
    DATABASES["owner"] = {**DATABASES["default"], "CONN_MAX_AGE": 0}
DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
CHITRA_MIGRATE_DATABASE = "owner" if CHITRA_MIGRATE_DATABASE_URL else "default"
#: during `chitra migrate` as the owner, every query goes to the owner's connection
DATABASE_ROUTERS = ["chitra.core.dbrouter.MigrationRouter"]

# --- auth and security -----------------------------------------------------------------------
AUTH_USER_MODEL = "iam.User"
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if TESTING:
    # Speed only: the production hasher (argon2) is proven by tests/iam/test_security.py.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *PRODUCTION_PASSWORD_HASHERS,
    ]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "chitra.iam.passwords.PersonalDataPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- authentication: 2FA, API tokens, throttling, web security (issue 11) ---------------------
#: name shown in authenticator apps next to the user name (otpauth issuer)
OTP_TOTP_ISSUER = os.environ.get("CHITRA_OTP_ISSUER", "chitra")
#: after each wrong code the next try waits factor x 2^(failures - 1) seconds (django-otp)
OTP_TOTP_THROTTLE_FACTOR = int(os.environ.get("CHITRA_OTP_THROTTLE_FACTOR", "2"))
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
#: the demo (make demo) may print the current TOTP code of a demo user (`chitra totp_code`)
CHITRA_DEMO = env_bool("CHITRA_DEMO", False)
#: API tokens: validity when none is asked for, and the longest allowed
CHITRA_API_TOKEN_DAYS = int(os.environ.get("CHITRA_API_TOKEN_DAYS", "90"))
CHITRA_API_TOKEN_MAX_DAYS = 365
#: DRF throttling: per user, per API token, and per user on every lookup of a person by ID
CHITRA_THROTTLE_RATES = {
    "user": os.environ.get("CHITRA_THROTTLE_USER", "600/minute"),
    "token": os.environ.get("CHITRA_THROTTLE_TOKEN", "600/minute"),
    "person_lookup": os.environ.get("CHITRA_THROTTLE_PERSON_LOOKUP", "60/minute"),
}
if TESTING:
    # the suite never waits on a throttle; the throttle tests set their own low rates
    CHITRA_THROTTLE_RATES = dict.fromkeys(CHITRA_THROTTLE_RATES, "100000/minute")
#: the cache that holds the throttles' counters: local memory (one process) by default;
#: redis://host:6379/0 shares them between processes and machines
CHITRA_CACHE_URL = os.environ.get("CHITRA_CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CHITRA_CACHE_URL,
    }
    if CHITRA_CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chitra"},
}
#: the Django admin site (/django-admin/, superusers with verified 2FA); 0 removes it
CHITRA_ADMIN_SITE = env_bool("CHITRA_ADMIN_SITE", True)

AXES_FAILURE_LIMIT = int(os.environ.get("CHITRA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CHITRA_LOGIN_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = int(os.environ.get("CHITRA_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("CHITRA_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
# HTTPS (issue 11): production is served over HTTPS, told by its secure cookies (the demo sets
# CHITRA_SECURE_COOKIES=0 and is served over plain HTTP on 127.0.0.1).
_HTTPS = SESSION_COOKIE_SECURE and not (DEBUG or TESTING)
#: HTTP Strict Transport Security: one year in production, 0 under debug, tests and the demo
SECURE_HSTS_SECONDS = int(
    os.environ.get("CHITRA_HSTS_SECONDS", str(365 * 24 * 3600) if _HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHITRA_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CHITRA_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("CHITRA_SSL_REDIRECT", _HTTPS)
#: behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and nothing else
#: may reach the application): trust that header for "is this request HTTPS?"
CHITRA_BEHIND_PROXY = env_bool("CHITRA_BEHIND_PROXY", False)
if CHITRA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: browser features no page of chitra uses, refused to every page and frame
CHITRA_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "bluetooth",
        "hid",
        "idle-detection",
    )
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Encryption of sensitive fields at rest (account numbers, later issues): comma-separated keys
# (32 random bytes, url-safe base64), newest first, for AES-256-GCM (chitra.core.crypto, ADR
# 0014); the HMAC key makes blind indexes for equality search.
CHITRA_FIELD_KEYS = env_list("CHITRA_FIELD_KEYS")
CHITRA_BLIND_INDEX_KEY = os.environ.get("CHITRA_BLIND_INDEX_KEY", "")
if not (DEBUG or TESTING) and not (CHITRA_FIELD_KEYS and CHITRA_BLIND_INDEX_KEY):
    raise RuntimeError("CHITRA_FIELD_KEYS and CHITRA_BLIND_INDEX_KEY must be set in production.")

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# --- static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- hostile files and input (issue 11) ----------------------------------------------------------
#: largest uploaded file (import, results, consent scan), also for the commands that read files
CHITRA_UPLOAD_MAX_BYTES = int(os.environ.get("CHITRA_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
#: xlsx/ods are zip archives: total size of their parts once inflated, the compression ratio of
#: one large part, the number of parts (ADR 0007)
CHITRA_UPLOAD_MAX_INFLATED_BYTES = int(
    os.environ.get("CHITRA_UPLOAD_MAX_INFLATED_BYTES", str(500 * 1024 * 1024))
)
CHITRA_UPLOAD_MAX_RATIO = int(os.environ.get("CHITRA_UPLOAD_MAX_RATIO", "200"))
CHITRA_UPLOAD_MAX_MEMBERS = int(os.environ.get("CHITRA_UPLOAD_MAX_MEMBERS", "1000"))
#: rows (title and header lines included) and columns of a sheet or CSV file that is read
CHITRA_IMPORT_MAX_ROWS = int(os.environ.get("CHITRA_IMPORT_MAX_ROWS", "1048576"))
CHITRA_IMPORT_MAX_COLUMNS = int(os.environ.get("CHITRA_IMPORT_MAX_COLUMNS", "256"))
#: characters of one cell of an imported row (Excel's own cell limit); fields have their own
CHITRA_IMPORT_MAX_CELL_CHARS = int(os.environ.get("CHITRA_IMPORT_MAX_CELL_CHARS", "32767"))
#: nesting depth of a JSON request body
CHITRA_JSON_MAX_DEPTH = int(os.environ.get("CHITRA_JSON_MAX_DEPTH", "64"))
# A request body never needs to be larger than the largest upload; files above 5 MB (or the
# upload limit) are spooled to a temporary file, which the first handler stops at the limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = CHITRA_UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = min(5 * 1024 * 1024, CHITRA_UPLOAD_MAX_BYTES)
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "chitra.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- tasks -----------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CHITRA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- jobs that survive their worker (issue 11, item 7) ---------------------------------------
#: a running job's worker writes a heartbeat this often (a thread, so that one long SQL
#: statement does not look like a dead worker)
CHITRA_JOB_HEARTBEAT_SECONDS = float(os.environ.get("CHITRA_JOB_HEARTBEAT_SECONDS", "15"))
#: a running job whose heartbeat is older than this is stale: failed (or resumed) by the sweep
CHITRA_JOB_STALE_SECONDS = float(os.environ.get("CHITRA_JOB_STALE_SECONDS", "300"))
#: how often a worker sweeps stale jobs and leftover release files (besides at its start)
CHITRA_JOB_SWEEP_SECONDS = float(os.environ.get("CHITRA_JOB_SWEEP_SECONDS", "60"))
#: a release's temporary directory left by a process on another host is removed after this
CHITRA_RELEASE_TEMP_MAX_AGE_SECONDS = float(
    os.environ.get("CHITRA_RELEASE_TEMP_MAX_AGE_SECONDS", "3600")
)
if CHITRA_JOB_HEARTBEAT_SECONDS > 0 and (
    CHITRA_JOB_STALE_SECONDS < 3 * CHITRA_JOB_HEARTBEAT_SECONDS
):
    raise RuntimeError("CHITRA_JOB_STALE_SECONDS must be at least 3 heartbeats.")

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "chitra.iam.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "chitra.core.api.ChitraAutoSchema",  # + the error answers
    # JSON with a depth limit and no NUL (chitra.core.hostile); forms as DRF's own
    "DEFAULT_PARSER_CLASSES": [
        "chitra.core.hostile.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    # rates: CHITRA_THROTTLE_RATES (read when a request is throttled, so tests can set them)
    "DEFAULT_THROTTLE_CLASSES": [
        "chitra.iam.throttling.UserThrottle",
        "chitra.iam.throttling.TokenThrottle",
        "chitra.iam.throttling.PersonLookupThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chitra API",
    "DESCRIPTION": "Beneficiary registry of the cashless pension payment system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the schema and its docs page: logged-in users and valid API tokens only
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # one name per choice set (no colliding "status"/"channel" enums: check --deploy is clean)
    "ENUM_NAME_OVERRIDES": {
        "ReceivedViaEnum": "chitra.grievances.models.ReceivedVia",
        "TicketStatusEnum": "chitra.grievances.models.Status",
        "ContactChannelEnum": "chitra.outreach.models.Contact.Channel",
        "ContactOutcomeEnum": "chitra.outreach.models.Outcome",
        "PaymentMethodEnum": "chitra.payment_methods.models.Method",
        "BeneficiaryStatusEnum": "chitra.registry.models.Beneficiary.Status",
        "ReportKindEnum": "chitra.reports.models.ReportKind",
    },
}

# --- chitra ----------------------------------------------------------------------------------
CHITRA_DEFAULT_PROVINCE = os.environ.get("CHITRA_DEFAULT_PROVINCE", "08")
CHITRA_SYSTEM_USERNAME = os.environ.get("CHITRA_SYSTEM_USER", "system")
CHITRA_REGISTER_STORE = Path(os.environ.get("CHITRA_REGISTER_STORE", VAR_DIR / "register.duckdb"))
CHITRA_UPLOAD_DIR = Path(os.environ.get("CHITRA_UPLOAD_DIR", VAR_DIR / "uploads"))
CHITRA_IMPORT_BATCH = int(os.environ.get("CHITRA_IMPORT_BATCH", "5000"))
#: validity of an authorisation to receive (form 13-HSB) when none is written on it
CHITRA_AUTHORISATION_MONTHS = int(os.environ.get("CHITRA_AUTHORISATION_MONTHS", "12"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHITRA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- population register (issue 3) -------------------------------------------------------------
#: "file" (the local DuckDB copy of an extract, CHITRA_REGISTER_STORE) or "http" (a register API
#: shaped after G2P Connect registry search; CHITRA_REGISTER_URL)
CHITRA_REGISTER_CONNECTOR = os.environ.get("CHITRA_REGISTER_CONNECTOR", "file")
CHITRA_REGISTER_URL = os.environ.get("CHITRA_REGISTER_URL", "http://127.0.0.1:8090")
CHITRA_REGISTER_SENDER_ID = os.environ.get("CHITRA_REGISTER_SENDER_ID", "chitra")
CHITRA_REGISTER_TIMEOUT = float(os.environ.get("CHITRA_REGISTER_TIMEOUT", "10"))
#: the HTTP register's G2P Connect registry draft: "g2p-1.0" (current: idtype/UIN, sex
#: male|female|other|unknown) or "legacy" (idtype-value/NID, sex 1/2); "sync" or "async"
#: search (/registry/search, answer by /registry/sync/txn/status and /on-search)
CHITRA_REGISTER_DIALECT = os.environ.get("CHITRA_REGISTER_DIALECT", "g2p-1.0")
CHITRA_REGISTER_MODE = os.environ.get("CHITRA_REGISTER_MODE", "sync")
CHITRA_REGISTER_ID_TYPE = os.environ.get("CHITRA_REGISTER_ID_TYPE", "UIN")
#: the register's id in headers, its Ed25519 public key (PEM or a file; answers, /notify and
#: /on-search must be signed with it when set), and the OAuth2 client_id it calls chitra with
CHITRA_REGISTER_ID = os.environ.get("CHITRA_REGISTER_ID", "population-register")
CHITRA_REGISTER_PUBLIC_KEY = os.environ.get("CHITRA_REGISTER_PUBLIC_KEY", "")
if not CHITRA_REGISTER_PUBLIC_KEY and os.environ.get("CHITRA_REGISTER_PUBLIC_KEY_FILE"):
    CHITRA_REGISTER_PUBLIC_KEY = Path(os.environ["CHITRA_REGISTER_PUBLIC_KEY_FILE"]).read_text()
CHITRA_REGISTER_CLIENT_ID = os.environ.get("CHITRA_REGISTER_CLIENT_ID", "")
#: does the re-check (verification_run --changed-since) also ask the register's change feed
#: (GET /registry/changes, chitra's extension)? Notified events (/notify) are always read
CHITRA_REGISTER_CHANGE_FEED = os.environ.get("CHITRA_REGISTER_CHANGE_FEED", "1") == "1"
#: proof of life (ADR 0011): due this many months after the latest proof (seen alive in the
#: register, in person, by the provider, a cash collection, the switch to an account) ...
CHITRA_PROOF_OF_LIFE_MONTHS = int(os.environ.get("CHITRA_PROOF_OF_LIFE_MONTHS", "12"))
#: ... and people paid into an account are warned this many days before it is due
CHITRA_PROOF_OF_LIFE_WARN_DAYS = int(os.environ.get("CHITRA_PROOF_OF_LIFE_WARN_DAYS", "60"))

# --- payment methods (issue 4) -----------------------------------------------------------------
#: account-name inquiry adapter (dotted path); the simulated one answers by rule
CHITRA_NAME_INQUIRY = os.environ.get(
    "CHITRA_NAME_INQUIRY", "chitra.payment_methods.inquiry.SimulatedInquiry"
)
#: a change to a new account within this many days of the previous change is flagged
CHITRA_RAPID_CHANGE_DAYS = int(os.environ.get("CHITRA_RAPID_CHANGE_DAYS", "90"))
#: notification adapter (SMS/Zalo later); the logging one records what would be sent
CHITRA_NOTIFIER = os.environ.get("CHITRA_NOTIFIER", "chitra.core.notify.LoggingNotifier")

# --- monthly payment cycle --------------------------------------------------------------------
#: where released payment files are kept (never rewritten; SHA-256 recorded)
CHITRA_PAYMENT_FILES_DIR = Path(os.environ.get("CHITRA_PAYMENT_FILES_DIR", VAR_DIR / "payments"))
#: a payroll above this total (đồng) needs a second, different approver
CHITRA_SECOND_APPROVAL_ABOVE = int(os.environ.get("CHITRA_SECOND_APPROVAL_ABOVE", "50000000000"))
#: an unverified or closed account: "cash" (pay at the pay point this month) or "hold"
CHITRA_ACCOUNT_FALLBACK = os.environ.get("CHITRA_ACCOUNT_FALLBACK", "cash")
if CHITRA_ACCOUNT_FALLBACK not in ("cash", "hold"):
    raise RuntimeError("CHITRA_ACCOUNT_FALLBACK must be cash or hold.")
#: the pay days of a province without its own pay schedule (disbursement.PaySchedule, kept
#: by the province's BHXH admin): accounts credited no later than the 5th, cash at the pay
#: points from the 2nd (days 1-28, which every month has)
CHITRA_ACCOUNT_CREDIT_DAY = int(os.environ.get("CHITRA_ACCOUNT_CREDIT_DAY", "5"))
CHITRA_CASH_FROM_DAY = int(os.environ.get("CHITRA_CASH_FROM_DAY", "2"))
if not (1 <= CHITRA_ACCOUNT_CREDIT_DAY <= 28 and 1 <= CHITRA_CASH_FROM_DAY <= 28):
    raise RuntimeError("CHITRA_ACCOUNT_CREDIT_DAY and CHITRA_CASH_FROM_DAY must be 1-28.")
#: the months whose cycle is suggested to pay the next month too (January: before Tết,
#: January and February are paid together in January); comma-separated month numbers
CHITRA_TWO_MONTH_CYCLES = frozenset(
    int(m) for m in os.environ.get("CHITRA_TWO_MONTH_CYCLES", "1").split(",") if m.strip()
)
#: the provider that pays cash at pay points and at home
CHITRA_CASH_PROVIDER = os.environ.get("CHITRA_CASH_PROVIDER", "VNPOST")
#: the payer in pain.001 files: BHXH's account and its bank's BIN
CHITRA_DEBTOR_NAME = os.environ.get("CHITRA_DEBTOR_NAME", "BAO HIEM XA HOI VIET NAM")
CHITRA_DEBTOR_ACCOUNT = os.environ.get("CHITRA_DEBTOR_ACCOUNT", "0000000000")
CHITRA_DEBTOR_BIN = os.environ.get("CHITRA_DEBTOR_BIN", "970418")
#: G2P Connect: chitra's id in message headers, its Ed25519 signing key (PEM, or a file of it;
#: messages and bearer tokens are signed with it; without one, development and tests make a
#: key per process), the key id partners see, and the HTTP timeout of calls to providers
CHITRA_G2P_SENDER_ID = os.environ.get("CHITRA_G2P_SENDER_ID", "chitra")
CHITRA_G2P_SIGNING_KEY = os.environ.get("CHITRA_G2P_SIGNING_KEY", "")
if not CHITRA_G2P_SIGNING_KEY and os.environ.get("CHITRA_G2P_SIGNING_KEY_FILE"):
    CHITRA_G2P_SIGNING_KEY = Path(os.environ["CHITRA_G2P_SIGNING_KEY_FILE"]).read_text()
CHITRA_G2P_KEY_ID = os.environ.get("CHITRA_G2P_KEY_ID", "1")
CHITRA_G2P_TIMEOUT = float(os.environ.get("CHITRA_G2P_TIMEOUT", "30"))
#: disbursements per /disburse message (a large batch goes in several, same transaction_id)
CHITRA_G2P_MAX_PER_MESSAGE = int(os.environ.get("CHITRA_G2P_MAX_PER_MESSAGE", "5000"))
#: the address providers call back (sender_uri), e.g. https://chitra.example.vn/api/g2p
CHITRA_G2P_CALLBACK_URL = os.environ.get("CHITRA_G2P_CALLBACK_URL", "")
#: G2P Connect mapper: the id provider of person ids chitra resolves (uin:<CCCD>@vn.nid), and
#: the national mapper chitra may ask (empty: none)
CHITRA_MAPPER_ID_PROVIDER = os.environ.get("CHITRA_MAPPER_ID_PROVIDER", "vn.nid")
CHITRA_NATIONAL_MAPPER_URL = os.environ.get("CHITRA_NATIONAL_MAPPER_URL", "")
#: lifetime of the bearer tokens given to machine clients
CHITRA_G2P_TOKEN_SECONDS = int(os.environ.get("CHITRA_G2P_TOKEN_SECONDS", "600"))
#: where issued periodic reports (xlsx, PDF) are kept
CHITRA_REPORTS_DIR = Path(os.environ.get("CHITRA_REPORTS_DIR", VAR_DIR / "reports"))
#: PostgreSQL work_mem of the bulk steps (snapshot, payroll, results), this transaction only
CHITRA_BULK_WORK_MEM = os.environ.get("CHITRA_BULK_WORK_MEM", "256MB")


# --- personal-data law (issue 11: privacy; Law 91/2025/QH15, Decree 356/2025/NĐ-CP) ----------
def _request_days(text: str) -> dict[str, int]:
    out = {"access": 10, "correction": 10, "objection": 15, "withdrawal": 15, "deletion": 20}
    for part in text.split(","):
        if "=" in part:
            key, _sep, value = part.partition("=")
            if key.strip() not in out or not value.strip().isdigit():
                raise RuntimeError(f"CHITRA_PRIVACY_REQUEST_DAYS: bad entry {part!r}.")
            out[key.strip()] = int(value)
    return out


#: calendar days to answer a data subject's request, per kind ("access=10,deletion=20")
CHITRA_PRIVACY_REQUEST_DAYS = _request_days(os.environ.get("CHITRA_PRIVACY_REQUEST_DAYS", ""))
#: working days to acknowledge a request (Decree 356/2025: 2 working days)
CHITRA_PRIVACY_ACK_WORKING_DAYS = int(os.environ.get("CHITRA_PRIVACY_ACK_WORKING_DAYS", "2"))
#: one extension of a request's deadline, at most this many days
CHITRA_PRIVACY_EXTENSION_DAYS = int(os.environ.get("CHITRA_PRIVACY_EXTENSION_DAYS", "15"))
#: hours from the detection of a breach to the notice to the authority (A05)
CHITRA_BREACH_NOTIFY_HOURS = int(os.environ.get("CHITRA_BREACH_NOTIFY_HOURS", "72"))
#: retention (privacy/retention.py): uploaded files, job inputs and error workbooks (days)
CHITRA_RETENTION_UPLOAD_DAYS = int(os.environ.get("CHITRA_RETENTION_UPLOAD_DAYS", "30"))
#: login attempts and logs (django-axes), days
CHITRA_RETENTION_LOGIN_DAYS = int(os.environ.get("CHITRA_RETENTION_LOGIN_DAYS", "365"))
#: finished background-task rows, days
CHITRA_RETENTION_TASK_DAYS = int(os.environ.get("CHITRA_RETENTION_TASK_DAYS", "90"))
#: free-text notes of outreach contacts and the identity of complaint reporters, years
CHITRA_RETENTION_NOTE_YEARS = int(os.environ.get("CHITRA_RETENTION_NOTE_YEARS", "5"))
