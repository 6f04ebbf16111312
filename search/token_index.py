"""A full-text index over any table's column of text_analysis tokens, for both databases.

The same technique as the site search (search/migrations/0002_fulltext_index.py), made
reusable for a (table, column) pair, e.g. the merchant directory over
``merchants_merchant.search_tokens``:

- SQLite: an external-content FTS5 table kept in step by triggers; unicode61 splits on the
  spaces text_analysis put between tokens, so it sees exactly our bigrams.
- PostgreSQL: a stored generated tsvector column ('simple' config: no stemming, no stop words)
  with a GIN index.

``migration_operation`` builds the RunPython for a migration; ``matching_ids_sql`` gives a
sub-query of the matching primary keys, to use as ``pk__in=RawSQL(...)`` so that filters,
ordering and pagination stay in the ORM.
"""

from django.db import connection, migrations
from django.db.models.expressions import RawSQL

from .fulltext import fts5_match_expression, tsquery_expression


def fts_table(table, column):
    return f"{table}_{column}_fts"


def vector_column(column):
    return f"{column}_tsv"


def sqlite_create_sql(table, column, pk="id"):
    fts = fts_table(table, column)
    return [
        f"""
        CREATE VIRTUAL TABLE {fts} USING fts5(
            {column}, content='{table}', content_rowid='{pk}',
            tokenize='unicode61 remove_diacritics 0'
        )
        """,
        f"""
        CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{pk}, new.{column});
        END
        """,
        f"""
        CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{pk}, old.{column});
        END
        """,
        # Only a change to the indexed column reindexes the row: an import that publishes a
        # million rows by flipping a flag, or an editor's objection state, leaves FTS alone.
        f"""
        CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{pk}, old.{column});
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{pk}, new.{column});
        END
        """,
        # Rows that existed before the index was added.
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def sqlite_update_trigger_sql(table, column, pk="id"):
    """Replace a table's update trigger by the one ``sqlite_create_sql`` makes today."""
    fts = fts_table(table, column)
    (create,) = [sql for sql in sqlite_create_sql(table, column, pk) if f"{fts}_au" in sql]
    return [f"DROP TRIGGER IF EXISTS {fts}_au", create]


def update_trigger_operation(table, column, pk="id"):
    """The RunPython that brings an existing index's update trigger up to date (SQLite)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in sqlite_update_trigger_sql(table, column, pk):
                schema_editor.execute(statement)

    return migrations.RunPython(run, migrations.RunPython.noop)


def sqlite_drop_sql(table, column):
    fts = fts_table(table, column)
    return [
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TABLE IF EXISTS {fts}",
    ]


def postgres_create_sql(table, column):
    vector = vector_column(column)
    return [
        f"ALTER TABLE {table} ADD COLUMN {vector} tsvector GENERATED ALWAYS AS ("
        f"to_tsvector('simple'::regconfig, coalesce({column}, ''))) STORED",
        f"CREATE INDEX {table}_{vector} ON {table} USING GIN ({vector})",
    ]


def postgres_drop_sql(table, column):
    vector = vector_column(column)
    return [
        f"DROP INDEX IF EXISTS {table}_{vector}",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {vector}",
    ]


def migration_operation(table, column, pk="id"):
    """The RunPython that adds (and on reverse removes) the index on the current database."""
    create = {
        "sqlite": sqlite_create_sql(table, column, pk),
        "postgresql": postgres_create_sql(table, column),
    }
    drop = {
        "sqlite": sqlite_drop_sql(table, column),
        "postgresql": postgres_drop_sql(table, column),
    }

    def runner(statements_by_vendor):
        def run(apps, schema_editor):
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return run

    return migrations.RunPython(runner(create), runner(drop))


def matching_ids_sql(table, column, terms, pk="id"):
    """(sql, params) of a sub-query selecting the primary keys whose tokens match all terms."""
    if connection.vendor == "sqlite":
        fts = fts_table(table, column)
        return f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [fts5_match_expression(terms)]
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {pk} FROM {table} "
            f"WHERE {vector_column(column)} @@ to_tsquery('simple'::regconfig, %s)"
        )
        return sql, [tsquery_expression(terms)]
    raise NotImplementedError(f"Token search does not support the {connection.vendor} database")


def matching_ids_expression(table, column, terms, pk="id"):
    """The sub-query as an ORM expression: ``Model.objects.filter(pk__in=...)``."""
    sql, params = matching_ids_sql(table, column, terms, pk)
    return RawSQL(sql, params)


def matching_ids(table, column, terms, pk="id"):
    """The primary keys whose tokens match all terms (empty when there are no terms)."""
    if not terms:
        return []
    sql, params = matching_ids_sql(table, column, terms, pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
