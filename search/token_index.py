"""A full-text index over text_analysis tokens: the names of its parts, and the statements that
make them on each database.

- SQLite: an external-content FTS5 table kept in step by triggers; unicode61 splits on the
  spaces text_analysis put between tokens, so it sees exactly our bigrams.
- PostgreSQL: a stored generated tsvector column ('simple' config: no stemming, no stop words)
  with a GIN index; or, for a wide table searched for common words (the disclosures), the
  vectors in a narrow side table of their own with the GIN index, kept in step by triggers
  (``side_index``, ``side_table_operation``): a term's matches are then read from vectors
  alone, not from whole rows.

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
    # PostgreSQL, when the vectors live in a side table of their own (``side_index``): its
    # name and the column holding the row's primary key. Empty: the vector is in ``table``.
    vector_table: str = ""
    vector_key: str = ""

    def trigger(self, event):
        return f"{self.fts_table}_{event}"

    @property
    def vector_source(self):
        """(table, key column) that hold the PostgreSQL vectors."""
        if self.vector_table:
            return self.vector_table, self.vector_key
        return self.table, self.pk

    @property
    def gin_index(self):
        return f"{self.vector_source[0]}_{self.vector_column}"

    @property
    def vector_function(self):
        """PostgreSQL: the trigger function that keeps a side table in step."""
        return f"{self.vector_table}_sync"


def column_index(table, column, pk="id"):
    """The index over one column of tokens, e.g. ``merchants_merchant.search_tokens``."""
    return TokenIndex(
        table=table,
        fts_table=f"{table}_{column}_fts",
        vector_column=f"{column}_tsv",
        pk=pk,
        tokens=column,
    )


def side_index(table, column, vector_table, vector_key, pk="id"):
    """The index over one column of tokens whose PostgreSQL vectors live in a narrow side
    table ``vector_table(vector_key, search_vector)`` (``side_table_operation``); on SQLite it is
    the same FTS5 table as ``column_index``'s."""
    return TokenIndex(
        table=table,
        fts_table=f"{table}_{column}_fts",
        vector_column="search_vector",
        pk=pk,
        tokens=column,
        vector_table=vector_table,
        vector_key=vector_key,
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


def _vector_sql(index, row):
    return f"to_tsvector('simple'::regconfig, coalesce({row}.{index.tokens}, ''))"


def postgres_side_sync_sql(index):
    """The trigger function and triggers that keep a side table's vectors in step with the
    token column, as SQLite's triggers keep FTS5: new rows (one statement's at once: an import's
    ``COPY`` of 10,000 rows is one ``INSERT … SELECT`` into the side table instead of a call and
    an insert per row, 8.2 against 9.2 s for 200,000 rows into a million), a change to the
    tokens (only then: a million rows published by flipping a flag leave the vectors alone; per
    row, since a trigger with transition tables cannot name its columns), a delete (one
    statement's rows at once) and a TRUNCATE (which fires no delete trigger; a test's flush).
    The function is replaced and the triggers dropped first, so that a migration can bring an
    existing database's up to date (``side_sync_operation``)."""
    table, column, pk = index.table, index.tokens, index.pk
    side, key = index.vector_source
    function, vector = index.vector_function, index.vector_column
    return [
        *_drop_side_triggers_sql(index),
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {side};
            ELSIF TG_OP = 'DELETE' THEN
                DELETE FROM {side} USING gone WHERE {side}.{key} = gone.{pk};
            ELSIF TG_LEVEL = 'STATEMENT' THEN
                INSERT INTO {side} ({key}, {vector}) SELECT {pk}, {_vector_sql(index, "added")}
                FROM added ON CONFLICT ({key}) DO UPDATE SET {vector} = EXCLUDED.{vector};
            ELSE
                INSERT INTO {side} ({key}, {vector}) VALUES (NEW.{pk}, {_vector_sql(index, "NEW")})
                ON CONFLICT ({key}) DO UPDATE SET {vector} = EXCLUDED.{vector};
            END IF;
            RETURN NULL;
        END
        $$
        """,
        f"CREATE TRIGGER {side}_ai AFTER INSERT ON {table} REFERENCING NEW TABLE AS added "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {side}_au AFTER UPDATE OF {column} ON {table} FOR EACH ROW "
        f"WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {side}_ad AFTER DELETE ON {table} REFERENCING OLD TABLE AS gone "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {side}_at AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def side_sync_operation(table, column, vector_table, vector_key, pk="id"):
    """The RunPython that brings a side table's trigger function and triggers up to date
    (``postgres_side_sync_sql``). Not undone: the ones it replaces kept the same vectors."""
    index = side_index(table, column, vector_table, vector_key, pk)
    return migrations.RunPython(
        _run({"postgresql": postgres_side_sync_sql(index)}), migrations.RunPython.noop
    )


def postgres_side_create_sql(index, copy_from=None):
    """The side table of ``index``, filled from the token column (or, from ``copy_from``, the
    vector column that held them in the table itself: copied, not parsed again), then its GIN
    index, made once over all rows, then the triggers."""
    table, pk = index.table, index.pk
    side, key = index.vector_source
    vector = index.vector_column
    source = copy_from or _vector_sql(index, table)
    return [
        f"CREATE TABLE {side} ({key} bigint PRIMARY KEY, {vector} tsvector NOT NULL)",
        f"INSERT INTO {side} ({key}, {vector}) SELECT {pk}, {source} FROM {table}",
        # CREATE INDEX refuses a table with deferred constraint checks still queued.
        "SET CONSTRAINTS ALL IMMEDIATE",
        f"CREATE INDEX {index.gin_index} ON {side} USING GIN ({vector})",
        *postgres_side_sync_sql(index),
    ]


def _drop_side_triggers_sql(index):
    side = index.vector_table
    return [f"DROP TRIGGER IF EXISTS {side}_{event} ON {index.table}" for event in SIDE_EVENTS]


def postgres_side_drop_sql(index):
    side = index.vector_table
    return [
        *_drop_side_triggers_sql(index),
        f"DROP FUNCTION IF EXISTS {index.vector_function}()",
        f"DROP TABLE IF EXISTS {side}",
    ]


# The side table's triggers: after insert, update, delete and truncate.
SIDE_EVENTS = ("ai", "au", "ad", "at")


def side_table_operation(table, column, vector_table, vector_key, pk="id"):
    """The RunPython that moves a one-column index's PostgreSQL vectors out of the table into
    a side table (``side_index``), and on reverse moves them back. SQLite: nothing to do, its
    FTS5 table is already one."""
    inline, side = (
        column_index(table, column, pk),
        side_index(table, column, vector_table, vector_key, pk),
    )
    # ALTER TABLE refuses a table with deferred constraint checks still queued (rows written
    # earlier in the same transaction): run them now.
    immediate = "SET CONSTRAINTS ALL IMMEDIATE"
    move = [
        immediate,
        *postgres_side_create_sql(side, copy_from=inline.vector_column),
        *postgres_drop_sql(inline),
    ]
    back = [immediate, *postgres_side_drop_sql(side), *postgres_create_sql(inline)]
    return migrations.RunPython(_run({"postgresql": move}), _run({"postgresql": back}))


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


def sqlite_automerge_operation(index, segments):
    """The RunPython that has SQLite's FTS5 merge an index's segments once ``segments`` of one
    level wait, instead of its default 4 (a setting the FTS5 table keeps).

    Why: an import writes its rows in short transactions, each leaving a small segment, and the
    merges that follow cost an import into an FTS5 index of several text fields a good part of
    its full-text work (measured on 300,000 disclosures' tokens: 8 cut the index's CPU time by
    a sixth); a search reads the few more segments with no time to notice. Matches are the same
    whatever the setting. Nothing on PostgreSQL.
    """
    fts = index.fts_table

    def statement(value):
        return [f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', {int(value)})"]

    return migrations.RunPython(
        _run({"sqlite": statement(segments)}), _run({"sqlite": statement(4)})
    )


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


def recompute_operation(table, column, read_columns, compute, pk="id", chunk=20_000, index=None):
    """The RunPython that rewrites the token column of every row (``compute`` of the values of
    ``read_columns``) when what the tokens cover changes, and brings the index up to date;
    ``index`` is the table's ``TokenIndex`` when it is not ``column_index``'s (a side table).

    Row by row through the live index would cost a million index updates; instead the index
    is taken down while the column is rewritten and made again in one pass: on SQLite the
    update trigger is dropped and the FTS5 table rebuilt from the column, on PostgreSQL the GIN
    index is dropped and created again (a stored tsvector column follows the tokens; a side
    table's update trigger is off meanwhile and the table filled again in one statement). On
    reverse nothing is done: the old tokens are a subset, and the previous migration's code
    recomputes them if needed.
    """
    index = index or column_index(table, column, pk)

    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        with schema_editor.connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {index.trigger('au')}")
                _recompute_rows(cursor, vendor, index, read_columns, compute, chunk)
                fts = index.fts_table
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                cursor.execute(_sqlite_update_trigger(index))
            elif vendor == "postgresql":
                _recompute_postgres(cursor, index, read_columns, compute, chunk)

    return migrations.RunPython(run, migrations.RunPython.noop)


def _recompute_postgres(cursor, index, read_columns, compute, chunk):
    # CREATE INDEX refuses a table with deferred constraint checks still queued (rows written
    # earlier in the same transaction): run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SELECT to_regclass(%s)", [index.gin_index])
    # An older migration's operation on a later schema (its vectors since moved to a side
    # table, which its triggers keep in step): no index of its own to take down.
    had_index = cursor.fetchone()[0] is not None
    cursor.execute(f"DROP INDEX IF EXISTS {index.gin_index}")
    side, key = index.vector_source
    if index.vector_table:
        cursor.execute(f"ALTER TABLE {index.table} DISABLE TRIGGER {side}_au")
    _recompute_rows(cursor, "postgresql", index, read_columns, compute, chunk)
    if index.vector_table:
        cursor.execute(f"ALTER TABLE {index.table} ENABLE TRIGGER {side}_au")
        cursor.execute(f"TRUNCATE {side}")
        cursor.execute(
            f"INSERT INTO {side} ({key}, {index.vector_column}) "
            f"SELECT {index.pk}, {_vector_sql(index, index.table)} FROM {index.table}"
        )
    if had_index or index.vector_table:
        cursor.execute(
            f"CREATE INDEX {index.gin_index} ON {side} USING GIN ({index.vector_column})"
        )
