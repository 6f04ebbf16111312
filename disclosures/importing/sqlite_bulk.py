"""A bigger SQLite page cache for the import's connection while it writes.

Measured on a million rows (the bench): the default cache (2 MB) is much smaller than the
indexes of a million-row table, so inserts kept reading pages back. During the import the
connection gets ``IMPORT_CACHE_KIB`` and its old size back afterwards. Nothing happens on other
databases.

Indexes and the full-text trigger stay in place while an import writes: it commits in short
transactions (``importing.staged``) while the site reads, so every commit must leave the table
with all of its indexes, and rebuilding them at the end would hold the write lock for seconds
(2–3 s an index at a million rows). Filling the full-text index once per transaction with
``INSERT … SELECT`` instead of the trigger measured no faster once transactions were short.
"""

from contextlib import contextmanager

from django.db import connection

IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def bigger_page_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
