"""Which engine answers a disclosure search, and what happens when Elasticsearch is down.

With ``ELASTICSEARCH_URL`` unset every search runs on the database (``engines.database``).
With it set, Elasticsearch answers; when it cannot (refused connection, timeout, missing index,
any HTTP error) the database answers instead and a warning is logged, so a reader gets the same
page a little slower, never an error page. Modules are imported lazily: the database engine
must not pull in the Elasticsearch client, and neither is loaded before it is needed.
"""

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)


def elasticsearch_enabled():
    return bool(settings.ELASTICSEARCH_URL)


def database_search(query):
    from . import database

    return database.search(query)


# After a failure this process leaves Elasticsearch alone for a while: a server that hangs
# would otherwise cost every reader the full timeout, and fill the log with one warning a search.
RETRY_AFTER_SECONDS = 30
_breaker = {"retry_at": 0.0}


def reset_breaker():
    _breaker["retry_at"] = 0.0


def search(query):
    """Answer a DisclosureQuery with SearchResults from the configured engine."""
    if not elasticsearch_enabled():
        return database_search(query)
    if time.monotonic() >= _breaker["retry_at"]:
        from . import elastic

        try:
            return elastic.search(query)
        except elastic.ENGINE_ERRORS as error:
            _breaker["retry_at"] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Elasticsearch 不可用，改用数据库检索：%s", error)
    results = database_search(query)
    results.fell_back = True
    return results


# Ids read from the database per round trip when an import hands its records to the index.
SYNC_READ_CHUNK = 5000


def sync_after_import(ids):
    """Index the imported (or updated) records; the importer calls this after committing.

    Never raises for Elasticsearch trouble: the records are safely in the database, the search
    falls back to it, and ``manage.py reindex_disclosures`` puts the index right afterwards.
    """
    if not elasticsearch_enabled():
        return None
    from . import elastic

    try:
        return elastic.index_disclosures(ids)
    except elastic.ENGINE_ERRORS as error:
        logger.warning(
            "Elasticsearch 索引同步失败（记录已保存在数据库中，"
            "请稍后运行 reindex_disclosures）：%s",
            error,
        )
        return None
