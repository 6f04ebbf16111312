"""The snapshot's columns in files that every process of the machine maps, one folder per data
version (``disclosures.snapshot`` decides when; this module is the format and its safety).

Why: reading the columns from the table cost a process about 3 s at a million records, and
every gunicorn worker paid it after each change. Now the first process of a machine that needs a
version writes its columns once to ``<DISCLOSURE_SNAPSHOT_DIR>/snapshot-<database key>-<token>/``,
one ``.npy`` file per column and ``meta.json``; every process maps them
(``numpy.load(mmap_mode="r")``), so a worker's first search after a change reads a few small
files, and the pages are the kernel's page cache, shared by all workers rather than copied into
each.

Safety:

- A folder is written under a temporary name beside it, every file and the folder fsynced, then
  renamed into place: a reader finds a whole folder or none, never a half-written file.
- ``meta.json`` names the format, the token and each column's type, shape and
  CRC-32; a folder that disagrees (truncated, damaged, an older format) is not used: the caller
  builds the columns from the table, and the next builder replaces the folder.
- One builder at a time per machine and database: a ``flock`` in the folder (the kernel lets go
  of it when a process dies), whatever the database, since each app server has a folder of its
  own (a PostgreSQL advisory lock would make one server wait for another's build); the other
  processes wait for its folder, so four workers started after a change read the table once.
  A builder that hangs is waited for at most ``WAIT_SECONDS``.
- A folder is written only if the version is still current once the columns are read (an
  import committed meanwhile would otherwise leave newer rows under the older token), and the
  builder removes the folders of its database but the newest ``KEEP``.
"""

import json
import logging
import os
import shutil
import time
import zlib
from pathlib import Path

import numpy as np
from django.conf import settings

from common.process_lock import FileLock, database_key

logger = logging.getLogger(__name__)

FORMAT = 1
KEEP = 2
META = "meta.json"
LOCK_NAME = "building"
WAIT_SECONDS = 120
POLL_SECONDS = 0.05


def _root():
    """``DISCLOSURE_SNAPSHOT_DIR``, created if need be (for this user only)."""
    path = Path(settings.DISCLOSURE_SNAPSHOT_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class _MachineLock(FileLock):
    """``common.process_lock.FileLock``, in the snapshot folder of this machine."""

    def __init__(self):
        self.path = _root() / f"{LOCK_NAME}-{database_key()}.lock"
        self.handle = None


def _prefix():
    return f"snapshot-{database_key()}-"


def folder(token):
    return _root() / f"{_prefix()}{token}"


def _checksum(array):
    return zlib.crc32(np.ascontiguousarray(array))


def read(token):
    """(columns, extra) of a version from its folder, columns mapped read-only; None when the
    folder is missing or does not match its ``meta.json``."""
    try:
        path = folder(token)
        meta = json.loads((path / META).read_text())
        if meta["format"] != FORMAT or meta["token"] != str(token):
            return None
        columns = {}
        for name, expected in meta["columns"].items():
            mapped = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if str(mapped.dtype) != expected["dtype"] or list(mapped.shape) != expected["shape"]:
                return None
            # A plain array over the mapped pages: numpy's memmap subclass would otherwise
            # follow into every slice and mask made from it.
            array = np.asarray(mapped)
            if _checksum(array) != expected["crc32"]:
                return None
            columns[name] = array
        return columns, meta["extra"]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


def _fsync(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write(token, columns, extra):
    """Write a version's folder atomically; a folder already in place (damaged, since a good
    one would have been read) is replaced."""
    final = folder(token)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(mode=0o700)
    meta = {"format": FORMAT, "token": str(token), "columns": {}, "extra": extra}
    for name, array in columns.items():
        array = np.ascontiguousarray(array)
        with open(temporary / f"{name}.npy", "wb") as handle:
            np.save(handle, array, allow_pickle=False)
            handle.flush()
            os.fsync(handle.fileno())
        meta["columns"][name] = {
            "dtype": str(array.dtype),
            "shape": list(array.shape),
            "crc32": _checksum(array),
        }
    with open(temporary / META, "w") as handle:
        json.dump(meta, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync(temporary)
    if final.exists():
        # Renamed aside first: a process that mapped its files keeps them until it lets go.
        aside = final.with_name(f".{final.name}.{os.getpid()}.old")
        os.rename(final, aside)
        shutil.rmtree(aside, ignore_errors=True)
    os.rename(temporary, final)
    os.utime(final)
    _fsync(final.parent)


def remove_old(keep=KEEP):
    """Remove this database's folders but the newest ``keep``, and the temporary folders a
    killed builder left (call with the lock held: no other builder is writing)."""
    prefix = _prefix()
    folders = []
    for path in _root().iterdir():
        if path.name.startswith(f".{prefix}"):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(prefix):
            try:
                folders.append((path.stat().st_mtime_ns, path))
            except FileNotFoundError:
                continue
    folders.sort(reverse=True)
    for _mtime, path in folders[keep:]:
        shutil.rmtree(path, ignore_errors=True)


def _build_and_write(token, build, still_current, mapped):
    # Written by the process that held the lock while this one waited.
    found = read(token) if mapped else _written(token)
    if found:
        return found if mapped else None
    columns, extra = build()
    if not still_current():
        return (columns, extra) if mapped else None
    try:
        write(token, columns, extra)
        remove_old()
    except OSError:
        logger.warning("公示数据快照文件写入失败，本进程使用内存中的快照", exc_info=True)
        return (columns, extra) if mapped else None
    if not mapped:
        return None
    # The mapped files take the built columns' place: not both in memory at once (55 MB each
    # at a million records). A folder that cannot be read back right after being written is
    # built again, in memory.
    del columns
    return read(token) or build()


def _written(token):
    """Whether a version's folder is in place, without mapping it (``mapped=False``)."""
    try:
        meta = json.loads((folder(token) / META).read_text())
    except (OSError, ValueError):
        return False
    return meta.get("format") == FORMAT and meta.get("token") == str(token)


def shared(token, build, still_current, mapped=True):
    """(columns, extra) of a version: mapped from its folder, else built once on this machine.

    ``build()`` returns (columns, extra) read from the table; ``still_current()`` says whether
    the version is still the current one once they are read. The process holding the lock
    builds and writes; the others poll for its folder meanwhile. A work folder that cannot be
    written (full, read-only) costs each process its own build, never a failed search.

    With ``mapped=False`` (an import warming the files for the workers) the folder is only
    written, if it is not there yet, and nothing is returned.
    """
    look = read if mapped else _written
    found = look(token)
    if found:
        return found if mapped else None
    lock = None
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            lock = lock or _MachineLock()
            acquired = lock.acquire()
        except OSError:
            logger.warning("公示数据快照的锁文件无法打开，本进程自行读取数据表", exc_info=True)
            return build() if mapped else None
        if acquired:
            try:
                return _build_and_write(token, build, still_current, mapped)
            finally:
                lock.release()
        time.sleep(POLL_SECONDS)
        found = look(token)
        if found:
            return found if mapped else None
        if time.monotonic() > deadline:
            # The builder is stuck: waiting longer would cost more than building here.
            return build() if mapped else None
