"""bench/peer: django-helpdesk, the benchmarks' peer, built in its own venv, prepared, served by gunicorn,
written to through its REST API and filled by COPY. Skipped where its venv cannot be built (no registry)."""
import http.client
import json
from urllib.parse import quote

import pytest

from tests.bench import bench_module

PORT, SQLITE_PORT = 8710, 8711
TIMEOUT = 120  # seconds for any one request


@pytest.fixture(scope="module")
def peer():
    peer = bench_module("peer")
    try:
        peer.install()
    except peer.PeerUnavailable as error:
        pytest.skip(f"django-helpdesk's venv cannot be built here: {error}")
    return peer


@pytest.fixture(scope="module")
def pg_url(peer):
    """A fresh database peer_test beside the suite's, prepared for helpdesk."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/peer_test"
    peer.prepare(url, fresh=True)
    yield url
    import psycopg

    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS peer_test WITH (FORCE)")


@pytest.fixture(scope="module")
def server(peer, pg_url):
    with peer.serve(pg_url, PORT) as server:
        yield server


def request(server, method, path, headers=None, body=None):
    port = int(server.url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        conn.close()


def count(url, table):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.postgres
def test_it_serves_with_the_workers_asked_for(server):
    assert len(server.pids()) == 2
    assert server.url == f"http://127.0.0.1:{PORT}"


@pytest.mark.postgres
def test_the_api_files_twenty_distinct_tickets_each_answered_201(peer, server, pg_url):
    before = count(pg_url, "helpdesk_ticket")
    titles = set()
    for i in range(20):
        method, path, headers, body = peer.create_request(i)
        status, _, answer = request(server, method, path, headers, body)
        assert status == 201, answer[:500]
        titles.add(json.loads(answer)["title"])
    assert len(titles) == 20
    assert count(pg_url, "helpdesk_ticket") == before + 20


@pytest.mark.postgres
def test_the_api_refuses_a_wrong_password(peer, server):
    method, path, headers, body = peer.create_request(0)
    headers["Authorization"] = "Basic YmVuY2g6d3Jvbmc="  # bench:wrong
    status, _, _ = request(server, method, path, headers, body)
    assert status in (401, 403)


@pytest.mark.postgres
def test_the_logged_in_session_files_a_ticket_too(peer, server, pg_url):
    before = count(pg_url, "helpdesk_ticket")
    method, path, headers, body = peer.create_request(1000, cookies=peer.login_cookies(server.url))
    status, _, answer = request(server, method, path, headers, body)
    assert status == 201, answer[:500]
    assert count(pg_url, "helpdesk_ticket") == before + 1


@pytest.mark.postgres
def test_a_fill_replaces_the_tickets_with_the_size_asked_and_two_followups_each(peer, pg_url):
    made = peer.fill(pg_url, 2_000, fresh=True)
    assert not made["skipped"]
    assert count(pg_url, "helpdesk_ticket") == 2_000
    assert 3_600 <= count(pg_url, "helpdesk_followup") == made["followups"] <= 4_400
    assert count(pg_url, "auth_user") == peer.STAFF + 1
    assert count(pg_url, "helpdesk_queue") == len(peer.QUEUES)


@pytest.mark.postgres
def test_a_second_fill_with_the_same_size_and_seed_returns_at_once(peer, pg_url):
    peer.fill(pg_url, 2_000)
    assert peer.fill(pg_url, 2_000)["skipped"]


@pytest.mark.postgres
def test_the_same_seed_fills_the_same_tickets(peer, pg_url):
    import psycopg

    def digest():
        with psycopg.connect(pg_url) as conn:
            return conn.execute("SELECT md5(string_agg(concat_ws('|', id, title, status, assigned_to_id, created, "
                                "description), ',' ORDER BY id)) FROM helpdesk_ticket").fetchone()[0]

    peer.fill(pg_url, 2_000)
    first = digest()
    peer.fill(pg_url, 2_000, fresh=True)
    assert digest() == first
    peer.fill(pg_url, 2_000, seed=7)
    assert digest() != first


@pytest.mark.postgres
def test_the_list_its_rows_a_ticket_and_the_dashboard_answer_the_logged_in_bench(peer, server, pg_url):
    peer.fill(pg_url, 2_000)
    cookie = {"Cookie": peer.cookie_header(peer.login_cookies(server.url))}
    paths = peer.read_paths(pg_url)
    pages = {name: request(server, "GET", path, cookie) for name, path in paths.items()}
    assert {name: status for name, (status, _, _) in pages.items()} == dict.fromkeys(paths, 200)
    assert paths["ticket_list_rows"].split("?")[0].encode() in pages["ticket_list"][2]  # what the page fetches
    rows = json.loads(pages["ticket_list_rows"][2])
    assert rows["recordsTotal"] == count_open(pg_url) and len(rows["data"]) == 25
    newest = int(paths["ticket"].strip("/").rsplit("/", 1)[1])
    assert title_of(pg_url, newest).encode() in pages["ticket"][2]


def title_of(url, ticket_id):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT title FROM helpdesk_ticket WHERE id = %s", [ticket_id]).fetchone()[0]


def count_open(url):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM helpdesk_ticket WHERE status IN (1, 2)").fetchone()[0]


@pytest.mark.postgres
def test_the_pages_send_a_stranger_to_the_login(peer, server, pg_url):
    for path in ("/tickets/", "/dashboard/"):
        status, location, _ = request(server, "GET", path)
        assert status == 302 and "/login/" in location


def test_it_files_a_ticket_on_sqlite_too(peer, tmp_path):
    url = f"sqlite:///{tmp_path / 'helpdesk.sqlite3'}"
    peer.prepare(url, fresh=True)
    with peer.serve(url, SQLITE_PORT) as server:
        method, path, headers, body = peer.create_request(7)
        status, _, answer = request(server, method, path, headers, body)
    assert status == 201, answer[:500]
    import sqlite3

    with sqlite3.connect(tmp_path / "helpdesk.sqlite3") as conn:
        assert conn.execute("SELECT title FROM helpdesk_ticket").fetchall() == [(json.loads(answer)["title"],)]
