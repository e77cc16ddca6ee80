"""What the benchmarks share: a fresh database, tickets filled by COPY, percentiles."""


def fresh_database(url):
    """Drop and create the PostgreSQL database named in the URL; SQLite needs nothing."""
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_rows(model, fields, rows):
    """Write rows (tuples in the order of `fields`) into the model's table (COPY on PostgreSQL), then
    let the planner know the table's new size."""
    from django.db import connection

    from duban.lib.rows import insert_rows

    insert_rows(model, fields, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def copy_tickets(fields, rows, **same):
    """Write tickets: each row gives the values of `fields`; every other column that may not be null
    takes one value for all rows: `same`'s, or else the model's default ("" for text)."""
    from duban.ledger.models import Ticket

    fixed = {f.attname: f.get_default() for f in Ticket._meta.concrete_fields if not f.null and not f.primary_key}
    fixed.update(same)
    for name in fields:
        fixed.pop(name, None)
    tail = tuple(fixed.values())
    copy_rows(Ticket, [*fields, *fixed], (tuple(row) + tail for row in rows))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def peak_rss_mb(pid="self"):
    """VmHWM of a process (this one by default): the most resident memory it has had, in MB, which
    unlike ru_maxrss is not inherited across exec; None once the process is gone."""
    from pathlib import Path

    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
