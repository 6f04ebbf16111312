"""The Elasticsearch engine: search, keeping the index in step with the database, and rebuilding it.

A reader's search must never wait on a sick cluster: the client answers within
``ELASTICSEARCH_TIMEOUT`` seconds (default 2) and does not retry, and ``engines.search``
answers from the database when it fails (opening its breaker only when the cluster is
unwell). Syncing and rebuilding are background and staff work: they get a longer timeout, and
bulk requests are retried with back-off on 429 and 5xx.

Fresh by design:

- every write carries the record's ``updated_at`` (microseconds since the epoch) as an external
  version (``external_gte``): a write that read the record before a later change is refused by
  the cluster (409, counted as a conflict, not an error), so a slow import cannot put back a
  record an editor withdrew meanwhile;
- withdrawn and expired records are written with their state, not deleted (a delete forgets the
  version): the queries filter visibility on every search. Expired documents are purged by the
  catch-up (``purge_expired``) and left out of a rebuild;
- a rebuild holds a lock (``rebuild_lock``), tags the index it builds so that syncs write to it
  too, re-syncs every record changed since it started before and after the alias swap, and
  deletes its index after any failure up to the swap.
"""

import datetime
import itertools
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from elasticsearch import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from ..models import Disclosure
from . import es_client
from .es_documents import (
    SOURCE_FIELDS,
    alias_name,
    concrete_index_name,
    document_source,
    index_definition,
)
from .es_queries import PartialResults, build_search, parse_response
from .rebuild_lock import rebuild_lock

logger = logging.getLogger(__name__)

# Everything that means "Elasticsearch could not do it": connection refused, timeouts, HTTP
# errors (a missing index, a bad request), an answer from only some shards, and bulk items the
# server rejected.
ENGINE_ERRORS = (TransportError, ApiError, PartialResults, BulkIndexError)

SYNC_CHUNK = 1000
# Bulk requests (or the items of one) answered 429 (queue full) or 5xx are sent again after
# INITIAL_BACKOFF, 2 × INITIAL_BACKOFF … seconds, at most MAX_BACKOFF apart.
BULK_RETRIES = 6
INITIAL_BACKOFF = 2.0
MAX_BACKOFF = 60.0
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A save's updated_at is taken before its transaction commits, and app servers' clocks differ a
# little: a rebuild re-syncs what changed since this long before it started.
RESYNC_MARGIN = datetime.timedelta(minutes=10)
# The alias that marks an index being built: syncs write to it as well as to the live one.
BUILDING_SUFFIX = "-building"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def client():
    """The reader's client (short timeout, no retry)."""
    return es_client.reader_client()


def admin_client():
    return es_client.writer_options(client())


def search(query, today=None):
    """Answer a DisclosureQuery from the index; raises one of ENGINE_ERRORS when it cannot."""
    today = today or timezone.localdate()
    body = build_search(query, today).to_dict()
    response = client().search(index=alias_name(), body=body)
    return parse_response(response, query)


def version_of(moment):
    """The external version of a write: ``moment`` in whole microseconds since the epoch."""
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)


def indexable(today=None):
    """What a rebuild loads: every record not yet expired and not pending, withdrawn ones
    included with their state (the query leaves them out), so that the version of the
    withdrawal stays in the index and an older write cannot bring the record back."""
    today = today or timezone.localdate()
    return Disclosure.objects.filter(display_until__gte=today, pending=False)


READ_FIELDS = [*SOURCE_FIELDS, "updated_at"]


def _index_actions(records, index):
    for record in records:
        yield {
            "_index": index,
            "_id": str(record.pk),
            "_version": version_of(record.updated_at),
            "_version_type": "external_gte",
            "_source": document_source(record),
        }


def _delete_actions(ids, index, version):
    for pk in ids:
        yield {
            "_op_type": "delete",
            "_index": index,
            "_id": str(pk),
            "_version": version,
            "_version_type": "external_gte",
        }


@dataclass
class SyncReport:
    indexed: int = 0
    deleted: int = 0  # removed from the index, or already absent from it
    conflicts: int = 0  # refused as older than what the index holds: the newer write stands
    skipped: bool = False  # no index yet: nothing was written

    def as_dict(self):
        return {
            "indexed": self.indexed,
            "deleted": self.deleted,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
        }


def _bulk(es, actions, chunk, report, on_item=None):
    """Send actions in chunks, retrying 429 and 5xx with back-off, and count what happened.

    Raises BulkIndexError for an item refused for another reason (or still refused after the
    retries); a 404 on delete (never indexed) and a 409 (an older version) are outcomes."""
    for _ok, item in streaming_bulk(
        es,
        actions,
        chunk_size=chunk,
        max_retries=BULK_RETRIES,
        initial_backoff=INITIAL_BACKOFF,
        max_backoff=MAX_BACKOFF,
        retry_on_status=RETRY_STATUSES,
        ignore_status=(404, 409),
    ):
        ((operation, result),) = item.items()
        if result.get("status") == 409:
            report.conflicts += 1
        elif operation == "delete":
            report.deleted += 1
        else:
            report.indexed += 1
        if on_item is not None:
            on_item()


def _chunks(ids, size):
    ids = iter(ids)
    while batch := list(itertools.islice(ids, size)):
        yield batch


def write_targets(es, alias=None):
    """The concrete indices a sync writes to: the live one and any being built."""
    alias = alias or alias_name()
    try:
        found = es.indices.get_alias(index=f"{alias}-*")
    except NotFoundError:
        found = {}
    targets = [
        name
        for name, info in sorted(found.items())
        if {alias, alias + BUILDING_SUFFIX} & set(info.get("aliases", {}))
    ]
    if not targets and es.indices.exists(index=alias):
        targets = [alias]  # an index that took the alias's name before the first rebuild
    return targets


def _sync_into(es, ids, targets, chunk, report):
    for batch in _chunks(ids, chunk):
        records = list(Disclosure.objects.filter(pk__in=batch).only(*READ_FIELDS))
        found = {record.pk for record in records}
        written = [record for record in records if not record.pending]
        gone = sorted(set(batch) - found)
        deleted_at = version_of(timezone.now())
        for target in targets:
            _bulk(es, _index_actions(written, target), chunk, report)
            _bulk(es, _delete_actions(gone, target, deleted_at), chunk, report)


def index_disclosures(ids, chunk=SYNC_CHUNK):
    """Write these records to the index as the database has them now (deleted ones removed).

    Pending rows (an import not yet published) are left alone: their import syncs them.
    Raises one of ENGINE_ERRORS when the cluster fails."""
    report = SyncReport()
    # The quick client first: a sync must not stall for minutes on a server that is down.
    targets = write_targets(client())
    if not targets:
        # Writing now would let Elasticsearch create an index with a guessed mapping under the
        # alias's name; the first rebuild indexes everything instead.
        logger.warning("Elasticsearch 索引 %s 尚未建立，请运行 reindex_disclosures", alias_name())
        report.skipped = True
        return report
    _sync_into(admin_client(), ids, targets, chunk, report)
    return report


def purge_expired(today=None):
    """Delete the documents no page may show again (past their display date); how many."""
    today = today or timezone.localdate()
    alias = alias_name()
    es = admin_client()
    if not write_targets(es, alias):
        return 0
    answer = es.delete_by_query(
        index=alias,
        query={"range": {"display_until": {"lt": today.isoformat()}}},
        conflicts="proceed",
        refresh=True,
    )
    return answer.get("deleted", 0)


@dataclass
class RebuildReport:
    alias: str
    index: str
    indexed: int = 0
    resynced: int = 0  # changed while loading, written again before (and after) the swap
    conflicts: int = 0
    previous: list = field(default_factory=list)  # concrete indices the alias pointed at
    left_behind: list = field(default_factory=list)  # old indices that could not be deleted


def _current_indices(es, alias):
    try:
        return sorted(es.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def _replicas(es, alias):
    """The live index's number of replicas, to restore on the new one (None: the default)."""
    try:
        answer = es.indices.get_settings(index=alias, name="index.number_of_replicas")
    except NotFoundError:
        return None
    for index_settings in answer.values():
        value = index_settings.get("settings", {}).get("index", {}).get("number_of_replicas")
        if value is not None:
            return value
    return None


def _changed_since(moment):
    return Disclosure.objects.filter(updated_at__gte=moment).values_list("pk", flat=True)


def rebuild(chunk=2000, today=None, now=None, progress=None):
    """Load every indexable record into a new index, then move the alias to it atomically.

    Searches keep using the old index until the alias moves, so readers never see a half-built
    index. ``now`` names the new index (default: the time it starts). ``progress(done, total)``
    is called as records are written. Raises RebuildBusy when another rebuild holds the lock,
    one of ENGINE_ERRORS when the cluster fails (the new index is then deleted and the alias
    left alone).
    """
    alias = alias_name()
    with rebuild_lock(alias):
        return _rebuild(alias, chunk, today, now, progress)


def _drop_stale_builds(es, alias):
    """Delete what a rebuild killed mid-way left (an index still tagged as being built): under
    the lock no other rebuild is running, and syncs must stop writing to it."""
    try:
        found = es.indices.get_alias(index=f"{alias}-*")
    except NotFoundError:
        return
    for name, info in sorted(found.items()):
        if set(info.get("aliases", {})) == {alias + BUILDING_SUFFIX}:
            logger.warning("删除上次中断的重建留下的索引 %s", name)
            es.indices.delete(index=name)


def _rebuild(alias, chunk, today, now, progress):
    started = timezone.now()
    es = admin_client()
    _drop_stale_builds(es, alias)
    name = concrete_index_name(now or started)
    body = index_definition(name).to_dict()
    replicas = _replicas(es, alias)
    # No replicas and no refreshes while loading (a much faster bulk); restored before the swap.
    load_settings = {**body.get("settings", {}), "number_of_replicas": 0, "refresh_interval": "-1"}
    es.indices.create(
        index=name,
        mappings=body["mappings"],
        settings=load_settings,
        aliases={alias + BUILDING_SUFFIX: {}},
    )
    report = RebuildReport(alias=alias, index=name)
    loaded, caught_up = SyncReport(), SyncReport()
    try:
        records = indexable(today)
        total = records.count()

        def step():
            if progress is not None:
                progress(loaded.indexed + loaded.conflicts, total)

        rows = records.order_by("pk").only(*READ_FIELDS).iterator(chunk_size=chunk)
        _bulk(es, _index_actions(rows, name), chunk, loaded, on_item=step)
        report.indexed = loaded.indexed
        # Syncs wrote to this index since it was created; a change saved just before (or
        # committed late) is caught by reading everything changed since the start, less a margin.
        _sync_into(es, _changed_since(started - RESYNC_MARGIN), [name], chunk, caught_up)
        es.indices.put_settings(
            index=name,
            settings={"index": {"refresh_interval": None, "number_of_replicas": replicas}},
        )
        es.indices.refresh(index=name)
        report.previous = _current_indices(es, alias)
        actions = [{"remove": {"index": old, "alias": alias}} for old in report.previous]
        if not report.previous and es.indices.exists(index=alias):
            # An index that took the alias's name (written to before any rebuild) goes in the
            # same atomic step.
            actions.append({"remove_index": {"index": alias}})
            report.previous = [alias]
        actions.append({"add": {"index": name, "alias": alias}})
        actions.append({"remove": {"index": name, "alias": alias + BUILDING_SUFFIX}})
        es.indices.update_aliases(actions=actions)
    except BaseException:
        _drop(es, name)
        raise
    # The new index is live: a failure from here on must not delete it.
    try:
        _sync_into(es, _changed_since(started - RESYNC_MARGIN), [alias], chunk, caught_up)
    except ENGINE_ERRORS as error:
        logger.warning("重建后补写变更失败，请运行 sync_disclosures：%s", error)
    report.resynced = caught_up.indexed + caught_up.deleted
    report.conflicts = loaded.conflicts + caught_up.conflicts
    for old in report.previous:
        if old == alias:
            continue  # removed by the swap itself
        try:
            es.indices.delete(index=old)
        except ENGINE_ERRORS as error:
            logger.warning("旧索引 %s 删除失败，请手动删除：%s", old, error)
            report.left_behind.append(old)
    return report


def _drop(es, name):
    try:
        es.indices.delete(index=name)
    except ENGINE_ERRORS as error:
        logger.error("重建失败后未能删除新索引 %s，请手动删除：%s", name, error)
