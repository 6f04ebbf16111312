"""One index rebuild at a time, with a lock only a live process can hold.

Two rebuilds at once would each build an index and the later swap would drop the other's work
(or delete the index the other just made current). The lock lives where the database is:

- PostgreSQL: a session advisory lock; the server lets go of it when the connection ends, so a
  killed rebuild never leaves it held;
- SQLite: ``flock`` on a lock file in ``IMPORT_WORK_DIR``, one per database; the kernel lets go
  of it when the process dies (both from ``common.process_lock``).

A PostgreSQL session may take its own advisory lock twice, so the process also remembers what
it holds: a second rebuild in the same process is refused the same way.
"""

from contextlib import contextmanager

from common.process_lock import process_lock

# Any fixed 64-bit number, not the disclosure import's (importing/exclusive.py).
ADVISORY_LOCK_KEY = 4_301_042_026_316
LOCK_NAME = "es-rebuild"

_held = set()


class RebuildBusy(Exception):
    """Another rebuild of this site's index is running."""


@contextmanager
def rebuild_lock(name):
    """Hold the rebuild lock of the index alias ``name``; RebuildBusy if someone else does."""
    if name in _held:
        raise RebuildBusy(name)
    lock = process_lock(LOCK_NAME, ADVISORY_LOCK_KEY)
    if not lock.acquire():
        raise RebuildBusy(name)
    _held.add(name)
    try:
        yield
    finally:
        _held.discard(name)
        lock.release()
