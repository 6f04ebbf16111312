"""The database has the last word on what a page shows: ids from Elasticsearch are checked
against ``Disclosure.objects.public()`` before anyone sees them.

The index can lag behind the database (a withdrawal saved while the cluster was down, a sync
that failed): a hidden record is dropped from the page, and its sync queued again so that the
index catches up. ``engines.search`` checks every Elasticsearch answer, so the page, the API
and the site search all get the rechecked ids.
"""

import logging

from ..models import Disclosure

logger = logging.getLogger(__name__)


def public_ids(ids, on=None):
    """``ids`` in their order, without the records no citizen may see today (or that are gone);
    the index is told again about any it showed wrongly."""
    ids = list(ids)
    if not ids:
        return ids
    shown = set(Disclosure.objects.public(on).filter(pk__in=ids).values_list("pk", flat=True))
    hidden = [pk for pk in ids if pk not in shown]
    if hidden:
        logger.warning("Elasticsearch 返回了不应公开的记录 %s，已从页面去掉并重新同步", hidden)
        from ..tasks import queue_index_sync

        queue_index_sync(hidden)
    return [pk for pk in ids if pk in shown]


def checked(results):
    """SearchResults as shown: an Elasticsearch answer's ids rechecked (the database engine
    already applies the rule)."""
    if results.engine == "elasticsearch":
        results.ids = public_ids(results.ids)
    return results
