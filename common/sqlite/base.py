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

While it waits, a writer also touches a beacon file beside the database (``waiting_beacon``)
every ``BEACON_SECONDS``. A long writer such as an import looks at the beacon's time between
its statements (``someone_waiting``) and commits as soon as anybody waits: its transactions can
then be long when the site is quiet, which costs far less than many short ones, and short when
it is not.
"""

import os
import sqlite3
import time
from pathlib import Path

from django.db.backends.sqlite3 import base, operations

POLL_SECONDS = 0.002
BEACON_SECONDS = 0.02
DEFAULT_TIMEOUT = 20.0


def waiting_beacon(database_name):
    """The file whose modification time says when a writer last waited for ``database_name``."""
    return Path(f"{database_name}-writer-waiting")


def someone_waiting(beacon, since_ns):
    """Whether a writer has waited for the lock since ``since_ns`` (``time.time_ns()``)."""
    try:
        return os.stat(beacon).st_mtime_ns >= since_ns
    except FileNotFoundError:
        return False


def _touch(beacon):
    try:
        beacon.touch()
    except OSError:  # a read-only directory: waiting still works, only slower
        pass


def _locked(error):
    return "database is locked" in str(error) or "database table is locked" in str(error)


def retry_while_locked(connection, run, timeout, beacon=None):
    """``run()``, tried again while the database is locked by another writer."""
    if connection.in_transaction:
        return run()
    deadline = touched = None
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
            if beacon is not None and (touched is None or now - touched >= BEACON_SECONDS):
                _touch(beacon)
                touched = now
            time.sleep(POLL_SECONDS)


def begin_immediate(raw_connection, timeout=DEFAULT_TIMEOUT):
    """Start a write transaction on a driver connection, waiting for the lock fairly (a long
    writer's own transactions: it does not ask others to hurry)."""
    retry_while_locked(raw_connection, lambda: raw_connection.execute("BEGIN IMMEDIATE"), timeout)


class FairLockCursorWrapper(base.SQLiteCursorWrapper):
    lock_timeout = DEFAULT_TIMEOUT
    beacon = None

    def execute(self, query, params=None):
        run = super().execute
        return retry_while_locked(
            self.connection, lambda: run(query, params), self.lock_timeout, self.beacon
        )

    def executemany(self, query, param_list):
        run = super().executemany
        if not self.connection.in_transaction:
            param_list = list(param_list)  # a generator could not be sent twice
        return retry_while_locked(
            self.connection, lambda: run(query, param_list), self.lock_timeout, self.beacon
        )


class QmarkCursorWrapper(FairLockCursorWrapper):
    """A cursor for statements already written with SQLite's own ``?`` placeholders: Django's
    cursor rewrites each ``%s`` with a regular expression, which took 2.9 ms for an UPDATE of a
    thousand rows' 21,000 values (``disclosures.importing.updates``)."""

    def convert_query(self, query, *, param_names=None):
        return query


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # Django's debug cursor (DEBUG, the development server) logs each statement with its
        # values put into the ``%s`` form: a ``QmarkCursorWrapper``'s is written with ``?``, and
        # putting values into it raised TypeError, which failed the statement's caller.
        if isinstance(cursor, QmarkCursorWrapper):
            sql = sql.replace("%", "%%").replace("?", "%s")
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        self.lock_timeout = float(params.get("timeout", DEFAULT_TIMEOUT))
        in_memory = self.is_in_memory_db()
        self.beacon = None if in_memory else waiting_beacon(self.settings_dict["NAME"])
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.execute("PRAGMA busy_timeout = 0")  # waiting is done here, fairly
        return connection

    def create_cursor(self, name=None, factory=FairLockCursorWrapper):
        cursor = self.connection.cursor(factory=factory)
        cursor.lock_timeout = self.lock_timeout
        cursor.beacon = self.beacon
        return cursor

    def qmark_cursor(self):
        """``cursor()`` for statements written with ``?`` (``QmarkCursorWrapper``)."""
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(self.create_cursor(factory=QmarkCursorWrapper))
