"""`duban backup FILE`: a consistent copy of the database while duban keeps running.

SQLite: sqlite3's online backup API, all pages in one step, so the copy is one read transaction's
snapshot: in WAL mode writers carry on meanwhile, where a copy in small steps would restart each time
they write and `cp` of the file would miss what is still in the WAL. No sqlite3 program is needed on
the server. PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`. Either way the copy is
written beside FILE and renamed into place only when complete; `duban verify_ledger` on the restored
copy is the check (docs/deploy.md, Backups).
"""
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # runs pg_dump, found on PATH, without a shell
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Write a consistent copy of the database to FILE while duban runs (SQLite or PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, database, **options):
        if file.exists():
            raise CommandError(f"{file} 已存在 already exists: choose a new name")
        partial = file.with_name(f".{file.name}.partial")
        partial.unlink(missing_ok=True)
        try:
            write(connections[database].vendor, connections[database].settings_dict, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(file)
        self.stdout.write(f"备份完成 backup written: {file} ({file.stat().st_size} bytes)")


def write(vendor, settings, target):
    if vendor == "sqlite":
        copy_sqlite(settings["NAME"], target)
    elif vendor == "postgresql":
        dump_postgres(settings, target)
    else:
        raise CommandError(f"cannot back up a {vendor} database")


def copy_sqlite(name, target):
    if not name or str(name) == ":memory:" or not Path(name).exists():
        raise CommandError(f"no SQLite database file at {name!r}")
    source, copy = sqlite3.connect(name, timeout=30), sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: everything in one step, one snapshot
    finally:
        copy.close()
        source.close()


def dump_postgres(settings, target):
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        raise CommandError("pg_dump not found: install the PostgreSQL client (postgresql-client)")
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or os.environ.get("PGPASSWORD", "")}
    command = [pg_dump, "--format=custom", f"--file={target}", f"--dbname={settings['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{option}={settings[key]}")
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603 # no shell, argv
    if done.returncode != 0:
        raise CommandError(f"pg_dump failed: {done.stderr.strip()[:2000]}")
