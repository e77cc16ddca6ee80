"""The security steps of .ci/run can fail. bandit, configured as CI runs it, fails on a high finding.
.ci/audit fails on a known vulnerability, passes a clean environment, and says plainly when it could
not run at all — failing then only when DUBAN_AUDIT_REQUIRED=1. The vulnerability database is an OSV
service on loopback that answers as each test tells it (this machine cannot reach a real one)."""
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT
from tests.notify import test_outbox


class FakeOsv(test_outbox.Receiver):
    """POST /v1/query → the vulnerabilities this test gives for a package name, else none."""

    def __init__(self, vulnerable):
        super().__init__(answer=lambda request: (200, {"vulns": [
            vulnerability(request["json"]["package"]["name"], vid)
            for vid in vulnerable.get(request["json"]["package"]["name"], [])]}))
        self.url = f"{self.url}/v1/query"

    def asked(self):
        return {request["json"]["package"]["name"] for request in self.requests}


def bandit(folder):
    """bandit as .ci/run runs it on duban/, here on `folder`."""
    return subprocess.run([str(Path(sys.executable).parent / "bandit"), "-c", str(ROOT / "pyproject.toml"), "-r",
                           str(folder), "--severity-level", "medium", "--quiet"],
                          capture_output=True, text=True, timeout=120)


def test_bandit_as_ci_runs_it_fails_on_a_high_finding_and_passes_a_marked_false_positive(tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    (code / "shell.py").write_text("import subprocess\n\n\ndef run(command):\n"
                                   "    return subprocess.call(command, shell=True)\n")
    done = bandit(code)
    assert done.returncode == 1 and "B602" in done.stdout and "Severity: High" in done.stdout
    (code / "shell.py").write_text("import subprocess\n\n\ndef run(command):\n"
                                   "    return subprocess.call(command, shell=True)  # nosec B602 # a test\n")
    assert bandit(code).returncode == 0


def vulnerability(name, vid):
    return {"id": vid, "summary": "a test vulnerability", "affected": [{
        "package": {"name": name, "ecosystem": "PyPI"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "999.0"}]}]}]}


@pytest.fixture
def osv(request):
    fake = FakeOsv(getattr(request, "param", {}))
    yield fake
    fake.stop()


def audit(osv_url, **env):
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT / "var"), "DUBAN_AUDIT_SERVICE": "osv",
                   "DUBAN_AUDIT_OSV_URL": osv_url, **env}
    return subprocess.run([sys.executable, str(ROOT / ".ci" / "audit")], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("osv", [{"django": ["GHSA-duban-test-0001"]}], indirect=True)
def test_a_known_vulnerability_fails_the_audit(osv):
    done = audit(osv.url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "django" in done.stdout and "GHSA-duban-test-0001" in done.stdout
    assert "audit: failed" in done.stdout


def test_an_environment_without_known_vulnerabilities_passes(osv):
    done = audit(osv.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "audit: passed" in done.stdout
    assert {"django", "psycopg", "gunicorn"} <= osv.asked()  # the project's real packages were asked about
    assert "duban" not in osv.asked()  # itself, an editable install, is not on PyPI


def closed_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


def test_an_unreachable_service_is_named_and_is_no_pass():
    done = audit(f"http://127.0.0.1:{closed_port()}/v1/query")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "audit: could NOT run" in done.stdout and "this is not a pass" in done.stdout
    assert "audit: passed" not in done.stdout


def test_an_unreachable_service_fails_ci_when_the_audit_is_required():
    done = audit(f"http://127.0.0.1:{closed_port()}/v1/query", DUBAN_AUDIT_REQUIRED="1")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "audit: could NOT run" in done.stdout
