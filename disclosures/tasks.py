"""The background task behind the admin upload page: import an uploaded disclosure file."""

from django_tasks import task

from common.import_jobs import run_job

from .importing import import_disclosures

# The upload page shows this many bad rows; the batch keeps 500 as well.
MAX_SHOWN_ERRORS = 500


@task(backend="imports")
def import_uploaded_disclosures(job_id):
    run_job(job_id, _import)


def _import(job, path, progress):
    report = import_disclosures(
        path,
        dry_run=job.dry_run,
        user=job.uploaded_by,
        file_name=job.file_name,
        progress=progress,
    )
    return outcome(report)


def outcome(report):
    """What the upload page shows of an import, kept on the job once the file is gone.

    The bad rows come from the batch record, as stored: the page shows no more of a cell's
    content than the audit record keeps.
    """
    batch = report.batch
    errors = [] if report.file_error else list(batch.errors if batch else [])
    return {
        "refused": report.refused,
        "headline": report.headline(),
        "file_error": report.file_error,
        "error_count": report.error_count,
        "errors": errors[:MAX_SHOWN_ERRORS],
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "masked_description": report.masked_description(),
        "batch": batch.pk if batch else None,
    }
