"""Making a large import cheap on SQLite: a bigger page cache, indexes filled once at the end.

Measured on a million rows (the bench): inserting row by row into a table with eleven secondary
indexes and an FTS5 trigger cost about 85 µs a row in SQLite alone, most of the import's budget.

* Page cache: the default (2 MB) is much smaller than the indexes of a million-row table, so
  inserts keep reading pages back; during the import the connection gets ``IMPORT_CACHE_KIB``
  and its old size back afterwards.
* Full-text index: the FTS5 index over ``search_tokens`` (``search.token_index``) is kept by
  triggers. Instead of the insert trigger firing per row, it is dropped, and the new rows are
  indexed with one ``INSERT … SELECT`` per chunk, on the insert thread while the next chunk is
  parsed (``catch_up_full_text``), and for any rest at the end; then the trigger is created
  again from its own stored SQL. Updates still go through the update trigger.
* Secondary indexes, on a first load only (the table was empty): dropped, and created again
  from their stored SQL after the rows are in, which sorts once instead of inserting at random
  a million times. Into a table that already holds data, rebuilding would cost more than it
  saves, so they stay.

All of it happens inside the import's transaction, and SQLite DDL is transactional: if the
import fails or is refused, the rollback restores triggers and indexes too, and no other
connection can write meanwhile (the transaction holds the write lock). Nothing happens on
other databases.
"""

from django.db import connection

from search.token_index import fts_table

from ..models import Disclosure

COLUMN = "search_tokens"
IMPORT_CACHE_KIB = 64 * 1024


class BulkWrite:
    def __init__(self, first_load=False):
        self.table = Disclosure._meta.db_table
        self.fts = fts_table(self.table, COLUMN)
        self.first_load = first_load
        self.trigger_sql = None
        self.index_sql = []
        self.last_id_before = 0
        self.cache_before = None

    def __enter__(self):
        if connection.vendor != "sqlite":
            return self
        if not connection.in_atomic_block:
            raise RuntimeError("BulkWrite must run inside the import's transaction")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            self.cache_before = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            self._defer_full_text(cursor)
            if self.first_load:
                self._defer_indexes(cursor)
        return self

    def __exit__(self, exc_type, exc, traceback):
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            if exc_type is None:  # on failure the rollback restores indexes and trigger
                for sql in self.index_sql:
                    cursor.execute(sql)
                self._fill_full_text(cursor)
            if self.cache_before is not None:
                cursor.execute(f"PRAGMA cache_size = {int(self.cache_before)}")

    def _defer_full_text(self, cursor):
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
            " AND name = %s",
            [self.table, f"{self.fts}_ai"],
        )
        found = cursor.fetchone()
        if found is None:
            return  # no full-text index on this database
        name, self.trigger_sql = found
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
        self.last_id_before = cursor.fetchone()[0]
        cursor.execute(f'DROP TRIGGER "{name}"')

    def catch_up_full_text(self, raw_cursor):
        """Index the rows written since the last call; on the insert thread, with the driver's
        own cursor, after each chunk, so that little is left for the end of the import."""
        if self.trigger_sql is None:
            return
        raw_cursor.execute(self._fill_sql("?"), [self.last_id_before])
        raw_cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
        self.last_id_before = raw_cursor.fetchone()[0]

    def _fill_sql(self, placeholder):
        # New rows have ids above the largest before the import (AUTOINCREMENT never goes
        # back, and the transaction holds the write lock).
        return (
            f"INSERT INTO {self.fts}(rowid, {COLUMN}) "
            f"SELECT id, {COLUMN} FROM {self.table} WHERE id > {placeholder}"
        )

    def _fill_full_text(self, cursor):
        if self.trigger_sql is None:
            return
        cursor.execute(self._fill_sql("%s"), [self.last_id_before])
        cursor.execute(self.trigger_sql)

    def _defer_indexes(self, cursor):
        # sql IS NULL for the indexes behind PRIMARY KEY and UNIQUE: those stay (and keep
        # complaint numbers unique while writing).
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql IS NOT NULL",
            [self.table],
        )
        for name, sql in cursor.fetchall():
            self.index_sql.append(sql)
            cursor.execute(f'DROP INDEX "{name}"')
