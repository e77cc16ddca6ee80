"""Appending many rows to a table at once, without the ORM's per-row, per-field machinery.

A bulk import of 100,000 ledger rows writes 100,000 tickets, 400,000 events and 2,000,000 rows of
the duplicate index; building and compiling them one model field at a time costs more than the
database's work. `insert_rows` writes plain values (COPY on PostgreSQL, one executemany
elsewhere); `insert_objects` writes model instances, each value prepared as `save()` would.
"""
import json
from datetime import datetime

from django.db import connection

# Fields whose Python value is already what the database takes (once it has that type).
PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "EmailField", "FloatField",
         "ForeignKey", "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
         "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField"}
PLAIN_TYPES = (str, int, float, bool, type(None))
FEW_ROWS = 100  # up to this many (a list), one INSERT; more, COPY on PostgreSQL
MAX_PARAMETERS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement


def _columns(model, fields):
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(name).column) for name in fields)


def insert_rows(model, fields, rows):
    """Insert `rows` (tuples in the order of `fields`, model field names) into the model's table."""
    table, columns = _columns(model, fields)
    few = isinstance(rows, (list, tuple)) and len(rows) <= FEW_ROWS
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and few:
            if rows:  # one statement: a COPY costs more round trips than a handful of rows
                values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(rows))
                sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # nosec B608 # names quoted by _columns
                cursor.execute(sql, [v for row in rows for v in row])
        elif connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # nosec B608 # names quoted by _columns
            cursor.executemany(sql, list(rows))


def _preparer(field, objects):
    """A function obj → the value to store, as `field.get_db_prep_save(field.pre_save(obj))` would."""
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        stamp = field.get_db_prep_save(field.pre_save(objects[0], True), connection)  # one time per insert
        return lambda obj: stamp
    attname = field.attname
    generic = field.get_db_prep_save
    if field.get_internal_type() in PLAIN:
        def plain(obj):
            value = getattr(obj, attname)
            return value if isinstance(value, PLAIN_TYPES) else generic(value, connection)
        return plain
    if field.get_internal_type() == "JSONField" and field.encoder is None:
        return lambda obj: json.dumps(getattr(obj, attname))  # both databases take JSON text
    seen = {}

    def prepare(obj):
        value = getattr(obj, attname)
        if isinstance(value, datetime):  # events and tickets share a few times: convert each once
            if value not in seen:
                seen[value] = generic(value, connection)
            return seen[value]
        return generic(value, connection)
    return prepare


def insert_objects(model, objects, *, returning_ids=False):
    """Insert model instances; with `returning_ids`, set each one's primary key from the database.

    Each value is stored as `save()` would store it (JSON, times, defaults).
    """
    objects = list(objects)
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    relations = [f for f in fields if f.is_relation]
    for obj in objects:  # a related row saved since the instance was built lends it its id
        for field in relations:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"insert_objects: the {field.name} of a {model.__name__} is not saved")
                    # Into __dict__: setattr would drop the cached row it came from (read again later).
                    obj.__dict__[field.attname] = related.pk
    preparers = [_preparer(field, objects) for field in fields]
    rows = ([prepare(obj) for prepare in preparers] for obj in objects)
    if not returning_ids:
        insert_rows(model, [f.name for f in fields], rows)
        return
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Take the ids from the table's sequence (safe beside other writers), then COPY.
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, model._meta.pk.column, len(objects)])
            ids = [value for (value,) in cursor.fetchall()]
            insert_rows(model, [model._meta.pk.name] + [f.name for f in fields],
                        ([pk, *row] for pk, row in zip(ids, rows)))
        else:
            ids = _insert_returning(cursor, model, fields, rows)
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def _insert_returning(cursor, model, fields, rows):
    """Multi-row INSERT … RETURNING, in chunks: SQLite returns the ids in the rows' order (which
    Django's own bulk_create relies on)."""
    table, columns = _columns(model, [f.name for f in fields])
    pk = connection.ops.quote_name(model._meta.pk.column)
    placeholder = f"({', '.join(['%s'] * len(fields))})"
    size = max(1, MAX_PARAMETERS // len(fields))
    ids = []
    for start in range(0, len(rows), size):
        chunk = rows[start:start + size]
        values = ", ".join([placeholder] * len(chunk))
        sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}"  # nosec B608 # names quoted by _columns
        cursor.execute(sql, [value for row in chunk for value in row])
        ids.extend(value for (value,) in cursor.fetchall())
    return ids
