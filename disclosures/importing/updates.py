"""Writing an import's changed records: a few UPDATE statements for many rows.

Django's ``bulk_update`` sends a ``CASE WHEN id = … THEN …`` per column over its whole batch,
which the database evaluates for every row against every branch: re-importing 20,000 revised
records took 100 s (196 rows/s, ``bench/disclosures.py``). Here each row costs one look-up by
primary key: one prepared ``UPDATE … WHERE id = %s`` run with ``executemany``, or on SQLite,
for rows with new tokens, one ``UPDATE … FROM (VALUES …)`` statement per thousand rows.

On PostgreSQL the statement is prepared once and each row's parameters sent apart
(``_preparing``): Django's cursors put the values into the statement's text in
Python, so the server parsed and planned every row's UPDATE anew. 50,000 revised records into
a million, in one transaction rolled back each time: 3.3-3.4 s against 5.3-6.0 s without new
text, 7.0-7.3 s against 10.3-10.7 s with it. The bench's file of 100,000 revised records (runs
alternating, the tables vacuumed and checkpointed between them): the updates took 8.0-11.4 s
against 13.8-16.3 s, the whole re-import 15.0-20.5 s against 20.6-24.1 s.

Why: each run of a statement that fires SQLite's full-text trigger opens a statement savepoint,
and FTS5 writes its pending entries out at every savepoint, so a statement per row wrote a
segment per row for the index to merge: 100,000 revised records into a million spent 89 µs a
row on the 50,000 with new text, 29 µs in statements of a thousand rows. Rows without new
tokens fire no trigger, and there a statement per row costs less (11 against 16 µs).

A record whose searched text (``models.SEARCHED_TEXT``) is unchanged is written without its
tokens: the full-text triggers fire only on an update of the token column, so its index entries
are left alone (a county revising 处理结果 rewrites no index). Nor is a column that an index
covers (the credit code, the complaint date, the merchant) written when its value is unchanged
(``indexed``, the writer's choice of fields): SQLite rewrites a row's entry in every index
whose column an UPDATE assigns, changed or not, each a look-up into a million-row index: the
three such columns cost the same 100,000 revised records 2.8 s (27 µs a row).

Rows are plain tuples (``row_values``), so that SQLite's import can spool them to a file until
every row has passed (``staged``).
"""

import functools
import sys
from contextlib import contextmanager
from operator import itemgetter

from django.db import connection

from ..models import Disclosure

TOKENS = "search_tokens"
# SQLite: rows per UPDATE … FROM (VALUES …): 1,000 x 21 values stays under its 32,766 variables.
ROWS_PER_STATEMENT = 1000


def _column(name):
    return connection.ops.quote_name(Disclosure._meta.get_field(name).column)


def indexed(fields):
    """Those of ``fields`` whose column an index of the table covers (the primary key aside),
    as the database reports its indexes: a migration that adds one is counted at once."""
    table = Disclosure._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    covered = {
        column
        for constraint in constraints.values()
        if (constraint["index"] or constraint["unique"]) and not constraint["primary_key"]
        for column in constraint["columns"]
    }
    return tuple(name for name in fields if Disclosure._meta.get_field(name).column in covered)


def _assigned(fields, with_tokens):
    return (*fields, TOKENS) if with_tokens else tuple(fields)


def statement(fields, with_tokens, mark="%s"):
    """The UPDATE of ``fields`` of one record by primary key, with or without its tokens;
    ``mark`` is the placeholder (SQLite's own ``?`` for ``qmark_cursor``)."""
    assignments = ", ".join(f"{_column(name)} = {mark}" for name in _assigned(fields, with_tokens))
    table = connection.ops.quote_name(Disclosure._meta.db_table)
    return f"UPDATE {table} SET {assignments} WHERE {_column('id')} = {mark}"


def values_statement(fields, with_tokens, count):
    """SQLite: the UPDATE of ``count`` records from a list of values, each row in the order of
    ``row_values`` (SQLite names the columns of VALUES column1, column2 …); written with ``?``
    for ``qmark_cursor``."""
    names = _assigned(fields, with_tokens)
    assignments = ", ".join(
        f"{_column(name)} = v.column{position}" for position, name in enumerate(names, 1)
    )
    table = connection.ops.quote_name(Disclosure._meta.db_table)
    row = "(" + ", ".join(["?"] * (len(names) + 1)) + ")"
    return (
        f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * count)}) AS v "
        f"WHERE {table}.{_column('id')} = v.column{len(names) + 1}"
    )


def write_all(groups, inserter):
    """Update the records of every group: ``groups`` maps (fields, with tokens) to rows from
    ``row_values``. On PostgreSQL all on the import's ``inserter``'s thread as one piece of
    work (``BackgroundInserter.run``): the server writes one chunk's records while the importer
    reads and scrubs the next (bench/disclosures.py's revised re-import). On SQLite here, group
    by group (``write``)."""
    if connection.vendor == "postgresql":
        work = [(statement(*key), rows) for key, rows in groups.items() if rows]
        inserter.run(lambda cursor: _write_prepared(cursor.connection, work))
        return
    for (fields, with_tokens), rows in groups.items():
        write(fields, with_tokens, rows)


def write(fields, with_tokens, rows):
    """SQLite: update ``fields`` of these records (tuples from ``row_values`` for the same
    fields); an import's publishing (``staged``) and ``write_all``."""
    if not rows:
        return
    # Written with SQLite's own placeholders: Django's cursor would rewrite every ``%s`` of a
    # thousand rows' statement with a regular expression, 0.14 s of the bench's 100,000.
    with connection.qmark_cursor() as cursor:
        if not with_tokens:
            cursor.executemany(statement(fields, with_tokens, "?"), rows)
            return
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            group = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                values_statement(fields, with_tokens, len(group)),
                [value for row in group for value in row],
            )


def _write_prepared(raw, work):
    """(statement, rows) pairs, on the driver's connection ``raw`` (the inserter's thread)."""
    with _preparing(raw) as cursor:
        for sql, rows in work:
            cursor.executemany(sql, rows)


@contextmanager
def _preparing(raw):
    """PostgreSQL: a cursor of psycopg's own kind on the driver's connection ``raw``, which
    sends the parameters apart from the statement. Its ``executemany`` prepares the statement
    once: Django turns psycopg's preparing off for the connection (``prepare_threshold`` None,
    for PgBouncer's sake), so it is turned on for this block only, at a threshold no other
    statement reaches (``executemany`` prepares regardless). What was prepared stays in
    psycopg's keeping, which the next import on the connection reuses and a rollback lets go
    of; letting go of it here behind psycopg's back made the next chunk's statement fail."""
    import psycopg  # here: a SQLite site never loads the driver

    threshold, raw.prepare_threshold = raw.prepare_threshold, sys.maxsize
    try:
        with psycopg.Cursor(raw) as cursor:
            yield cursor
    finally:
        raw.prepare_threshold = threshold


def values_of(keys):
    """A function giving a row's values at ``keys`` (names of a dict, places of a tuple) as a
    tuple, in C (``itemgetter``): a list or a generator per row took 2 to 2.5 times as long
    (0.69 against 0.27 µs for 20 fields), on every row of an import."""
    get = itemgetter(*keys)
    return get if len(keys) > 1 else lambda row: (get(row),)


# ``row_values``' getter for each set of fields an import writes (a few per import).
_values_of_fields = functools.lru_cache(maxsize=16)(values_of)


def row_values(values, fields, tokens, pk):
    """One record's parameters: ``values`` (a dict holding every name of ``fields``, adapted
    for the database), its tokens or None when its text did not change, and its primary key."""
    head = _values_of_fields(fields)(values)
    return (*head, tokens, pk) if tokens is not None else (*head, pk)
