"""One index rebuild at a time, with a lock only a live process can hold.

Two rebuilds at once would each build an index and the later swap would drop the other's work
(or delete the index the other just made current). The lock lives where the database is:

- PostgreSQL: a session advisory lock; the server lets go of it when the connection ends, so a
  killed rebuild never leaves it held;
- SQLite: ``flock`` on a lock file in ``IMPORT_WORK_DIR``, one per database; the kernel lets go
  of it when the process dies.

A PostgreSQL session may take its own advisory lock twice, so the process also remembers what
it holds: a second rebuild in the same process is refused the same way.
"""

import fcntl
import hashlib
from contextlib import contextmanager

from django.db import connection

from common.work_dir import work_dir

# Any fixed 64-bit number, not the disclosure import's (importing/exclusive.py).
ADVISORY_LOCK_KEY = 4_301_042_026_316

_held = set()


class RebuildBusy(Exception):
    """Another rebuild of this site's index is running."""


def _database_key():
    name = str(connection.settings_dict.get("NAME"))
    return hashlib.sha256(name.encode()).hexdigest()[:16]


class _FileLock:
    def __init__(self):
        self.handle = None

    def acquire(self):
        handle = open(work_dir() / f"es-rebuild-{_database_key()}.lock", "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.handle = handle
        return True

    def release(self):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


class _AdvisoryLock:
    def acquire(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            return bool(cursor.fetchone()[0])

    def release(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


@contextmanager
def rebuild_lock(name):
    """Hold the rebuild lock of the index alias ``name``; RebuildBusy if someone else does."""
    if name in _held:
        raise RebuildBusy(name)
    lock = _AdvisoryLock() if connection.vendor == "postgresql" else _FileLock()
    if not lock.acquire():
        raise RebuildBusy(name)
    _held.add(name)
    try:
        yield
    finally:
        _held.discard(name)
        lock.release()
