"""Ticket numbers: prefix, year, sequence (JC2026-0000123), unique under concurrency.

The counter row for the year is bumped with an UPDATE inside the transaction that creates the
ticket, so the row lock (PostgreSQL) or the write lock (SQLite) hands out each value once, and
a rolled-back ticket gives its number back.
"""
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from duban.ledger.models import TicketCounter


def format_number(year, value):
    return f"{settings.TICKET_PREFIX}{year}-{value:07d}"


def next_number(year):
    return next_numbers(year, 1)[0]


def next_numbers(year, count):
    """`count` consecutive numbers of the year, handed out at once (a bulk import takes a block)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that stores the ticket")
    last = _bump(year, count)
    if last is None:
        try:
            with transaction.atomic():
                TicketCounter.objects.create(year=year, value=0)
        except IntegrityError:
            pass  # another process created this year's row first
        last = _bump(year, count)
    return [format_number(year, value) for value in range(last - count + 1, last + 1)]


def _bump(year, count):
    """Add `count` to the year's counter and return its new value (None: the year has no row yet),
    in one statement."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    sql = f"UPDATE {table} SET value = value + %s WHERE year = %s RETURNING value"  # nosec B608 # a quoted name
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, year])
        row = cursor.fetchone()
    return row[0] if row else None
