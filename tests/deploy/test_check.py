"""deploy/production.env passes Django's deployment check without a warning; each missing piece of it
is named by the check, and a production process refuses to start without a secret key."""
from tests.deploy.conftest import SECRET, child_env, duban, production_env

CHECK = ("check", "--deploy", "--fail-level", "WARNING")


def check(**changes):
    return duban(*CHECK, env=child_env(**{**production_env(), **changes}))


def test_the_production_settings_pass_the_deployment_check():
    done = check(SECRET_KEY=SECRET)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_production_process_will_not_start_without_a_secret_key():
    done = check()
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr and "DUBAN_REQUIRE_SECRET" in done.stderr


def test_the_check_names_each_thing_production_would_lack():
    done = check(DUBAN_REQUIRE_SECRET="false", SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false",
                 SECURE_COOKIES="false", DEBUG="true")
    assert done.returncode != 0
    named_by_code = ("security.W009",  # the development key
                     "security.W004", "security.W008", "security.W012", "security.W016", "security.W018")
    for named in named_by_code:
        assert named in done.stderr, named


def test_hsts_without_subdomains_is_named():
    done = check(SECRET_KEY=SECRET, SECURE_HSTS_INCLUDE_SUBDOMAINS="false")
    assert done.returncode != 0
    assert "security.W005" in done.stderr
