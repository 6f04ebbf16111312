"""Inserting one chunk of rows on a second thread while the next chunk is read and scrubbed.

SQLite and psycopg let go of Python's interpreter lock while the database works, so the insert
of one chunk and the parsing, checking, scrubbing and tokenising of the next run on two cores at
once: a quarter off a large import (``bench/disclosures.py``).

At most one chunk is in flight, on the import's own connection, and nothing else may use that
connection meanwhile. The inserter sees to it: while it is open (``with BackgroundInserter(…)``)
every query this thread sends through Django's connection first waits for the chunk in flight
(a ``connection.execute_wrapper``), and closing it waits for the last one. So the importer can
query between chunks without a ``wait()`` of its own, and the transaction around the inserter
commits only once the last chunk is in. A failed insert is raised by the next ``submit``,
query, ``wait()`` or the close, as Django's database errors, so the importer's handling of a
failed insert is that of any failed query.

A query while a chunk is in flight is correct but waits, and then the two threads no longer
overlap: work that can wait (the import's progress) goes through ``when_idle``, which runs it
before the next chunk starts. A query that can run while the importer works (a re-import's
look-up of stored records) goes to the thread itself with ``query``, in a chunk's place.

With ``own_transactions`` (SQLite, ``importing.staged``) the rows are committed in short
transactions, none holding the write lock longer than ``MAX_HOLD_SECONDS``, each followed by a
pause in which the site's writers get in; otherwise the chunks join the import's transaction.
"""

import sys
import threading
import time
from contextlib import ExitStack, contextmanager

from django.db import connection

from common.sqlite import base as sqlite_backend

# Rows per INSERT statement on SQLite: 1,000 x 27 values stays under its 32,766 variables.
ROWS_PER_STATEMENT = 1000
# With own transactions (``common.sqlite`` says how writers take turns): rows per statement;
# a transaction ends after the statement in which another writer was seen waiting, and at the
# latest after MAX_HOLD_SECONDS; then a pause in which the waiting writer gets in. Long
# transactions when nobody waits cost far less than short ones (bench/disclosures.py); the wait
# of the site's writers is measured in bench/import_under_load.py.
ROWS_PER_SHORT_STATEMENT = 250
MAX_HOLD_SECONDS = 1.0
GAP_SECONDS = 0.005
# How often the import's connection copies its WAL back into the database (sqlite_bulk).
CHECKPOINT_SECONDS = 10.0
# While the inserter is open, how long a thread may keep the interpreter lock when another
# wants it (Python's default is 5 ms). After each statement the insert thread wants the lock
# back from the importer's thread, which is busy in Python: at 5 ms a statement, it waited
# longer than SQLite took. 0.2 ms: 13,655 -> 15,692 rows/s at 200,000 rows (bench/disclosures.py).
SWITCH_INTERVAL_SECONDS = 0.0002


class WriteTurn:
    """A long writer's transaction on SQLite: over once ``MAX_HOLD_SECONDS`` have passed or
    another writer was seen waiting (``common.sqlite``'s beacon) since it began. The inserter's
    transactions and the publishing of spooled updates (``staged``) end by the same rule."""

    def __init__(self, beacon):
        self.beacon = beacon
        self.began, self.began_ns = time.monotonic(), time.time_ns()

    def is_over(self):
        return time.monotonic() - self.began >= MAX_HOLD_SECONDS or (
            sqlite_backend.someone_waiting(self.beacon, self.began_ns)
        )


@contextmanager
def _switch_interval(seconds):
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(seconds, before))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class BackgroundInserter:
    """``with BackgroundInserter(table, columns) as inserter: inserter.submit(rows)``."""

    def __init__(self, table, columns, own_transactions=False):
        quote = connection.ops.quote_name
        # The driver's own placeholders: this bypasses Django's cursor, which rewrites them.
        mark = "?" if connection.vendor == "sqlite" else "%s"
        target = "{} ({})".format(quote(table), ", ".join(quote(column) for column in columns))
        self.prefix = f"INSERT INTO {target} VALUES "
        self.copy_sql = f"COPY {target} FROM STDIN"
        self.row = "(" + ", ".join([mark] * len(columns)) + ")"
        self.own_transactions = own_transactions
        self.raw = None
        self._thread = None
        self._error = None
        self._idle_calls = []
        self._open = ExitStack()

    def __enter__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.vendor = connection.vendor
        if self.own_transactions:
            self.beacon = sqlite_backend.waiting_beacon(connection.settings_dict["NAME"])
            self.checkpointed = time.monotonic()
        self._open.enter_context(connection.execute_wrapper(self._after_the_insert))
        self._open.enter_context(_switch_interval(SWITCH_INTERVAL_SECONDS))
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            with self._open:  # the guard is removed however the wait ends
                self.wait()
        finally:
            self.raw = None
        if exc_type is None:
            self._run_idle_calls()

    @property
    def in_flight(self):
        return self._thread is not None

    def submit(self, rows):
        """Start inserting ``rows`` (tuples in column order) once the previous chunk is in."""
        self._start("submit", lambda cursor: self._insert(cursor, rows))

    def run(self, work):
        """Start ``work(cursor)`` on the thread once the chunk in flight is in, as a chunk of its
        own: PostgreSQL's updates of a re-import (``updates.write_all``), which the server
        writes while this thread reads and scrubs the next chunk."""
        self._start("run", work)

    def query(self, sql, params):
        """Start ``sql`` (in the driver's placeholders) on a thread once the chunk in flight is
        in, as a chunk of its own: returns a function that waits for it and gives its rows.
        Worth it only for a query that answers in one row: the thread takes the interpreter
        lock back for every row it fetches, and waits for it each time while this thread works
        in Python."""
        answer = []
        self._start("query", lambda cursor: answer.extend(cursor.execute(sql, params).fetchall()))

        def rows():
            self.wait()
            return answer

        return rows

    def _start(self, caller, work):
        """Run ``work(cursor)`` on a thread of its own, on the import's connection, once the
        chunk in flight is in; what it raises is kept for ``wait()``."""
        if self.raw is None:
            raise RuntimeError(f"BackgroundInserter.{caller}() outside its with-block")
        self.wait()
        self._run_idle_calls()
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def when_idle(self, function):
        """Call ``function`` now if no chunk is in flight, else once it is in: before the next
        chunk starts, or when the inserter closes."""
        if self.in_flight:
            self._idle_calls.append(function)
        else:
            function()

    def wait(self):
        """Until the chunk in flight is in; raises what its insert raised."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            with connection.wrap_database_errors:
                raise error

    def _after_the_insert(self, execute, sql, params, many, context):
        # Every query of this thread while the inserter is open: never beside a chunk in flight.
        self.wait()
        return execute(sql, params, many, context)

    def _run_idle_calls(self):
        calls, self._idle_calls = self._idle_calls, []
        for function in calls:
            function()

    def _run(self, work):
        try:
            cursor = self.raw.cursor()
            try:
                work(cursor)
            finally:
                cursor.close()
        except Exception as error:  # noqa: BLE001 (raised again in the importer's thread by wait())
            self._error = error

    def _insert(self, cursor, rows):
        if self.own_transactions:
            self._insert_in_short_transactions(cursor, rows)
        else:
            self._insert_rows(cursor, rows)

    def _insert_rows(self, cursor, rows):
        if self.vendor == "sqlite":
            self._insert_in_statements(cursor, rows)
        elif self.vendor == "postgresql":
            # COPY streams the rows in one command: no statement per row to parse, plan and
            # answer (bench/disclosures.py on PostgreSQL).
            with cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.prefix + self.row, rows)

    def _insert_in_short_transactions(self, cursor, rows):
        """SQLite: statements until another writer waits or ``MAX_HOLD_SECONDS`` have passed,
        committed, then a pause; again until the chunk is in. Earlier transactions stay if a
        later one fails: the rows are pending, and the importer deletes them
        (``staged.discard_pending``)."""
        position = 0
        while position < len(rows):
            sqlite_backend.begin_immediate(self.raw)
            turn = WriteTurn(self.beacon)
            try:
                while position < len(rows):
                    group = rows[position : position + ROWS_PER_SHORT_STATEMENT]
                    self._insert_group(cursor, group)
                    position += len(group)
                    if turn.is_over():
                        break
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
            if time.monotonic() - self.checkpointed >= CHECKPOINT_SECONDS:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                self.checkpointed = time.monotonic()
            time.sleep(GAP_SECONDS)

    def _insert_group(self, cursor, group):
        cursor.execute(
            self.prefix + ", ".join([self.row] * len(group)),
            [value for row in group for value in row],
        )

    def _insert_in_statements(self, cursor, rows):
        # A thousand rows per statement: SQLite lets go of the interpreter lock once per
        # statement rather than once per row, so this thread stops queueing for it.
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            self._insert_group(cursor, rows[start : start + ROWS_PER_STATEMENT])
