"""A bare Django project: one app, one model, one view, no middleware. Its database is duban's,
configured exactly as duban configures it (DATABASE_URL, DB_CONN_MAX_AGE, SQLite's options)."""
from duban.lib.env import envlist
from duban.settings import DATABASES as DUBAN_DATABASES

DEBUG = False
SECRET_KEY = "bench-floor-not-a-secret"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
INSTALLED_APPS = ["bench.floor.apps.FloorConfig"]
MIDDLEWARE = []
ROOT_URLCONF = "bench.floor.urls"
WSGI_APPLICATION = "bench.floor.wsgi.application"
DATABASES = {"default": DUBAN_DATABASES["default"]}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
