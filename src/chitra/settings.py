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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "chitra.core",
    "chitra.geo",
    "chitra.iam",
    "chitra.registry",
    "chitra.verification",
    "chitra.payment_methods",
    "chitra.outreach",
    "chitra.disbursement",
    "chitra.reports",
    "chitra.grievances",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chitra.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

# --- auth and security -----------------------------------------------------------------------
AUTH_USER_MODEL = "iam.User"
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if TESTING:
    # Speed only: the production hasher (argon2) is proven by tests/iam/test_security.py.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                        *PRODUCTION_PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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

# Encryption of sensitive fields at rest (account numbers, later issues). Comma-separated Fernet
# keys, newest first (MultiFernet); the HMAC key makes blind indexes for equality search.
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
CHITRA_UPLOAD_MAX_INFLATED_BYTES = int(os.environ.get("CHITRA_UPLOAD_MAX_INFLATED_BYTES",
                                                      str(500 * 1024 * 1024)))
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

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "chitra.core.api.ChitraAutoSchema",  # + the error answers
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON with a depth limit and no NUL (chitra.core.hostile); forms as DRF's own
    "DEFAULT_PARSER_CLASSES": [
        "chitra.core.hostile.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chitra API",
    "DESCRIPTION": "Beneficiary registry of the cashless pension payment system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
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
#: proof of life: seen alive in the register (or confirmed in person) within this many days
CHITRA_PROOF_OF_LIFE_DAYS = int(os.environ.get("CHITRA_PROOF_OF_LIFE_DAYS", "365"))

# --- payment methods (issue 4) -----------------------------------------------------------------
#: account-name inquiry adapter (dotted path); the simulated one answers by rule
CHITRA_NAME_INQUIRY = os.environ.get("CHITRA_NAME_INQUIRY",
                                     "chitra.payment_methods.inquiry.SimulatedInquiry")
#: a change to a new account within this many days of the previous change is flagged
CHITRA_RAPID_CHANGE_DAYS = int(os.environ.get("CHITRA_RAPID_CHANGE_DAYS", "90"))
#: notification adapter (SMS/Zalo later); the logging one records what would be sent
CHITRA_NOTIFIER = os.environ.get("CHITRA_NOTIFIER", "chitra.core.notify.LoggingNotifier")

# --- monthly payment cycle --------------------------------------------------------------------
#: where released payment files are kept (never rewritten; SHA-256 recorded)
CHITRA_PAYMENT_FILES_DIR = Path(os.environ.get("CHITRA_PAYMENT_FILES_DIR", VAR_DIR / "payments"))
#: a payroll above this total (đồng) needs a second, different approver
CHITRA_SECOND_APPROVAL_ABOVE = int(os.environ.get("CHITRA_SECOND_APPROVAL_ABOVE",
                                                  "50000000000"))
#: an unverified or closed account: "cash" (pay at the pay point this month) or "hold"
CHITRA_ACCOUNT_FALLBACK = os.environ.get("CHITRA_ACCOUNT_FALLBACK", "cash")
if CHITRA_ACCOUNT_FALLBACK not in ("cash", "hold"):
    raise RuntimeError("CHITRA_ACCOUNT_FALLBACK must be cash or hold.")
#: the provider that pays cash at pay points and at home
CHITRA_CASH_PROVIDER = os.environ.get("CHITRA_CASH_PROVIDER", "VNPOST")
#: the payer in pain.001 files: BHXH's account and its bank's BIN
CHITRA_DEBTOR_NAME = os.environ.get("CHITRA_DEBTOR_NAME", "BAO HIEM XA HOI VIET NAM")
CHITRA_DEBTOR_ACCOUNT = os.environ.get("CHITRA_DEBTOR_ACCOUNT", "0000000000")
CHITRA_DEBTOR_BIN = os.environ.get("CHITRA_DEBTOR_BIN", "970418")
#: where issued periodic reports (xlsx, PDF) are kept
CHITRA_REPORTS_DIR = Path(os.environ.get("CHITRA_REPORTS_DIR", VAR_DIR / "reports"))
#: PostgreSQL work_mem of the bulk steps (snapshot, payroll, results), this transaction only
CHITRA_BULK_WORK_MEM = os.environ.get("CHITRA_BULK_WORK_MEM", "256MB")
