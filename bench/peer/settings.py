"""Settings of the tiny Django project that serves django-helpdesk 2.6.1 beside duban, for the benchmarks.

Runs only in the peer's own venv (var/bench/helpdesk-venv), started by bench/peer/__init__.py, which
sets PEER_DATABASE_URL (postgres://… or sqlite:////absolute/path) and PEER_VAR (where media and logs
go). Deployed as duban is: DEBUG off, connections kept for 60 s, SQLite in WAL mode with the same
options as duban's. Helpdesk keeps its normal behaviour (follow-ups, e-mails rendered for the
submitter, signals) except that e-mail goes to Django's dummy backend and never to the network.
"""
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

VAR = Path(os.environ.get("PEER_VAR") or Path(__file__).resolve().parents[2] / "var" / "bench")


def database(url):
    if url.startswith("sqlite:///"):
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": url[len("sqlite:///"):],
            "CONN_MAX_AGE": 60,
            # The same as duban's settings, so that neither side gets a better SQLite.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            },
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"PEER_DATABASE_URL must be postgres://… or sqlite:////…, not {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }


if not os.environ.get("PEER_DATABASE_URL"):
    raise ImproperlyConfigured("PEER_DATABASE_URL is not set (bench/peer/__init__.py sets it)")
DATABASES = {"default": database(os.environ["PEER_DATABASE_URL"])}

SECRET_KEY = "peer-bench-only-never-deployed-2026"  # a local benchmark peer, not a service
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer.urls"
WSGI_APPLICATION = "peer.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "zh-hans"  # helpdesk ships a Simplified Chinese catalogue, as duban serves Chinese
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR / "helpdesk-static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR / "helpdesk-media"

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

# E-mail is rendered and handed to a backend that drops it: nothing leaves the machine.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@peer.invalid"
SERVER_EMAIL = "helpdesk@peer.invalid"

# django-helpdesk: the REST API at /api/ (on by default in 2.6.1; there is no other switch), and no
# pinax-teams (an optional extra); everything else at helpdesk's defaults. Webhooks stay off: they
# are read from HELPDESK_*_WEBHOOK_URLS in the environment, which bench/peer/__init__.py clears.
HELPDESK_API_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False

# Server errors to the gunicorn error log (with DEBUG off Django would only mail them to ADMINS).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
