"""The import's SQLite connection while it writes: a bigger page cache, sparser checkpoints.

Measured on a million rows (the bench): the default cache (2 MB) is much smaller than the
indexes of a million-row table, so inserts kept reading pages back. During the import the
connection gets ``IMPORT_CACHE_KIB`` and its old size back afterwards; 16 MB imported a million
rows as fast as 64 MB did (6,524 and 6,596 rows/s), for 48 MB less memory. Nothing happens on
other databases.

WAL checkpoints: after each commit SQLite copies the pages written since the last checkpoint
back into the database file. An import that commits every second would copy its index pages
again each time; the import's connection checkpoints every ``CHECKPOINT_SECONDS`` instead
(``BackgroundInserter``), outside the write lock, so other writers go on meanwhile.

The full-text trigger stays in place while an import writes: filling the full-text index once
per transaction with ``INSERT … SELECT`` instead measured no faster once transactions were
short. So do the indexes, since the site reads while an import commits in short transactions
(``importing.staged``), except on a first load into an empty table, which builds two of them at
the end (``importing.deferred_indexes``).
"""

from contextlib import contextmanager

from django.db import connection

IMPORT_CACHE_KIB = 16 * 1024


@contextmanager
def pragma(name, value):
    """SQLite: the connection's ``PRAGMA name`` set to the integer ``value`` in this block, its
    old value after."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name} = {int(before)}")


def page_cache(kib):
    """SQLite: the connection's page cache at ``kib`` KiB in this block, its old size after."""
    return pragma("cache_size", -int(kib))


@contextmanager
def import_pragmas():
    """The import's connection: a bigger page cache, and WAL checkpoints every few seconds
    (``BackgroundInserter``) instead of one after every commit; one more at the end.

    The WAL file is not cut back meanwhile (``journal_size_limit``, settings): cutting it to
    64 MB after each checkpoint, only for the next commits to grow it again, cost a million-row
    import 5-10 % (lifted as here, 14,670 and 14,063 rows/s; kept, 13,163 and 13,269; runs
    alternating). The limit is back before the last checkpoint, so the next write cuts the file
    back."""
    if connection.vendor != "sqlite":
        yield
        return
    with page_cache(IMPORT_CACHE_KIB):
        try:
            with pragma("wal_autocheckpoint", 0), pragma("journal_size_limit", -1):
                yield
        finally:
            if not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
