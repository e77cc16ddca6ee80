"""Fixtures for the production tests: a replica alias for one test, static files collected once, and
child processes that see the production settings and nothing of the test run's own environment."""
import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = ROOT / "deploy" / "production.env"
SECRET = "Zq8v-test-only-not-a-real-key-0123456789-abcdefghijklmnopqrstuvwxyz"

# Variables the child processes must not inherit from whoever runs the suite.
MACHINE_SETTINGS = ("SECRET_KEY", "SECRET_KEY_FILE", "STATIC_ROOT", "DUBAN_VAR_DIR", "MEDIA_ROOT", "GUNICORN_BIND",
                    "GUNICORN_WORKERS", "CACHE_URL", "DATABASE_REPLICA_URL")


def production_env():
    """deploy/production.env as `env $(cat deploy/production.env)` reads it."""
    return dict(line.split("=", 1) for line in PRODUCTION_ENV.read_text().split())


def child_env(**changes):
    """The suite's environment without production's settings or this machine's, then `changes`;
    a change to None removes the variable."""
    env = {key: value for key, value in os.environ.items()
           if key not in production_env() and key not in MACHINE_SETTINGS}
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def python(*args, env, timeout=120):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def duban(*args, env, timeout=120):
    return python("-m", "duban", *args, env=env, timeout=timeout)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files as production serves them: collected once under hashed names, with gzip copies."""
    root = tmp_path_factory.mktemp("static")
    done = duban("collectstatic", "--noinput", "--verbosity", "0", timeout=600,
                 env=child_env(STATIC_MANIFEST="true", STATIC_ROOT=str(root)))
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """A `replica` database alias for a module's tests: a second, read-only connection to the test
    database, configured as settings.py configures DATABASE_REPLICA_URL. It is added before the tests'
    database access is set up, so that they may name it (databases=["default", "replica"]); being a real
    connection, it sees only what is committed (transaction=True)."""
    from django.conf import settings
    from django.db import connections

    from duban.lib.replica import REPLICA, connection_settings

    settings.DATABASES[REPLICA] = connection_settings(copy.deepcopy(connections["default"].settings_dict))
    routing = override_settings(DATABASE_ROUTERS=["duban.lib.replica.ReplicaRouter"])  # as settings.py does then
    routing.enable()
    try:
        yield connections[REPLICA]
    finally:
        routing.disable()
        connections[REPLICA].close()
        del connections[REPLICA]
        del settings.DATABASES[REPLICA]
