"""Writing an import's changed records: one prepared UPDATE, run for many rows.

Django's ``bulk_update`` sends a ``CASE WHEN id = … THEN …`` per column over its whole batch,
which the database evaluates for every row against every branch: re-importing 20,000 revised
records took 100 s (196 rows/s, ``bench/disclosures.py``). One ``UPDATE … WHERE id = %s`` run
with ``executemany`` is prepared once and costs each row one look-up by primary key.

A record whose searched text (``models.SEARCHED_TEXT``) is unchanged is written without its
tokens: the full-text triggers fire only on an update of the token column, so its index entries
are left alone (a county revising 处理结果 rewrites no index).

Rows are plain tuples (``row_values``), so that SQLite's import can spool them to a file until
every row has passed (``staged``).
"""

from django.db import connection

from ..models import Disclosure

TOKENS = "search_tokens"


def _column(name):
    return connection.ops.quote_name(Disclosure._meta.get_field(name).column)


def statement(fields, with_tokens):
    """The UPDATE of ``fields`` of one record by primary key, with or without its tokens."""
    names = (*fields, TOKENS) if with_tokens else tuple(fields)
    assignments = ", ".join(f"{_column(name)} = %s" for name in names)
    table = connection.ops.quote_name(Disclosure._meta.db_table)
    return f"UPDATE {table} SET {assignments} WHERE {_column('id')} = %s"


def write(fields, with_tokens, rows):
    """Update ``fields`` of these records (tuples from ``row_values`` for the same fields)."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(statement(fields, with_tokens), rows)


def row_values(values, fields, tokens, pk):
    """One record's parameters: ``values`` (a dict holding every name of ``fields``, adapted
    for the database), its tokens or None when its text did not change, and its primary key."""
    head = tuple([values[name] for name in fields])
    return (*head, tokens, pk) if tokens is not None else (*head, pk)
