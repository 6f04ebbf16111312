"""Importing into SQLite in short transactions, so that the site goes on writing meanwhile.

SQLite has one writer at a time. An import of a million rows in one transaction held the write
lock for minutes: an editor's login, a scan counter or a second import waited 20 seconds and
failed. So on SQLite an import writes chunk by chunk, each chunk its own short transaction, and
stays all-or-nothing for the public this way:

- new rows go in ``pending``: ``Disclosure.objects.public()``, the search columns and the
  Elasticsearch index all leave pending rows out;
- changes to existing records are not written while rows are still being checked: they are
  spooled to a file (``Spool``);
- once every row has passed, the import publishes: the spooled updates are applied and the
  pending flag cleared, a few thousand rows per transaction, then the data version changes;
- a refused or failed import deletes its pending rows instead (``discard_pending``), and the
  reference data it added for them (``remove_added``: ``--add-missing``).

A state file (``exclusive.ImportState``) records the phase, the first new id and the spool, so
that the next import finishes or undoes the work of one that was killed. PostgreSQL needs none
of this: a writer there blocks nobody, so an import stays one transaction.
"""

import functools
import marshal
import pickle
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from common.sqlite import base as sqlite_backend

from ..models import Disclosure, DisclosureDataVersion, RespondentAddress
from . import deferred_indexes, updates
from .background_insert import WriteTurn

TABLE = Disclosure._meta.db_table
# Ids per publishing or clean-up transaction, each holding the write lock for a short while,
# and the pause after each, in which a waiting writer of the site gets in (``common.sqlite``).
IDS_PER_TRANSACTION = 10_000
GAP_SECONDS = 0.005
# The spooled updates go in statements of this many records, in transactions that end as the
# inserter's do (``background_insert.WriteTurn``): once another writer waits or after a second:
# transactions of a fixed 2,000 records spent 3.4 s of 19 s committing when 100,000 revised
# records went into a million (bench/disclosures.py), each commit writing out the full-text
# index's pending entries.
UPDATES_PER_STATEMENT = updates.ROWS_PER_STATEMENT  # one statement each on SQLite


class Spool:
    """Updates of existing records (``(fields, with_tokens, rows)`` of ``updates``), written to a
    file chunk by chunk until the import publishes.

    Each chunk is one ``marshal`` blob after its length: the rows are tuples of text and
    numbers, which marshal's version 2 writes faster than pickle (the bench's 100,000 revised
    records, timed in the import: 0.25 against 0.35 s; version 4, which looks for objects
    written twice, 0.36 s) and reads as fast (0.2 s), once a blob is read whole
    (``marshal.load`` on the file itself reads it piece by piece, three times slower). A chunk
    holding anything else is pickled (``_PICKLED``). A spool without ``_HEADER`` is a stream of
    pickles, as the release before wrote it: an import killed while publishing is finished by
    the next one, whichever release runs it.
    """

    def __init__(self, path):
        self.handle = open(path, "wb")
        self.handle.write(_HEADER)

    def append(self, records):
        try:
            kind, blob = _MARSHALLED, marshal.dumps(records, _MARSHAL_VERSION)
        except ValueError:  # not only text and numbers
            kind, blob = _PICKLED, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
        self.handle.write(kind + len(blob).to_bytes(_LENGTH_BYTES, "little"))
        self.handle.write(blob)

    def close(self):
        if not self.handle.closed:
            self.handle.flush()
            self.handle.close()


_HEADER = b"fangxin spool 2\n"
_MARSHALLED, _PICKLED = b"m", b"p"
_MARSHAL_VERSION = 2
_LENGTH_BYTES = 8


def _spooled(path):
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return
    with handle:
        if handle.read(len(_HEADER)) != _HEADER:
            handle.seek(0)
            yield from _pickle_stream(handle)
            return
        while head := handle.read(1 + _LENGTH_BYTES):
            blob = handle.read(int.from_bytes(head[1:], "little"))
            yield marshal.loads(blob) if head[:1] == _MARSHALLED else pickle.loads(blob)


def _read_ahead(items):
    """Yield ``items``, the next one taken on a thread meanwhile: the spool's next chunk is read
    and unmarshalled while this thread's UPDATE runs in SQLite, which lets go of the
    interpreter lock for as long as the statement takes."""
    with ThreadPoolExecutor(max_workers=1) as reader:
        ahead = reader.submit(next, items, None)
        while (item := ahead.result()) is not None:
            ahead = reader.submit(next, items, None)
            yield item


def _pickle_stream(handle):
    while True:
        try:
            yield pickle.load(handle)
        except EOFError:
            return


def _last_id():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
        return cursor.fetchone()[0]


def first_id():
    """Every row inserted from now on gets a larger id (AUTOINCREMENT never goes back)."""
    return _last_id()


def _in_id_ranges(sql, after_id):
    """Run ``sql`` (with two id placeholders) over (after_id, last id], one range a transaction."""
    last = _last_id()
    for start in range(after_id, last, IDS_PER_TRANSACTION):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [start, min(start + IDS_PER_TRANSACTION, last)])
        _pause()


def _pause():
    if not connection.in_atomic_block:
        time.sleep(GAP_SECONDS)


def apply_updates(spool_path):
    """Apply the spooled updates: statements in transactions that let a waiting writer in."""
    from .writer import UPDATED_FIELDS

    beacon = sqlite_backend.waiting_beacon(connection.settings_dict["NAME"])
    statements = _update_statements(spool_path, UPDATED_FIELDS)
    statement = next(statements, None)
    while statement is not None:
        with transaction.atomic():
            turn = WriteTurn(beacon)
            while statement is not None:
                statement()
                statement = next(statements, None)
                if turn.is_over():
                    break
        _pause()


def _update_statements(spool_path, updated_fields):
    """Each statement of the spooled updates, as a call, UPDATES_PER_STATEMENT records each."""
    size = UPDATES_PER_STATEMENT
    for spooled in _read_ahead(_spooled(spool_path)):
        if isinstance(spooled, list):
            # Model instances, spooled by an import killed before this version was deployed.
            fields = [name.removesuffix("_id") for name in updated_fields] + [updates.TOKENS]
            for start in range(0, len(spooled), size):
                records = spooled[start : start + size]
                yield functools.partial(Disclosure.objects.bulk_update, records, fields)
            continue
        if len(spooled) == 2:  # spooled before an update named its fields: all of them
            fields, (with_tokens, rows) = updated_fields, spooled
        else:
            fields, with_tokens, rows = spooled
        for start in range(0, len(rows), size):
            group = rows[start : start + size]
            yield functools.partial(updates.write, fields, with_tokens, group)


def publish_pending(after_id):
    """Clear the pending flag of the rows inserted after ``after_id``. The full-text update
    trigger fires only on the token column, so this rewrites no index but the table's."""
    _in_id_ranges(
        f"UPDATE {TABLE} SET pending = 0 WHERE pending = 1 AND id > %s AND id <= %s", after_id
    )


def discard_pending(after_id):
    """Delete the pending rows inserted after ``after_id`` (a refused or interrupted import)."""
    _in_id_ranges(f"DELETE FROM {TABLE} WHERE pending = 1 AND id > %s AND id <= %s", after_id)


def remove_added(added):
    """Delete the reference data an undone import added (``{"app.model": [ids]}``), once its
    pending rows are gone; one someone has used meanwhile stays."""
    from django.apps import apps
    from django.db.models import ProtectedError

    for label, ids in added.items():
        model = apps.get_model(label)
        for pk in ids:
            try:
                with transaction.atomic():
                    model.objects.filter(pk=pk).delete()
            except ProtectedError:
                pass


def undo(state):
    """Undo what ``state`` describes (a refused, failed or killed import): its pending rows,
    then the indexes a first load dropped (built over what is left), the reference data and the
    addresses it added."""
    discard_pending(state.first_id)
    deferred_indexes.rebuild(state.deferred_indexes)
    remove_added(state.added)
    RespondentAddress.remove_unused(state.first_address_id)


def finish_publishing(state):
    """Publish what ``state`` describes: updates first, then the indexes a first load dropped,
    then the new rows, then the version. Returns (the version replaced, the new one)."""
    if state.spool:
        apply_updates(state.spool)
    deferred_indexes.rebuild(state.deferred_indexes)
    publish_pending(state.first_id)
    return DisclosureDataVersion.replace()
