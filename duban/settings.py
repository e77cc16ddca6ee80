"""One settings module; everything that differs between machines comes from the environment."""
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from duban.lib.env import SettingError, envbool, envfloat, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("DUBAN_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    # Production (deploy/production.env) sets DUBAN_REQUIRE_SECRET: no process starts without a key.
    if not DEBUG and envbool("DUBAN_REQUIRE_SECRET", False):
        raise SettingError("SECRET_KEY (or SECRET_KEY_FILE) must be set: DUBAN_REQUIRE_SECRET is on")
    # The prefix makes `duban check --deploy` name it (security.W009).
    SECRET_KEY = "django-insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "duban.org",
    "duban.catalogue",
    "duban.ledger",
    "duban.clock",
    "duban.notify",
    "duban.triage",
    "duban.intake",
    "duban.open311",
    "duban.demo",
    "duban.verdict",
    "duban.figures",
    "duban.races",
    "duban.assessment",
    "duban.bulletin",
    "duban.projects",
    "duban.campaigns",
    "duban.inspections",
    "duban.surveys",
    "duban.enterprises",
    "duban.web",
    "django.contrib.admin",  # after our apps, so their admin templates take precedence
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before anything that reads a session
    "duban.web.unavailable.UnavailableMiddleware",  # the database unreachable: 503, outside what reads it
    "duban.web.unavailable.UnstorableMiddleware",  # a NUL in the address: 400 before anything looks it up
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "duban.intake.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out login into the lockout page
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"
AUTH_USER_MODEL = "org.Person"

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
                "duban.clock.context_processors.calendar_warning",
            ],
        },
    },
]

DB_CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 0)  # seconds a connection is kept between requests
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'duban.sqlite3'}"),
        conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_MAX_AGE > 0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite creates the file but not its folder.
    name = DATABASES["default"]["NAME"]
    if name and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue for the database lock instead of failing at once.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    }

# A read replica (PostgreSQL streaming replication) for the heavy read pages: the dashboard, rankings,
# boards, assessments, bulletins, inspection reports and survey results (`@reads_replica`). Writes
# always go to default; without a replica everything does.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    from duban.lib.replica import REPLICA, connection_settings

    DATABASES[REPLICA] = connection_settings(dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_MAX_AGE > 0))
# Only with a replica: a router is asked about every related row assigned, which costs time for nothing.
DATABASE_ROUTERS = ["duban.lib.replica.ReplicaRouter"] if DATABASE_REPLICA_URL else []

# While the database cannot be reached, requests are answered 503 with this Retry-After (seconds).
UNAVAILABLE_RETRY_SECONDS = envint("UNAVAILABLE_RETRY_SECONDS", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# Static files are served by WhiteNoise from every app server. In production `duban collectstatic`
# writes them to STATIC_ROOT under names that carry a hash of their content, with gzip copies
# (STATIC_MANIFEST=true): those are cached by browsers for ten years, and `{% static %}` refuses a file
# that was not collected. Otherwise (development, tests, `make demo`) they are found where they live,
# as asked for, and nothing has to be collected.
STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_MANIFEST = envbool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if STATIC_MANIFEST
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
MEDIA_URL = "media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Logging in --------------------------------------------------------------------------
# Argon2 for new and changed passwords; the others still read hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes counts failed logins (pages and admin) in the database, so every process sees them.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)  # failures before the lock
AXES_COOLOFF_TIME = envint("LOGIN_LOCK_MINUTES", 15) / 60  # hours; a float is read as a fraction of one
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one name from one address: no one locks others out
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "duban.web.throttle.client_ip"
# Behind this many reverse proxies, the client is that many addresses from the right of X-Forwarded-For,
# and the proxy's X-Forwarded-Proto says whether the request came over HTTPS.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])  # e.g. https://12345.example.gov.cn
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# Cookies: the session never readable by scripts (the CSRF token is, for the API's own pages); neither
# sent on cross-site posts; HTTPS-only in production.
SECURE_COOKIES = envbool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 12) * 3600
# HTTPS (deploy/production.env turns these on): http:// is redirected to https:// (behind a proxy that
# terminates TLS this needs TRUSTED_PROXIES, which reads X-Forwarded-Proto), and browsers are told to
# use nothing but HTTPS for SECURE_HSTS_SECONDS. Preloading commits the whole registered domain to
# HTTPS in every browser and is asked for on hstspreload.org: a decision, not a default, so its
# reminder (security.W021) is silenced unless SECURE_HSTS_PRELOAD is on.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = envstr("REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- The public pages -----------------------------------------------------------------------
# Per client address and hour: reports a citizen may file, and tracking look-ups (number + phone).
PUBLIC_REPORTS_PER_HOUR = envint("PUBLIC_REPORTS_PER_HOUR", 10)
PUBLIC_LOOKUPS_PER_HOUR = envint("PUBLIC_LOOKUPS_PER_HOUR", 30)
# Open311 requests posted per client address and hour (a FixMyStreet server posts for many citizens).
OPEN311_POSTS_PER_HOUR = envint("OPEN311_POSTS_PER_HOUR", 600)
PUBLIC_PHOTOS_MAX = envint("PUBLIC_PHOTOS_MAX", 6)  # photos with one report
# The counters live in the cache: each process's memory, unless CACHE_URL names a database table that
# every process shares (db://TABLE, made by `duban createcachetable`).
CACHE_URL = envstr("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith("db://"):
    raise SettingError(f"CACHE_URL must look like db://duban_cache, not {CACHE_URL!r}")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": CACHE_URL.removeprefix("db://")} if CACHE_URL
          else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- The ledger -------------------------------------------------------------------------
# Ticket numbers look like JC2026-0000123: prefix, year, sequence.
TICKET_PREFIX = envstr("TICKET_PREFIX", "JC")
# Attachments: size limit in bytes and the file types accepted (sniffed from content).
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# An image whose header declares more pixels is refused before anything decodes it (image bombs).
ATTACHMENT_MAX_PIXELS = envint("ATTACHMENT_MAX_PIXELS", 50_000_000)
# A workbook to import (a ledger, a race's values) may be this large.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 100 * 1024 * 1024)
# A zipped file (.xlsx, .docx) with a part over 1 MB packed more than this many times is refused (zip bombs).
ZIP_MAX_RATIO = envint("ZIP_MAX_RATIO", 200)
ATTACHMENT_TYPES = envlist(
    "ATTACHMENT_TYPES",
    ["image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
)
# Kinds of request that may be resolved without an evidence attachment (the answer is the evidence).
RESOLVE_WITHOUT_ATTACHMENT_KINDS = envlist("RESOLVE_WITHOUT_ATTACHMENT_KINDS", ["inquiry"])
# A checkpoint only covers events older than this, so no transaction still in flight
# can commit an event below it.
CHECKPOINT_MARGIN_SECONDS = envint("CHECKPOINT_MARGIN_SECONDS", 300)

# --- The clock ----------------------------------------------------------------------------
def _office_hours(value):
    """"08:30-12:00,13:30-17:30" → ((time(8, 30), time(12)), (time(13, 30), time(17, 30)))."""
    from datetime import time

    try:
        periods = [period.split("-") for period in value.split(",")]
        return tuple((time.fromisoformat(a.strip()), time.fromisoformat(b.strip())) for a, b in periods)
    except ValueError:
        raise ValueError(f"OFFICE_HOURS must look like 08:30-12:00,13:30-17:30, not {value!r}") from None


OFFICE_HOURS = _office_hours(envstr("OFFICE_HOURS", "08:30-12:00,13:30-17:30"))
# Dispatchers are warned this many days before the last loaded day of the calendar.
CALENDAR_WARNING_DAYS = envint("CALENDAR_WARNING_DAYS", 60)
# A ticket turns yellow when this share (percent) of its time to resolve is used.
WARNING_PERCENT = envint("WARNING_PERCENT", 80)
# The escalation ladder: remind when the deadline passes, supervise and summon this many
# working days after it.
SUPERVISE_AFTER_WORKDAYS = envint("SUPERVISE_AFTER_WORKDAYS", 3)
SUMMON_AFTER_WORKDAYS = envint("SUMMON_AFTER_WORKDAYS", 5)

# --- Intake ---------------------------------------------------------------------------------
# Matters whose category and area the catalogue covers are dispatched as they arrive.
INTAKE_AUTO_DISPATCH = envbool("INTAKE_AUTO_DISPATCH", True)
# A category suggested by the classifier is taken when it is at least this sure (0–1).
INTAKE_AUTO_CATEGORY_CONFIDENCE = envfloat("INTAKE_AUTO_CATEGORY_CONFIDENCE", 0.6)
# Largest request body the API and Open311 accept (bytes); photos have their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("MAX_REQUEST_BYTES", 2 * 1024 * 1024)
# POSTs under these paths honour the Idempotency-Key header.
IDEMPOTENT_PATHS = ["/api/", "/open311/"]
# A workbook is refused when it would unpack to more than this, or holds more members (zip bombs).
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", 512 * 1024 * 1024)
IMPORT_MAX_ZIP_MEMBERS = envint("IMPORT_MAX_ZIP_MEMBERS", 1000)
# Duplicates: the share of wording two reports must have in common, and less when they are this near.
DUPLICATE_SIMILARITY = envfloat("DUPLICATE_SIMILARITY", 0.5)
DUPLICATE_NEAR_METRES = envint("DUPLICATE_NEAR_METRES", 300)
DUPLICATE_NEAR_SIMILARITY = envfloat("DUPLICATE_NEAR_SIMILARITY", 0.25)

# --- Open311 GeoReport v2 (/open311/v2/) ------------------------------------------------------
OPEN311_JURISDICTION = envstr("OPEN311_JURISDICTION", "duban")  # the jurisdiction_id clients may send
OPEN311_CONTACT = envstr("OPEN311_CONTACT", "12345热线中心")  # discovery's contact
OPEN311_KEY_SERVICE = envstr("OPEN311_KEY_SERVICE", "API keys are issued by the hotline centre: duban apikey create")

# --- Background work: Django's Tasks API (django-tasks backport), stored in the database -----
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often the worker runs its periodic tasks.
SWEEP_EVERY_SECONDS = envint("SWEEP_EVERY_SECONDS", 60)
DELIVER_EVERY_SECONDS = envint("DELIVER_EVERY_SECONDS", 10)
CHECKPOINT_EVERY_SECONDS = envint("CHECKPOINT_EVERY_SECONDS", 900)

# --- Notifications ------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "duban@localhost")
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
# An SMS gateway over HTTP: the URL, and the JSON body with {phone} and {text} placeholders.
NOTIFY_SMS_URL = envstr("NOTIFY_SMS_URL", "")
NOTIFY_SMS_TEMPLATE = envstr("NOTIFY_SMS_TEMPLATE", '{"phone": "{phone}", "text": "{text}"}')
NOTIFY_TIMEOUT_SECONDS = envint("NOTIFY_TIMEOUT_SECONDS", 10)
NOTIFY_LEASE_SECONDS = envint("NOTIFY_LEASE_SECONDS", 120)  # a claimed message is retried after this
NOTIFY_RETRY_SECONDS = envint("NOTIFY_RETRY_SECONDS", 60)  # first retry; doubles each time
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", 8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Verdicts and rankings (duban.verdict, duban.figures): one district's published method by default.
# 三率: composite = response × w1 + resolution × w2 + satisfaction × w3 (weights add up to 1).
RATE_WEIGHTS = {
    "response": envfloat("RATE_WEIGHT_RESPONSE", 0.1),
    "resolution": envfloat("RATE_WEIGHT_RESOLUTION", 0.5),
    "satisfaction": envfloat("RATE_WEIGHT_SATISFACTION", 0.4),
}
if abs(sum(RATE_WEIGHTS.values()) - 1) > 1e-9:
    raise SettingError(f"RATE_WEIGHT_RESPONSE, _RESOLUTION and _SATISFACTION must add up to 1, not {RATE_WEIGHTS}")
BASICALLY_SATISFIED_WEIGHT = envfloat("BASICALLY_SATISFIED_WEIGHT", 0.9)  # 基本满意 counts 0.9 of 满意
RANKING_MIN_SAMPLE = envint("RANKING_MIN_SAMPLE", 10)  # fewer verdicts in the period: listed, not ranked
RED_LIST_SIZE = envint("RED_LIST_SIZE", 5)
BLACK_LIST_SIZE = envint("BLACK_LIST_SIZE", 5)
CALL_BACK_DUE_WORKDAYS = envint("CALL_BACK_DUE_WORKDAYS", 1)  # 回访 the working day after closing
CALL_BACK_MAX_ATTEMPTS = envint("CALL_BACK_MAX_ATTEMPTS", 3)  # unreached this often: given up
SAMPLED_CALL_BACK_WORKDAYS = envint("SAMPLED_CALL_BACK_WORKDAYS", 5)  # a sample's calls are due
RECTIFICATION_WORKDAYS = envint("RECTIFICATION_WORKDAYS", 15)  # a bad rating's rectification is due
REFLECTION_WORKDAYS = envint("REFLECTION_WORKDAYS", 10)  # a black-listed unit's written reflection is due

# Programmes (duban.projects, duban.inspections, duban.enterprises).
PROJECT_BLOCKER_WORKDAYS = envint("PROJECT_BLOCKER_WORKDAYS", 5)  # a project's blocker is due in
PROJECT_BEHIND_POINTS = envint("PROJECT_BEHIND_POINTS", 10)  # progress this far behind time elapsed: yellow
INSPECTION_MAX_PHOTOS = envint("INSPECTION_MAX_PHOTOS", 9)  # photos with one inspection visit
ENTERPRISE_REQUEST_WORKDAYS = envint("ENTERPRISE_REQUEST_WORKDAYS", 3)  # a firm's request is due in (fast clock)
