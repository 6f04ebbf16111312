"""Admin uploads imported in the background: the file waits on disk, a task runs the import.

An import page saves the upload with ``create_job`` and enqueues its app's task with the job's
id; the task calls ``run_job`` with the app's importer. The web request returns at once, so a
large or hostile file never holds a web worker; the page shows the job's progress (the rows the
importer reports) and, once done, its outcome: a small dict the app's template renders.

Tasks run on the ``imports`` backend (settings.TASKS): in the database, by
``manage.py db_worker --backend imports``; at once, inside the request, in tests.
"""

import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob
from .work_dir import work_dir

logger = logging.getLogger(__name__)

# Only these name endings are kept on disk; the importer tells CSV from XLSX by content anyway.
KNOWN_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xls", ".et"}


def upload_dir():
    """The private folder uploads wait in."""
    return work_dir("uploads")


def create_job(kind, upload, *, dry_run, user, add_missing=False):
    """Save an uploaded file where no web server serves it and record the job for it."""
    folder = upload_dir()
    suffix = Path(upload.name or "").suffix.lower()
    stored_name = uuid.uuid4().hex + (suffix if suffix in KNOWN_SUFFIXES else "")
    with open(folder / stored_name, "xb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return ImportJob.objects.create(
        kind=kind,
        file_name=(upload.name or _("未命名文件"))[:255],
        stored_name=stored_name,
        dry_run=dry_run,
        add_missing=add_missing,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )


def run_job(job_id, importer):
    """Run ``importer(job, path, progress)`` for a queued job; it returns the job's outcome.

    ``progress(phase, rows)`` records how far the import has got. The upload is removed when the
    import is over, however it ends; a failure is recorded on the job and raised again so that
    the task is marked failed too.
    """
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).first()
    if job is None:  # already run (a task delivered twice) or removed
        return
    job.status, job.started_at, job.worker = ImportJob.Status.RUNNING, timezone.now(), _worker()
    job.save(update_fields=["status", "started_at", "worker"])
    path = upload_dir() / job.stored_name
    try:
        outcome = importer(job, path, lambda phase, rows: _save_progress(job.pk, phase, rows))
    except BaseException:
        logger.exception("Import job %s (%s) failed", job.pk, job.file_name)
        _finish(job, ImportJob.Status.FAILED, failure_outcome())
        raise
    else:
        _finish(job, ImportJob.Status.FINISHED, outcome)
    finally:
        _remove_upload(job)


def failure_outcome(message=None):
    """What the page shows for an import that did not run to its end (both apps' templates)."""
    message = message or _("导入时发生系统错误，本次未写入任何数据，请稍后重新导入或联系系统管理员")
    return {
        "refused": True,
        "headline": _("文件无法导入，未写入任何数据。"),
        "file_error": message,
        "error_lines": [message],
    }


def fail_abandoned(job):
    """Mark failed a job whose process died mid-import (killed, restarted), if it can be told.

    Only a process on this machine can be looked for; elsewhere the job is left as it is.
    """
    if job.status != ImportJob.Status.RUNNING or not job.worker:
        return job
    host, _sep, pid = job.worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or _process_alive(int(pid)):
        return job
    message = _("导入进程在完成前中断（可能被重启或终止），请重新上传文件导入")
    _finish(job, ImportJob.Status.FAILED, failure_outcome(message))
    _remove_upload(job)
    return job


def _worker():
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _save_progress(job_id, phase, rows):
    def update():
        ImportJob.objects.filter(pk=job_id).update(phase=str(phase)[:20], rows_done=rows)

    if not connection.in_atomic_block:
        update()
    elif connection.vendor != "sqlite":
        # The importer is inside one long transaction (PostgreSQL): what it writes there is
        # seen by nobody until it commits, so progress goes through a connection of its own.
        # (On SQLite that connection would wait for the importer's own write lock.)
        thread = threading.Thread(target=_on_own_connection, args=(update,))
        thread.start()
        thread.join()


def _on_own_connection(work):
    try:
        work()
    except Exception:  # progress is a courtesy: never let it break the import
        logger.warning("Could not record import progress", exc_info=True)
    finally:
        connections.close_all()


def _finish(job, status, outcome):
    job.status, job.finished_at, job.outcome = status, timezone.now(), outcome
    job.save(update_fields=["status", "finished_at", "outcome"])


def _remove_upload(job):
    if not job.stored_name:
        return
    try:
        (upload_dir() / job.stored_name).unlink(missing_ok=True)
    except OSError:
        logger.warning("Could not remove the upload of import job %s", job.pk, exc_info=True)
    ImportJob.objects.filter(pk=job.pk).update(stored_name="")
    job.stored_name = ""
