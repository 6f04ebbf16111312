"""PostgreSQL: drop the ``varchar_pattern_ops`` indexes Django adds beside the credit code's
and the complaint number's own.

Django adds one to every indexed or unique CharField, for ``LIKE 'prefix%'`` under a non-C
collation; nothing looks disclosures up by a prefix of either (a credit code or a complaint
number is matched whole, ``engines.database``), yet an import wrote both for every row.
Measured: ``COPY`` of 100,000 rows into a million (rolled back each time, runs alternating)
took a median 9.9 s of the server's time without them against 11.5 s with, and 6.4-6.9 s
against 7.5-7.9 s in another set. The equality indexes stay. Nothing on SQLite.
"""

from django.db import migrations

TABLE = "disclosures_disclosure"
COLUMNS = ("credit_code", "complaint_number")


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = %s AND indexdef LIKE %s",
            [TABLE, "%varchar_pattern_ops%"],
        )
        names = [name for (name,) in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def add_pattern_indexes(apps, schema_editor):
    """Back as Django named them, so that an older migration's reversal finds them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        name = schema_editor._create_index_name(TABLE, [column], suffix="_like")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)}"
            f" ON {TABLE} ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0013_address_by_name"),
    ]

    operations = [
        migrations.RunPython(drop_pattern_indexes, add_pattern_indexes),
    ]
