"""deploy/gunicorn.conf.py: valid gunicorn settings, sized from the machine or the environment, and an
access log that never records a survey invitation's token."""
import os
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from tests.deploy.conftest import ROOT

CONF = str(ROOT / "deploy" / "gunicorn.conf.py")


def loaded():
    """The file as gunicorn reads it: every name it knows is set, and checked, on a Config."""
    config = Config()
    for name, value in runpy.run_path(CONF).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_the_config_is_valid_for_gunicorn():
    config = loaded()
    assert config.worker_class_str == "gthread"
    assert config.settings["wsgi_app"].get() == "duban.wsgi:application"
    assert config.max_requests > 0 and config.max_requests_jitter > 0
    assert config.graceful_timeout > 0 and config.timeout > 0


def test_workers_default_to_twice_the_cores_plus_one_capped(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_MAX_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    assert loaded().workers == min(2 * os.cpu_count() + 1, 8)
    monkeypatch.setenv("GUNICORN_MAX_WORKERS", "2")
    assert loaded().workers == 2


def test_the_environment_sets_the_address_workers_and_trusted_proxies(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "10.0.0.5:8000,unix:/run/duban.sock")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1")
    config = loaded()
    assert config.bind == ["10.0.0.5:8000", "unix:/run/duban.sock"]
    assert config.workers == 3
    assert config.forwarded_allow_ips == ["10.0.0.1"]


def test_a_bad_number_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "four")
    with pytest.raises(ValueError, match="GUNICORN_THREADS"):
        loaded()


def test_the_access_log_hides_a_survey_invitations_token():
    config = loaded()
    logger = config.logger_class(config)
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": "/s/Xy7-secret_token/", "PATH_INFO": "/s/Xy7-secret_token/",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": "https://12345.example.gov.cn/s/Xy7-secret_token/"}
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    line = config.access_log_format % logger.atoms_wrapper_class(atoms)
    assert "Xy7-secret_token" not in line
    assert '"POST /s/<token>/ HTTP/1.1" 302' in line and "12ms" in line
