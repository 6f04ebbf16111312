"""Background tasks of disclosures: the admin upload's import, and keeping Elasticsearch in step.

Both run on the ``imports`` backend (``manage.py db_worker --backend imports``; at once in the
tests), so an editor's save never waits on the cluster. A sync that keeps failing is retried a
few times, then left to the scheduled catch-up (``manage.py sync_disclosures --since 2h``).
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from common.import_jobs import run_job

from .importing import import_disclosures

logger = logging.getLogger(__name__)

# Waits before the second, third … attempt of a failed sync (a backend that cannot defer, as in
# the tests, gives up after the first attempt: the catch-up repairs it).
SYNC_RETRY_DELAYS = (
    datetime.timedelta(seconds=30),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
)


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


@task(backend="imports")
def sync_to_index(ids, attempt=1):
    """Write these records to Elasticsearch as the database has them now."""
    if not settings.ELASTICSEARCH_URL:
        return None
    from .engines import elastic

    try:
        return elastic.index_disclosures(ids).as_dict()
    except elastic.ENGINE_ERRORS as error:
        backend = sync_to_index.get_backend()
        if attempt <= len(SYNC_RETRY_DELAYS) and backend.supports_defer:
            logger.warning("Elasticsearch 同步失败（第%d次），稍后重试：%s", attempt, error)
            later = timezone.now() + SYNC_RETRY_DELAYS[attempt - 1]
            sync_to_index.using(run_after=later).enqueue(ids, attempt + 1)
        else:
            logger.error(
                "Elasticsearch 同步失败，记录已保存在数据库中，"
                "定时运行的 sync_disclosures 会补上：%s",
                error,
            )
        return None


def queue_index_sync(ids):
    """Queue a sync of these records (nothing without Elasticsearch); returns at once."""
    ids = sorted(set(ids))
    if ids and settings.ELASTICSEARCH_URL:
        sync_to_index.enqueue(ids)
