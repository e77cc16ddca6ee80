"""The router on its own: with a replica configured, which database each read and write is sent to."""
import pytest
from django.contrib.sessions.models import Session
from django.core.cache.backends.db import Options
from django.test import RequestFactory

from duban.lib.replica import REPLICA, ReplicaRouter, reads_replica
from duban.org.models import Unit

pytestmark = pytest.mark.usefixtures("replica")


def in_a_marked_page(ask):
    return reads_replica(lambda request: ask())(RequestFactory().get("/"))


def test_the_router_sends_writes_to_default_even_in_a_marked_page():
    router = ReplicaRouter()
    assert in_a_marked_page(lambda: router.db_for_read(Unit)) == REPLICA
    assert in_a_marked_page(lambda: router.db_for_write(Unit)) == "default"
    assert router.db_for_read(Unit) is None  # outside the page


def test_sessions_and_the_cache_are_read_from_the_primary_even_in_a_marked_page():
    router = ReplicaRouter()
    cache_entry = type("CacheEntry", (), {"_meta": Options("duban_cache")})  # as DatabaseCache defines it
    assert in_a_marked_page(lambda: router.db_for_read(Session)) == "default"
    assert in_a_marked_page(lambda: router.db_for_read(cache_entry)) == "default"


def test_a_marked_page_asked_with_post_does_not_choose_the_replica():
    router = ReplicaRouter()
    post = RequestFactory().post("/")
    assert reads_replica(lambda request: router.db_for_read(Unit))(post) is None


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "org") is False
    assert router.allow_migrate("default", "org") is None
