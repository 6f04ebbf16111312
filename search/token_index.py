"""A full-text index over text_analysis tokens: the names of its parts, and the statements that
make them on each database.

- SQLite: an external-content FTS5 table kept in step by triggers; unicode61 splits on the
  spaces text_analysis put between tokens, so it sees exactly our bigrams.
- PostgreSQL: a stored generated tsvector column ('simple' config: no stemming, no stop words)
  with a GIN index.

When what the tokens cover changes, ``recompute_operation`` rewrites the column of every row
and remakes the index in one pass.

``TokenIndex`` is what a query needs to know of an index (``search.fulltext`` matches against
it); ``column_index`` names the parts of the index over one column of tokens, as the
migrations made by ``migration_operation`` and ``update_trigger_operation`` create them (the
disclosures' and the merchant directory's). The site search's index, over two columns, was made
by hand in search/migrations/0002_fulltext_index.py: ``site_search.SITE_INDEX`` names it.
"""

from dataclasses import dataclass

from django.db import migrations

# The three triggers that keep an FTS5 table in step: after insert, delete and update.
TRIGGER_EVENTS = ("ai", "ad", "au")


@dataclass(frozen=True)
class TokenIndex:
    table: str
    fts_table: str  # SQLite: the FTS5 table, whose rowid is the row's primary key
    vector_column: str  # PostgreSQL: the stored tsvector column of ``table``
    pk: str = "id"
    tokens: str = ""  # the column of tokens, when the index is over one
    fts5_weights: tuple = ()  # bm25's weight of each FTS5 column, when they differ

    def trigger(self, event):
        return f"{self.fts_table}_{event}"

    @property
    def gin_index(self):
        return f"{self.table}_{self.vector_column}"


def column_index(table, column, pk="id"):
    """The index over one column of tokens, e.g. ``merchants_merchant.search_tokens``."""
    return TokenIndex(
        table=table,
        fts_table=f"{table}_{column}_fts",
        vector_column=f"{column}_tsv",
        pk=pk,
        tokens=column,
    )


def _sqlite_update_trigger(index):
    # Only a change to the indexed column reindexes the row: an import that publishes a
    # million rows by flipping a flag, or an editor's objection state, leaves FTS alone.
    fts, table, column, pk = index.fts_table, index.table, index.tokens, index.pk
    return f"""
        CREATE TRIGGER {index.trigger("au")} AFTER UPDATE OF {column} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{pk}, old.{column});
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{pk}, new.{column});
        END
        """


def sqlite_create_sql(index):
    fts, table, column, pk = index.fts_table, index.table, index.tokens, index.pk
    return [
        f"""
        CREATE VIRTUAL TABLE {fts} USING fts5(
            {column}, content='{table}', content_rowid='{pk}',
            tokenize='unicode61 remove_diacritics 0'
        )
        """,
        f"""
        CREATE TRIGGER {index.trigger("ai")} AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{pk}, new.{column});
        END
        """,
        f"""
        CREATE TRIGGER {index.trigger("ad")} AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{pk}, old.{column});
        END
        """,
        _sqlite_update_trigger(index),
        # Rows that existed before the index was added.
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def sqlite_drop_sql(index):
    triggers = [f"DROP TRIGGER IF EXISTS {index.trigger(event)}" for event in TRIGGER_EVENTS]
    return [*reversed(triggers), f"DROP TABLE IF EXISTS {index.fts_table}"]


def postgres_create_sql(index):
    table, vector = index.table, index.vector_column
    return [
        f"ALTER TABLE {table} ADD COLUMN {vector} tsvector GENERATED ALWAYS AS ("
        f"to_tsvector('simple'::regconfig, coalesce({index.tokens}, ''))) STORED",
        f"CREATE INDEX {index.gin_index} ON {table} USING GIN ({vector})",
    ]


def postgres_drop_sql(index):
    return [
        f"DROP INDEX IF EXISTS {index.gin_index}",
        f"ALTER TABLE {index.table} DROP COLUMN IF EXISTS {index.vector_column}",
    ]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def migration_operation(table, column, pk="id"):
    """The RunPython that adds (and on reverse removes) the index on the current database."""
    index = column_index(table, column, pk)
    create = {"sqlite": sqlite_create_sql(index), "postgresql": postgres_create_sql(index)}
    drop = {"sqlite": sqlite_drop_sql(index), "postgresql": postgres_drop_sql(index)}
    return migrations.RunPython(_run(create), _run(drop))


def update_trigger_operation(table, column, pk="id"):
    """The RunPython that brings an existing index's update trigger up to date (SQLite)."""
    index = column_index(table, column, pk)
    statements = [f"DROP TRIGGER IF EXISTS {index.trigger('au')}", _sqlite_update_trigger(index)]
    return migrations.RunPython(_run({"sqlite": statements}), migrations.RunPython.noop)


def _recompute_rows(cursor, vendor, index, read_columns, compute, chunk):
    """Write ``compute(*values)`` of every row into the token column, one id range at a time
    (a million rows never held at once)."""
    table, column, pk = index.table, index.tokens, index.pk
    cursor.execute(f"SELECT min({pk}), max({pk}) FROM {table}")
    low, high = cursor.fetchone()
    if low is None:
        return
    select = f"SELECT {pk}, {', '.join(read_columns)} FROM {table} WHERE {pk} >= %s AND {pk} < %s"
    for start in range(low, high + 1, chunk):
        cursor.execute(select, [start, start + chunk])
        rows = cursor.fetchall()
        if not rows:
            continue
        ids = [row[0] for row in rows]
        tokens = [compute(*row[1:]) for row in rows]
        if vendor == "postgresql":
            # One statement per range: a row at a time costs a round trip each.
            cursor.execute(
                f"UPDATE {table} SET {column} = v.tokens "
                f"FROM unnest(%s::bigint[], %s::text[]) AS v(id, tokens) WHERE {table}.{pk} = v.id",
                [ids, tokens],
            )
        else:
            params = list(zip(tokens, ids, strict=True))
            cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", params)


def recompute_operation(table, column, read_columns, compute, pk="id", chunk=20_000):
    """The RunPython that rewrites the token column of every row (``compute`` of the values of
    ``read_columns``) when what the tokens cover changes, and brings the index up to date.

    Row by row through the live index would cost a million index updates; instead the index
    is taken down while the column is rewritten and made again in one pass: on SQLite the
    update trigger is dropped and the FTS5 table rebuilt from the column, on PostgreSQL the GIN
    index is dropped and created again (its stored tsvector column follows the tokens). On
    reverse nothing is done: the old tokens are a subset, and the previous migration's code
    recomputes them if needed.
    """
    index = column_index(table, column, pk)

    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        with schema_editor.connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {index.trigger('au')}")
            elif vendor == "postgresql":
                # CREATE INDEX refuses a table with deferred constraint checks still queued
                # (rows written earlier in the same transaction): run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"DROP INDEX IF EXISTS {index.gin_index}")
            _recompute_rows(cursor, vendor, index, read_columns, compute, chunk)
            if vendor == "sqlite":
                fts = index.fts_table
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                cursor.execute(_sqlite_update_trigger(index))
            elif vendor == "postgresql":
                table_, vector = index.table, index.vector_column
                cursor.execute(f"CREATE INDEX {index.gin_index} ON {table_} USING GIN ({vector})")

    return migrations.RunPython(run, migrations.RunPython.noop)
