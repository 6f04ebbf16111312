"""Which engine answers a disclosure search, and what happens when Elasticsearch is down.

With ``ELASTICSEARCH_URL`` unset every search runs on the database (``engines.database``).
With it set, Elasticsearch answers; when it cannot, the database answers that search instead,
so a reader gets the same page a little slower, never an error page. What happens next depends
on why (``_cluster_is_unwell``):

- the cluster is unwell (no connection, a timeout, a 5xx or 429 answer, shards failed or timed
  out): a warning, and the breaker opens: this process leaves Elasticsearch alone for
  ``RETRY_AFTER_SECONDS``;
- the request was wrong (any other 4xx, such as a 400 for a query the cluster refuses, or a
  missing index): that is a bug or a set-up mistake, logged as an error; the breaker stays
  shut, so one bad request never sends every later reader to the database.

A page past ``search_query.MAX_RESULTS`` is never sent: Elasticsearch would refuse it. The
readers of the page and the API stop there (``params.read_search_paging``); a caller that asks
anyway is answered by the database.

Modules are imported lazily: the database engine must not pull in the Elasticsearch client, and
neither is loaded before it is needed.
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


# After the cluster fails this process leaves Elasticsearch alone for a while: a server that
# hangs would otherwise cost every reader the full timeout, and fill the log with one warning a
# search.
RETRY_AFTER_SECONDS = 30
_breaker = {"retry_at": 0.0}
# Answers that say the cluster, not the request, is at fault: overloaded (429) or failing (5xx).
OVERLOADED = 429
SERVER_ERRORS = 500


def reset_breaker():
    _breaker["retry_at"] = 0.0


def breaker_open():
    return time.monotonic() < _breaker["retry_at"]


def _cluster_is_unwell(error):
    """Whether an engine error says the cluster cannot answer now (rather than that this
    request was wrong): no connection or a timeout, a 5xx or 429, failed or timed-out shards."""
    from elasticsearch import ApiError, ConnectionError, ConnectionTimeout

    from .es_queries import PartialResults

    if isinstance(error, ConnectionError | ConnectionTimeout | PartialResults):
        return True
    if isinstance(error, ApiError):
        return error.meta.status == OVERLOADED or error.meta.status >= SERVER_ERRORS
    return False


def _elasticsearch_answer(query):
    """Elasticsearch's SearchResults for ``query``, or None when it could not answer (logged;
    the breaker opened when the cluster is unwell)."""
    from . import elastic

    try:
        return elastic.search(query)
    except elastic.ENGINE_ERRORS as error:
        if _cluster_is_unwell(error):
            _breaker["retry_at"] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Elasticsearch 不可用，改用数据库检索：%s", error)
        else:
            logger.error("Elasticsearch 拒绝了检索请求，本次改用数据库检索：%s", error)
    return None


def search(query):
    """Answer a DisclosureQuery with SearchResults from the configured engine."""
    if not elasticsearch_enabled() or not query.within_results:
        return database_search(query)
    if not breaker_open():
        results = _elasticsearch_answer(query)
        if results is not None:
            # The index may lag behind the database: every caller (page, API, site search)
            # gets only ids the database still shows.
            from .visibility import checked

            return checked(results)
    results = database_search(query)
    results.fell_back = True
    return results


# Ids read from the database per round trip when an import hands its records to the index.
SYNC_READ_CHUNK = 5000


def sync_after_import(ids):
    """Index the imported (or updated) records; the importer calls this after committing.

    Never raises for Elasticsearch trouble: the records are safely in the database, the search
    falls back to it, and the scheduled ``manage.py sync_disclosures --since 2h`` puts the
    index right afterwards.
    """
    if not elasticsearch_enabled():
        return None
    from . import elastic

    try:
        return elastic.index_disclosures(ids)
    except elastic.ENGINE_ERRORS as error:
        logger.warning(
            "Elasticsearch 索引同步失败（记录已保存在数据库中，"
            "定时的 sync_disclosures 会补上）：%s",
            error,
        )
        return None
