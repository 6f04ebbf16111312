"""One disclosure import at a time, and what a killed import left behind put right.

Two imports writing at once would race on the same complaint numbers, and on SQLite the second
one died with a raw "database is locked". So every import, dry runs included, first takes a lock
that only a live process can hold, and a second import is refused with a Chinese message:

- PostgreSQL: a session advisory lock on the import's connection. The server lets go of it when
  the connection ends, so a killed process never leaves it held.
- SQLite: ``flock`` on a lock file beside the import's working files (``IMPORT_WORK_DIR``), one
  per database. The kernel lets go of it when the process dies; a second import in the same
  process opens the file again and is refused the same way.

Whoever holds the lock next finds what a killed import left and puts it right
(``recover_interrupted_imports``, also called by the batch pages):

- batches still "checking" are marked failed: nothing of theirs is public;
- on SQLite, where an import commits chunk by chunk (``importing.staged``), a state file says how
  far it came. Killed while writing, its rows are still pending (hidden from every public path)
  and are deleted; killed while publishing, every row had passed every check, so publishing is
  finished from the state file and the spooled updates. Either way the file is all or nothing
  by the time anyone can import again.
"""

import json
import logging
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from common.process_lock import database_key, process_lock
from common.work_dir import work_dir

logger = logging.getLogger(__name__)

# Any fixed 64-bit number: the advisory lock key of the disclosure import on PostgreSQL.
ADVISORY_LOCK_KEY = 4_301_042_026_315


class ImportBusy(Exception):
    """Another import holds the lock; the message is for the editor."""


@dataclass
class ImportState:
    """What a running SQLite import has written, kept in a file so that the next one can finish
    or undo it after a kill."""

    batch_id: int
    phase: str = "writing"  # "writing": rows pending; "publishing": all checked, being shown
    first_id: int = 0  # every row this import inserted has a larger id
    spool: str = ""  # updates of existing records (``staged.Spool``), applied when publishing
    # Reference data added for the rows ({"app.model": [ids]}), removed with them on undo.
    added: dict = field(default_factory=dict)
    # Every address this import added has a larger id (``RespondentAddress.remove_unused``);
    # None in a state file written before addresses were codes.
    first_address_id: int | None = None
    # [name, definition] of the indexes a first load dropped, built again when it publishes or
    # is undone (``deferred_indexes``).
    deferred_indexes: list = field(default_factory=list)


def state_path():
    return work_dir() / f"disclosures-{database_key()}.state.json"


def spool_path(batch_id):
    return work_dir() / f"disclosures-{database_key()}-batch{batch_id}.spool"


def save_state(state):
    """Write the state file atomically: a kill leaves the old file or the new one."""
    path = state_path()
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(asdict(state), handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def load_state():
    try:
        with open(state_path(), encoding="utf-8") as handle:
            return ImportState(**json.load(handle))
    except FileNotFoundError:
        return None


def clear_state(state=None):
    if state is not None and state.spool:
        Path(state.spool).unlink(missing_ok=True)
    state_path().unlink(missing_ok=True)


def _lock():
    return process_lock("disclosures", ADVISORY_LOCK_KEY)


def _busy_message(own_batch):
    from ..models import ImportBatch

    running = (
        ImportBatch.objects.filter(status=ImportBatch.Status.CHECKING)
        .exclude(pk=own_batch.pk)
        .order_by("started_at")
        .select_related("uploaded_by")
        .first()
    )
    if running is None:
        return _("另一个公示导入正在进行，请等它完成后再导入，本次未写入任何数据。")
    return _(
        "另一个公示导入正在进行（%(file)s，%(time)s开始），请等它完成后再导入，本次未写入任何数据。"
    ) % {
        "file": running.file_name,
        "time": timezone.localtime(running.started_at).strftime("%H:%M"),
    }


@contextmanager
def exclusive_import(batch):
    """Hold the import lock for ``batch``, after putting right what a killed import left.

    Raises ``ImportBusy`` at once (never waits) when another import holds it.
    """
    lock = _lock()
    if not lock.acquire():
        raise ImportBusy(_busy_message(batch))
    try:
        _recover(exclude_batch=batch.pk)
        yield
    finally:
        lock.release()


def recover_interrupted_imports():
    """Put right what killed imports left, unless an import is running now. True if it ran."""
    lock = _lock()
    if not lock.acquire():
        return False
    try:
        _recover()
    finally:
        lock.release()
    return True


def _recover(exclude_batch=None):
    from ..models import ImportBatch
    from . import staged

    state = load_state() if connection.vendor == "sqlite" else None
    if state is not None:
        if state.phase == "publishing":
            logger.warning("Finishing the publication of disclosure batch %s", state.batch_id)
            staged.finish_publishing(state)
            ImportBatch.objects.filter(pk=state.batch_id).update(
                status=ImportBatch.Status.IMPORTED, finished_at=timezone.now()
            )
        else:
            logger.warning("Removing the pending rows of disclosure batch %s", state.batch_id)
            staged.undo(state)
        clear_state(state)
    interrupted = ImportBatch.objects.filter(status=ImportBatch.Status.CHECKING)
    if exclude_batch is not None:
        interrupted = interrupted.exclude(pk=exclude_batch)
    interrupted.update(
        status=ImportBatch.Status.FAILED,
        finished_at=timezone.now(),
        errors=[{"line": 0, "reason": _("导入进程意外中断，未公开任何数据，请重新导入。")}],
    )
