"""The peer's WSGI application, for gunicorn: `gunicorn peer.wsgi:application` with bench/ on PYTHONPATH."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")
application = get_wsgi_application()
