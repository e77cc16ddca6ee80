"""gunicorn for duban: `gunicorn -c deploy/gunicorn.conf.py duban.wsgi:application`.

Every value can be changed from the environment (GUNICORN_*), so one file serves every app server.
See docs/deploy.md for the whole stack.
"""
import os
import re

from gunicorn.glogging import Logger


def _int(name, default):
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


# Where to listen: the reverse proxy connects here (a unix socket works too: unix:/run/duban.sock).
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]

# Worker processes: the usual 2 × cores + 1, capped, because each holds its own copy of everything
# (about 145 MB measured after serving pages; more once it has loaded the dispatch classifiers and
# jieba's dictionary for the hotline's suggestions).
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, _int("GUNICORN_MAX_WORKERS", 8)))

# gthread: a few threads per process. Most of a page's time is spent waiting on PostgreSQL, which
# threads overlap; and some requests are long — a PDF bulletin takes seconds, an export of the whole
# ledger streams for minutes. A sync worker is silent to the arbiter for as long as its request runs
# and is killed at `timeout`; a gthread worker's main thread keeps reporting while its threads work,
# so a long export finishes and a hung process is still replaced. Each thread keeps its own database
# connection: plan PostgreSQL's max_connections for servers × workers × threads (+ workers + admin).
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# A worker that does not report for this long is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM or HUP, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive with the reverse proxy (nginx's upstream keepalive).
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Bound memory: a worker is replaced after this many requests (± jitter, so they do not all restart
# at once). A parsed workbook or a drawn chart is never kept for long.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The workers' heartbeat files in memory, not on a disk that may stall (containers, slow volumes).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108 # as gunicorn's docs advise

# The addresses of the reverse proxies allowed to say the request came over HTTPS (X-Forwarded-Proto).
# Django reads the client's address itself, TRUSTED_PROXIES places from the right of X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr, for systemd's journal or the container's log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client (as the proxy saw it), request, status, bytes, milliseconds taken, referrer, user agent.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

proc_name = "duban"

# gunicorn's control socket (gunicornc) is off unless a path is given: its default path is one per user,
# which two servers on one machine would fight over. Signals do the same work: HUP reloads, TERM stops.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# The WSGI application, when the command line does not name one.
wsgi_app = "duban.wsgi:application"

SURVEY_LINK = re.compile(r"/s/[^/?\s]+")


class AccessLogger(Logger):
    """The access log never records a survey invitation's token (/s/TOKEN/): with the time of the
    POST it would tie an anonymous answer to the person invited."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = SURVEY_LINK.sub("/s/<token>", atoms[key])
        atoms["f"] = SURVEY_LINK.sub("/s/<token>", atoms.get("f") or "-")
        return atoms


logger_class = AccessLogger
