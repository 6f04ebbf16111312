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

# Rows per INSERT statement on SQLite: 1,000 x 27 values stays under its 32,766 variables.
ROWS_PER_STATEMENT = 1000


class BackgroundInserter:
    def __init__(self, table, columns, after_insert=None):
        connection.ensure_connection()
        self.raw = connection.connection
        self.vendor = connection.vendor
        quote = connection.ops.quote_name
        # The driver's own placeholders: this bypasses Django's cursor, which rewrites them.
        mark = "?" if self.vendor == "sqlite" else "%s"
        self.prefix = "INSERT INTO {} ({}) VALUES ".format(
            quote(table), ", ".join(quote(column) for column in columns)
        )
        self.row = "(" + ", ".join([mark] * len(columns)) + ")"
        # Called on the insert thread with the driver's cursor after each chunk.
        self.after_insert = after_insert
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
                if self.vendor == "sqlite":
                    self._insert_in_statements(cursor, rows)
                else:
                    cursor.executemany(self.prefix + self.row, rows)
                if self.after_insert:
                    self.after_insert(cursor)
            finally:
                cursor.close()
        except Exception as error:  # noqa: BLE001 (raised again in the importer's thread by wait())
            self.error = error

    def _insert_in_statements(self, cursor, rows):
        # A thousand rows per statement: SQLite lets go of the interpreter lock once per
        # statement rather than once per row, so this thread stops queueing for it.
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            group = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                self.prefix + ", ".join([self.row] * len(group)),
                [value for row in group for value in row],
            )

    def wait(self):
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            with connection.wrap_database_errors:
                raise error
