"""The Elasticsearch engine: search, keeping the index in step with imports, and rebuilding it.

A reader's search must never wait on a sick cluster: the client answers within
``ELASTICSEARCH_TIMEOUT`` seconds (default 2) and does not retry, and ``engines.search`` falls
back to the database on any error. Rebuilding and syncing are staff work and may take longer.
"""

import contextlib
import functools
import itertools
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from ..models import Disclosure
from .es_documents import (
    SOURCE_FIELDS,
    alias_name,
    concrete_index_name,
    document_source,
    index_definition,
)
from .es_queries import PartialResults, build_search, parse_response

logger = logging.getLogger(__name__)

# Everything that means "Elasticsearch could not do it": connection refused, timeouts, HTTP
# errors (a missing index, a bad request), an answer from only some shards, and bulk items the
# server rejected.
ENGINE_ERRORS = (TransportError, ApiError, PartialResults, BulkIndexError)

# Bulk loads and alias moves are not on a reader's request path: give them time and retries.
ADMIN_TIMEOUT = 120.0
SYNC_CHUNK = 1000


@functools.lru_cache(maxsize=4)
def _client_for(url, timeout):
    return Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def client():
    """The process-wide client for settings.ELASTICSEARCH_URL (one connection pool)."""
    return _client_for(settings.ELASTICSEARCH_URL, float(settings.ELASTICSEARCH_TIMEOUT))


def admin_client():
    return client().options(request_timeout=ADMIN_TIMEOUT, max_retries=2, retry_on_timeout=True)


def search(query, today=None):
    """Answer a DisclosureQuery from the index; raises one of ENGINE_ERRORS when it cannot."""
    today = today or timezone.localdate()
    body = build_search(query, today).to_dict()
    response = client().search(index=alias_name(), body=body)
    return parse_response(response, query)


def indexable(today=None):
    """Records the index holds: public now, or disclosed later and not yet expired.

    The query filters visibility by date on every search, so a record announced for next week
    appears on its day without a reindex; expired and withdrawn ones are left out (and deleted
    on sync), so the index never holds what no page may show again.
    """
    today = today or timezone.localdate()
    return Disclosure.objects.filter(display_until__gte=today, pending=False).exclude(
        objection_state=Disclosure.ObjectionState.WITHDRAWN
    )


def _index_actions(records, index):
    for record in records:
        yield {"_index": index, "_id": str(record.pk), "_source": document_source(record)}


def _delete_actions(ids, index):
    for pk in ids:
        yield {"_op_type": "delete", "_index": index, "_id": str(pk)}


def _run_bulk(es, actions, chunk):
    """Send actions in chunks; raises BulkIndexError listing any item the server refused."""
    done = 0
    # A delete of a document the index never had answers 404: that is the wanted end state.
    for _ok, _item in streaming_bulk(es, actions, chunk_size=chunk, ignore_status=(404,)):
        done += 1
    return done


@dataclass
class SyncReport:
    indexed: int = 0
    deleted: int = 0  # removed from the index, or already absent from it
    skipped: bool = False  # no index yet: nothing was written


def _chunks(ids, size):
    ids = iter(ids)
    while batch := list(itertools.islice(ids, size)):
        yield batch


def index_disclosures(ids, chunk=SYNC_CHUNK, today=None):
    """Bring the index in line with these records: (re)index the public ones, delete the rest."""
    alias = alias_name()
    report = SyncReport()
    # The quick client first: an import must not stall for minutes on a server that is down.
    if not client().indices.exists_alias(name=alias):
        # Writing now would let Elasticsearch create an index with a guessed mapping under the
        # alias's name; the first rebuild indexes everything instead.
        logger.warning("Elasticsearch 索引 %s 尚未建立，请运行 reindex_disclosures", alias)
        report.skipped = True
        return report
    es = admin_client()
    for batch in _chunks(ids, chunk):
        records = list(indexable(today).filter(pk__in=batch).only(*SOURCE_FIELDS))
        gone = sorted(set(batch) - {record.pk for record in records})
        report.indexed += _run_bulk(es, _index_actions(records, alias), chunk)
        report.deleted += _run_bulk(es, _delete_actions(gone, alias), chunk)
    return report


@dataclass
class RebuildReport:
    alias: str
    index: str
    indexed: int = 0
    previous: list = field(default_factory=list)  # concrete indices the alias pointed at


def _current_indices(es, alias):
    try:
        return sorted(es.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def rebuild(chunk=2000, today=None, now=None):
    """Load every indexable record into a new index, then move the alias to it atomically.

    Searches keep using the old index until the alias moves, so readers never see a half-built
    index; if loading fails the new index is dropped and the alias is left alone.
    """
    es = admin_client()
    alias = alias_name()
    name = concrete_index_name(now or timezone.now())
    body = index_definition(name).to_dict()
    # No refreshes while loading (much faster bulk); the default comes back before the swap.
    settings_body = {**body.get("settings", {}), "refresh_interval": "-1"}
    es.indices.create(index=name, mappings=body["mappings"], settings=settings_body)
    report = RebuildReport(alias=alias, index=name)
    records = indexable(today).order_by("pk").only(*SOURCE_FIELDS).iterator(chunk_size=chunk)
    try:
        report.indexed = _run_bulk(es, _index_actions(records, name), chunk)
        es.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
        es.indices.refresh(index=name)
    except BaseException:
        with contextlib.suppress(*ENGINE_ERRORS):
            es.indices.delete(index=name)
        raise
    report.previous = _current_indices(es, alias)
    actions = [{"remove": {"index": old, "alias": alias}} for old in report.previous]
    if not report.previous and es.indices.exists(index=alias):
        # An index that took the alias's name (written to before any rebuild) goes in the
        # same atomic step.
        actions.append({"remove_index": {"index": alias}})
        report.previous = [alias]
    actions.append({"add": {"index": name, "alias": alias}})
    es.indices.update_aliases(actions=actions)
    for old in report.previous:
        if old != alias:
            es.indices.delete(index=old)
    return report
