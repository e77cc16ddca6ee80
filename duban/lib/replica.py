"""Heavy read pages on a read replica.

A view decorated with `@reads_replica` runs its GET with the replica chosen for reading; the router
sends that view's reads to the `replica` database when DATABASE_REPLICA_URL configures one, and every
write, everywhere, to `default`. Without a replica everything reads `default`, as before.

Reads stay on `default` even in a marked view when they
- happen inside a transaction on `default`: the view is writing, and must read what it writes and
  lock what it changes;
- touch state a request writes and reads back at once: sessions, the cache (rate-limit counters)
  and django-axes' login failures, which a lagging replica would show stale.
"""
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PRIMARY_ONLY_APPS = {"sessions", "django_cache", "axes"}

_reading_replica = ContextVar("reading_replica", default=False)


def reads_replica(view):
    """Mark a heavy read page: its GET (and HEAD) reads from the replica when there is one."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        token = _reading_replica.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _reading_replica.reset(token)
    return wrapper


def configured():
    return REPLICA in settings.DATABASES


def connection_settings(database):
    """The replica's connection settings: read-only, so that a replica URL pointing at a primary by
    mistake still never takes a write; in tests, a mirror of `default` (one database)."""
    options = dict(database.get("OPTIONS", {}))
    if database["ENGINE"] == "django.db.backends.postgresql":
        options["options"] = f"{options.get('options', '')} -c default_transaction_read_only=on".strip()
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        options["init_command"] = f"{options.get('init_command', '')} PRAGMA query_only=ON;".strip()
        options.pop("transaction_mode", None)  # BEGIN IMMEDIATE asks for a write lock
    return {**database, "OPTIONS": options, "TEST": {**database.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}}


class ReplicaRouter:
    """Reads of a marked view go to the replica; everything else is left to Django (`default`)."""

    def db_for_read(self, model, **hints):
        if not _reading_replica.get() or not configured():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """A row read from the replica may be linked to one on the primary: they are the same data."""
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None
