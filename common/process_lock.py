"""A lock that only a live process can hold, for work that must never run twice at once (a
disclosure import, an index rebuild). It lives where the database is:

- PostgreSQL: a session advisory lock on the connection, under a fixed 64-bit key per purpose;
  the server lets go of it when the connection ends, so a killed process never leaves it held;
- SQLite: ``flock`` on a lock file in ``IMPORT_WORK_DIR``, one per purpose and database; the
  kernel lets go of it when the process dies.

``acquire`` never waits: it answers whether the lock is now held.
"""

import fcntl
import hashlib

from django.db import connection

from .work_dir import work_dir


def database_key():
    """A short stable name of the database in use, for files kept beside it."""
    name = str(connection.settings_dict.get("NAME"))
    return hashlib.sha256(name.encode()).hexdigest()[:16]


class FileLock:
    def __init__(self, name):
        self.path = work_dir() / f"{name}-{database_key()}.lock"
        self.handle = None

    def acquire(self):
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.handle = handle
        return True

    def release(self):
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class AdvisoryLock:
    def __init__(self, key):
        self.key = key

    def acquire(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            return bool(cursor.fetchone()[0])

    def release(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])


def process_lock(name, advisory_key):
    """The lock of one purpose: ``name`` names its file on SQLite, ``advisory_key`` (a fixed
    64-bit number of its own) its advisory lock on PostgreSQL."""
    if connection.vendor == "postgresql":
        return AdvisoryLock(advisory_key)
    return FileLock(name)
