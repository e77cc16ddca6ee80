"""The database itself refuses to rewrite history: triggers on the event and checkpoint tables.

PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (a deleted event still breaks its
ticket's chain and the checkpoints, and test flushes on SQLite delete rows).
"""
from django.db import migrations

TABLES = ("ledger_event", "ledger_checkpoint")

POSTGRES = """
CREATE OR REPLACE FUNCTION duban_refuse_rewrite() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: %% on %% refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION duban_refuse_rewrite();\n" for table in TABLES
)
POSTGRES_REVERSE = "".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};\n" for t in TABLES) + \
    "DROP FUNCTION IF EXISTS duban_refuse_rewrite();"

SQLITE = [
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
    f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE on {table} refused'); END;"
    for table in TABLES
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_append_only;" for table in TABLES]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_initial")]
    operations = [migrations.RunPython(install, remove)]
