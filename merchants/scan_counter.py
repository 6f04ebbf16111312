"""Scans per merchant per day, counted in memory and written in one statement now and then.

A write per scan would serialise every request on SQLite's single writer, so each process keeps
its own counts and flushes them with one upsert every FLUSH_SECONDS, and when it exits. The
flush runs on a background thread of each process, never inside a request: while an import
holds SQLite's write lock, the writer waits, not the consumer at the counter. Nothing about
the visitor is kept: only (merchant, day) -> count.
"""

import atexit
import logging
import os
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


_lock = threading.Lock()
_pending = Counter()
_last_flush = time.monotonic()
# The database the counted pages were served from. A test run switches databases under the
# process; counts must never land in another database at exit.
_database = None

UPSERT = (
    "INSERT INTO merchants_scancount (merchant_id, day, count) VALUES {rows} "
    "ON CONFLICT (merchant_id, day) "
    "DO UPDATE SET count = merchants_scancount.count + excluded.count"
)


def flush_interval():
    return settings.MERCHANT_SCAN_FLUSH_SECONDS


def record(merchant_id, day=None):
    """Count one scan; the process's writer thread writes it within FLUSH_SECONDS."""
    day = day or timezone.localdate()  # TIME_ZONE is Asia/Shanghai: the local calendar day
    global _database
    with _lock:
        _database = _database or _database_name()
        _pending[(merchant_id, day)] += 1
    if settings.MERCHANT_SCAN_FLUSH_IN_BACKGROUND:
        _ensure_writer()


_writer = {"pid": None}


def _ensure_writer():
    # Started on the first scan of each process: a thread does not survive gunicorn's fork.
    if _writer["pid"] == os.getpid():
        return
    with _lock:
        if _writer["pid"] == os.getpid():
            return
        _writer["pid"] = os.getpid()
    threading.Thread(target=_write_periodically, name="scan-count-writer", daemon=True).start()


def _write_periodically():
    from django.db import connection as thread_connection

    while True:
        time.sleep(max(flush_interval() - (time.monotonic() - _last_flush), 0.05))
        if time.monotonic() - _last_flush < flush_interval():
            continue
        try:
            flush()
        except Exception:  # the writer must outlive any one failure
            logger.exception("Scan count writer failed; will retry")
        finally:
            thread_connection.close()  # this thread's own connection; reopened next time


def pending():
    with _lock:
        return dict(_pending)


def _database_name():
    return str(connection.settings_dict.get("NAME"))


def _take():
    global _last_flush, _database
    with _lock:
        counts = dict(_pending)
        database, _database = _database, None
        _pending.clear()
        _last_flush = time.monotonic()
    if counts and database != _database_name():
        logger.warning("Dropped %d scan counts gathered on another database", len(counts))
        return {}
    return counts


def reset():
    """Forget counts not yet written (tests)."""
    _take()


def _give_back(counts):
    global _database
    with _lock:
        _database = _database or _database_name()
        _pending.update(counts)


def _upsert(counts):
    rows = ", ".join(["(%s, %s, %s)"] * len(counts))
    params = []
    # In key order: two workers flushing at once then lock the rows in the same order, so
    # PostgreSQL never finds them waiting on each other (a deadlock it would abort).
    for (merchant_id, day), count in sorted(counts.items()):
        params.extend([merchant_id, day, count])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPSERT.format(rows=rows), params)


def flush():
    """Write the counts gathered so far. Returns how many scans were written."""
    counts = _take()
    if not counts:
        return 0
    try:
        try:
            _upsert(counts)
        except IntegrityError:
            # A merchant was deleted since its page was served: drop its counts, keep the rest.
            from .models import Merchant

            ids = {merchant_id for merchant_id, _day in counts}
            alive = set(Merchant.objects.filter(pk__in=ids).values_list("pk", flat=True))
            counts = {k: v for k, v in counts.items() if k[0] in alive}
            if counts:
                _upsert(counts)
    except DatabaseError:
        # Counting must never break the page: keep the counts for the next try.
        logger.exception("Could not write scan counts; will retry")
        _give_back(counts)
        return 0
    return sum(counts.values())


def _flush_at_exit():
    try:
        flush()
    except Exception:  # the process is ending; report, never raise
        logger.exception("Could not write scan counts at exit")


atexit.register(_flush_at_exit)
