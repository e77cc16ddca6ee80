import pytest

from tests.deploy.conftest import collected_static  # noqa: F401 (the production child needs it)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
