"""The background task behind the admin upload page: import an uploaded merchant list."""

from django.utils.translation import gettext as _
from django_tasks import task

from common.import_jobs import run_job

from .importing import import_merchants

# A refused list of thousands of bad rows shows the first ones and how many more there are.
MAX_SHOWN_ERRORS = 500


@task(backend="imports")
def import_uploaded_merchants(job_id):
    run_job(job_id, _import)


def _import(job, path, progress):
    # Merchant lists are small (the upload page takes 20 MB at most) and read whole.
    report = import_merchants(path.read_bytes(), dry_run=job.dry_run, user=job.uploaded_by)
    return outcome(report)


def outcome(report):
    """What the upload page shows of an import, kept on the job once the file is gone."""
    lines = report.error_lines()
    if len(lines) > MAX_SHOWN_ERRORS:
        more = len(lines) - MAX_SHOWN_ERRORS
        lines = [*lines[:MAX_SHOWN_ERRORS], _("另有%(count)d处错误未列出") % {"count": more}]
    return {
        "refused": report.refused,
        "headline": report.headline(),
        "file_error": report.file_error,
        "error_lines": lines,
        "summary_lines": report.summary_lines(),
        "rows": report.rows,
    }
