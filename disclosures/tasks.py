"""The background task behind the admin upload page: import an uploaded disclosure file."""

from django_tasks import task

from common.import_jobs import run_job

from .importing import import_disclosures


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
        add_missing=job.add_missing,
    )
    return report.outcome()
