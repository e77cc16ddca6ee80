from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

# Tests run on a fixed Monday morning, so the clock's answers never depend on the day the suite
# runs (the loaded calendar ends with the last year the State Council has published). Time
# still moves forward from there.
TEST_START = datetime(2025, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when the suite runs on PostgreSQL."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def vendor():
    return connection.vendor


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    """Attachments written by tests never land in ./var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test reads the working-day calendar its own database holds."""
    from duban.clock.calendar import forget

    forget()


@pytest.fixture(autouse=True, scope="session")
def _fixed_start_of_time():
    with time_machine.travel(TEST_START, tick=True):
        yield
