"""Inserting one chunk of rows on a second thread while the next chunk is read and scrubbed.

SQLite and psycopg let go of Python's interpreter lock while the database works, so the insert
of one chunk and the parsing, checking, scrubbing and tokenising of the next run on two cores at
once: a quarter off a large import (``bench/disclosures.py``).

At most one chunk is in flight, on the import's own connection and transaction. ``wait()`` must
come before the connection is used for anything else (the importer calls it before every other
query and at the end), and it raises what the insert raised, as Django's database errors, so
the importer's handling of a failed insert is unchanged.
"""

import threading

from django.db import connection


class BackgroundInserter:
    def __init__(self, sql):
        connection.ensure_connection()
        self.raw = connection.connection
        # The driver's own placeholder: this bypasses Django's cursor, which rewrites %s for SQLite.
        self.sql = sql.replace("%s", "?") if connection.vendor == "sqlite" else sql
        self.thread = None
        self.error = None

    def submit(self, rows):
        self.wait()
        self.thread = threading.Thread(target=self._insert, args=(rows,), daemon=True)
        self.thread.start()

    def _insert(self, rows):
        try:
            cursor = self.raw.cursor()
            try:
                cursor.executemany(self.sql, rows)
            finally:
                cursor.close()
        except Exception as error:  # noqa: BLE001 (raised again in the importer's thread by wait())
            self.error = error

    def wait(self):
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            with connection.wrap_database_errors:
                raise error
