"""Backups as docs/deploy.md says to take them: `duban backup` while duban keeps writing, restored to a
new database, checked with `duban verify_ledger` — which passes on the copy and fails on a copy whose
history was edited.

SQLite: a file database of the test's own, written by a child process while the backup is taken.
PostgreSQL: the test database, written the same way; the dump restored with pg_restore into a fresh
database.
"""
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from tests.backup.city import ROOT, child_env, copy_database, duban, migrated_sqlite, sqlite_url, wait_for

BUILT = 12  # tickets written before the backup starts; more are written while it runs


def backup_while_writing(folder, database_url, count_tickets, backup_file):
    """Start a writer, take the backup once it has BUILT tickets, let it write more, stop it.
    Returns how many tickets the writer wrote in all."""
    ready, stop = folder / "ready", folder / "stop"
    writer = subprocess.Popen([sys.executable, "-m", "tests.backup.city", "write", str(ready), str(stop), str(BUILT)],
                              cwd=ROOT, env=child_env(database_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        wait_for(lambda: ready.exists() or writer.poll() is not None, 240, "the writer's first tickets")
        assert writer.poll() is None, writer.communicate()[1]
        done = duban("backup", str(backup_file), env=child_env(database_url))
        assert done.returncode == 0, done.stderr
        assert writer.poll() is None, "the writer stopped before the backup was over"
        at_backup = count_tickets()
        wait_for(lambda: count_tickets() > at_backup + 2, 120, "tickets written after the backup")
    finally:
        stop.touch()
        try:
            out, err = writer.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            writer.kill()
            out, err = writer.communicate(timeout=10)
    assert writer.returncode == 0, err
    return int(out.split()[-1])


def sqlite_count(path, table="ledger_ticket"):
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite run covers a SQLite backup; on PostgreSQL the dump test runs instead")
    migrated = migrated_sqlite(tmp_path_factory.mktemp("migrated"))
    folder = tmp_path_factory.mktemp("sqlite-backup")
    source = copy_database(migrated, folder / "duban.sqlite3")
    backup = folder / "backup" / "duban-2026-11-26.sqlite3"
    backup.parent.mkdir()
    written = backup_while_writing(folder, sqlite_url(source), lambda: sqlite_count(source), backup)
    return folder, backup, written


def verify_ledger(database_url):
    return duban("verify_ledger", env=child_env(database_url))


def test_a_sqlite_backup_taken_while_tickets_are_written_restores_to_an_intact_ledger(sqlite_backup):
    folder, backup, written = sqlite_backup
    restored = copy_database(backup, folder / "restored.sqlite3")
    done = verify_ledger(sqlite_url(restored))
    assert done.returncode == 0, done.stderr
    held = sqlite_count(restored)
    assert BUILT <= held < written  # what was there when it began, not what came after
    events = sqlite_count(restored, "ledger_event")
    assert f"台账完整 ledger intact: {held} tickets, {events} events, 1 checkpoints checked" in done.stdout


def test_an_event_edited_in_a_sqlite_copy_fails_verify_ledger(sqlite_backup):
    folder, backup, _written = sqlite_backup
    restored = copy_database(backup, folder / "tampered.sqlite3")
    with sqlite3.connect(restored) as db:
        db.execute("DROP TRIGGER ledger_event_append_only")
        db.execute("UPDATE ledger_event SET payload = json_set(payload, '$.text', '没有这回事') "
                   "WHERE id = (SELECT max(id) FROM ledger_event WHERE action = 'note')")
    done = verify_ledger(sqlite_url(restored))
    assert done.returncode == 1
    assert "BROKEN JC" in done.stderr and "台账被改动 ledger broken: 1 tickets" in done.stderr


def test_backup_refuses_to_overwrite_a_file(sqlite_backup):
    folder, backup, _written = sqlite_backup
    done = duban("backup", str(backup), env=child_env(sqlite_url(folder / "duban.sqlite3")))
    assert done.returncode != 0 and "already exists" in done.stderr


def server():
    """The test database's server, as psql and pg_restore take it."""
    settings = connection.settings_dict
    return ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]


def psql(*args, database="postgres"):
    command = ["psql", *server(), "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def postgres_url(name):
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


@pytest.fixture
def restored_postgres():
    """A fresh database to restore into, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    psql("-c", f'DROP DATABASE IF EXISTS "{name}"', "-c", f'CREATE DATABASE "{name}"')
    yield name
    psql("-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_postgres_dump_taken_while_writing_restores_intact_and_an_event_edited_in_it_is_caught(
        tmp_path, restored_postgres):
    from duban.ledger.models import Ticket

    dump = tmp_path / "duban-2026-11-26.dump"
    source = postgres_url(connection.settings_dict["NAME"])
    written = backup_while_writing(tmp_path, source, Ticket.objects.count, dump)
    done = subprocess.run(["pg_restore", *server(), "--no-owner", "--exit-on-error", "--dbname", restored_postgres,
                           str(dump)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    restored = postgres_url(restored_postgres)
    done = verify_ledger(restored)
    assert done.returncode == 0, done.stderr
    counts = "SELECT (SELECT count(*) FROM ledger_ticket) || ' ' || (SELECT count(*) FROM ledger_event)"
    held, events = psql("-c", counts, database=restored_postgres).split()
    assert BUILT <= int(held) < written
    assert f"ledger intact: {held} tickets, {events} events, 1 checkpoints checked" in done.stdout

    psql("-c", "SET session_replication_role = replica",  # the append-only trigger off, as a superuser can
         "-c", "UPDATE ledger_event SET payload = jsonb_set(payload, '{text}', '\"没有这回事\"') "
               "WHERE id = (SELECT max(id) FROM ledger_event WHERE action = 'note')", database=restored_postgres)
    done = verify_ledger(restored)
    assert done.returncode == 1
    assert "台账被改动 ledger broken: 1 tickets" in done.stderr
