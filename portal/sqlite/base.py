"""Django's SQLite backend, with writers that take turns fairly.

SQLite has one writer at a time, and a writer that finds the lock taken waits in SQLite's busy
handler, which sleeps longer and longer between tries (up to 100 ms). While an import commits
a chunk every few hundred milliseconds and starts the next one at once, such a waiter almost
never looks in the short gap between two chunks: measured, a one-row write waited up to 3 s
and an admin login up to 4 s (``bench/import_under_load.py``).

So the busy handler is off, and a statement that would start a write (``BEGIN IMMEDIATE`` or a
statement outside a transaction) is tried again every ``POLL_SECONDS`` until the configured
``timeout`` has passed; then it fails as before, with "database is locked". Any gap of a few
milliseconds is enough, and the import leaves one after each of its transactions
(``begin_immediate`` is what it uses to start them). A statement inside a transaction is never
repeated: it holds the lock already, or repeating it could not help.
"""

import sqlite3
import time

from django.db.backends.sqlite3 import base

POLL_SECONDS = 0.002
DEFAULT_TIMEOUT = 20.0


def _locked(error):
    return "database is locked" in str(error) or "database table is locked" in str(error)


def retry_while_locked(connection, run, timeout):
    """``run()``, tried again while the database is locked by another writer."""
    if connection.in_transaction:
        return run()
    deadline = None
    while True:
        try:
            return run()
        except sqlite3.OperationalError as error:
            if not _locked(error):
                raise
            now = time.monotonic()
            deadline = deadline or now + timeout
            if now >= deadline:
                raise
            time.sleep(POLL_SECONDS)


def begin_immediate(raw_connection, timeout=DEFAULT_TIMEOUT):
    """Start a write transaction on a driver connection, waiting for the lock fairly."""
    retry_while_locked(raw_connection, lambda: raw_connection.execute("BEGIN IMMEDIATE"), timeout)


class FairLockCursorWrapper(base.SQLiteCursorWrapper):
    lock_timeout = DEFAULT_TIMEOUT

    def execute(self, query, params=None):
        run = super().execute
        return retry_while_locked(self.connection, lambda: run(query, params), self.lock_timeout)

    def executemany(self, query, param_list):
        run = super().executemany
        if not self.connection.in_transaction:
            param_list = list(param_list)  # a generator could not be sent twice
        return retry_while_locked(
            self.connection, lambda: run(query, param_list), self.lock_timeout
        )


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        self.lock_timeout = float(params.get("timeout", DEFAULT_TIMEOUT))
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.execute("PRAGMA busy_timeout = 0")  # waiting is done here, fairly
        return connection

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=FairLockCursorWrapper)
        cursor.lock_timeout = self.lock_timeout
        return cursor
