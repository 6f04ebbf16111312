"""SQLite: a first load into an empty disclosure table builds its secondary indexes at the end.

Inserting a million rows kept three indexes in step row by row (credit code, complaint date,
merchant and date), each insert a look-up into a b-tree whose pages no longer fit the import's
page cache, each page then written to the WAL at every commit and again at every checkpoint:
at a million rows the insert thread spent most of its time in ``pwrite``, and the import ran at
9,232 rows/s (``bench/disclosures.py``'s file, one process). Without the three it ran at
13,026-13,067 rows/s, building them at the end included (3.2 s, each a sort of the finished
table); with the credit code's kept in step (below), 12,003-12,589 (2.1-2.3 s to build the
other two). Runs alternating, on one machine.

So when the table holds no row at all as an import begins, its non-unique indexes are dropped
(their definitions kept in the import's state file) and built again once every row has passed,
before the rows are published; a refused or failed load builds them again over what is left.
A killed one is put right by the next import (``exclusive``), whatever phase it was in.

Two kinds stay: unique indexes, which guard the complaint numbers against a second writer
meanwhile, and those over ``KEPT_COLUMNS``: a merchant's scan page, records page and API answer
look its records up by credit code, and without the index each would read the whole table,
a million pending rows by the end of the load. The others serve no public page while nothing is
public (a merchant's relinking when it is saved, a listing by date). Later imports, into a
table with records, keep every index.

The cost: each build holds the write lock for its sort, so the site's writers wait for it once
at the end of a first load. bench/import_under_load.py at a million rows, on a machine where
the load itself took 152 s: the longest admin login 2.6 s and database write 2.0 s, against
1.2 s and 0.7 s without (196 s); scan pages 134 ms against 171 ms at most.
"""

from django.db import connection, transaction

from ..models import Disclosure
from .sqlite_bulk import page_cache

TABLE = Disclosure._meta.db_table
# The page cache while an index is built: CREATE INDEX sorts in memory as much as the cache
# holds, then merges sorted runs from temporary files. At a million rows the import's 16 MB
# took 2.2 s and 37 MB, SQLite's default of 2 MB 1.3 s and 8 MB (the sort's runs fit the CPU's
# caches better), which keeps the import under its memory target.
BUILD_CACHE_KIB = 2000
# Columns whose indexes a first load keeps in step: public pages look records up by them.
KEPT_COLUMNS = ("credit_code",)


def secondary_indexes():
    """[name, CREATE INDEX statement] of the table's non-unique indexes that a first load may
    build at the end, as SQLite stores them (a unique one's statement starts CREATE UNIQUE
    INDEX; a constraint's has none); none over ``KEPT_COLUMNS``."""
    kept = {Disclosure._meta.get_field(name).column for name in KEPT_COLUMNS}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql LIKE 'CREATE INDEX %%' ORDER BY name",
            [TABLE],
        )
        indexes = cursor.fetchall()
        deferred = []
        for name, sql in indexes:
            cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
            if not kept & {column for _rank, _cid, column in cursor.fetchall()}:
                deferred.append([name, sql])
    return deferred


def drop(indexes):
    """Drop ``indexes`` (from ``secondary_indexes``) in one short transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")


def rebuild(indexes):
    """Build again those of ``indexes`` that are missing, one transaction each: the write lock
    is held for one index's sort at a time (about 1.3 s at a million rows)."""
    if not indexes:
        return
    with page_cache(BUILD_CACHE_KIB):
        for name, sql in indexes:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [name]
                )
                if cursor.fetchone() is None:
                    cursor.execute(sql)
