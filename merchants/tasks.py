"""The background task behind the admin upload page: import an uploaded merchant list."""

from django_tasks import task

from common.import_jobs import run_job

from .importing import import_merchants


@task(backend="imports")
def import_uploaded_merchants(job_id):
    run_job(job_id, _import)


def _import(job, path, progress):
    # Merchant lists are small (the upload page takes 20 MB at most) and read whole.
    report = import_merchants(
        path.read_bytes(),
        dry_run=job.dry_run,
        user=job.uploaded_by,
        add_missing=job.add_missing,
    )
    return report.outcome()
