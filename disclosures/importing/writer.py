"""Writing checked rows in chunks: scrub, link the merchant, upsert by complaint number.

Per chunk: one query finds the records that already exist; new ones are inserted, changed ones
updated, and a record whose values already match is not written at all, so re-importing a file
reports 0 created and 0 updated. The objection state is not in the file: an editor sets it, and
an update keeps it.

Complaint text is scrubbed here, before anything is stored: the raw summary and request exist
only in the uploaded file and in this chunk's memory.

How the chunks are committed depends on the database (``importing.staged`` says why): on
SQLite each chunk is its own transaction, new rows stay pending and updates are spooled until
every row has passed; on PostgreSQL everything is one transaction.

New rows go in with one ``executemany`` per chunk rather than ``bulk_create``: building a model
instance and preparing every field through the ORM cost more than the database itself at a
million rows. The derived fields come from ``Disclosure.derived``, as on a save.
"""

import datetime
import decimal
import json
from array import array
from collections import Counter

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date

from merchants.models import Merchant

from ..models import (
    SEARCHED_TEXT,
    Disclosure,
    DisclosureDataVersion,
    HandlingDepartment,
    RespondentAddress,
)
from ..scrubbing import scrub
from . import deferred_indexes, exclusive, staged, updates
from .background_insert import BackgroundInserter

# The values compared with the stored record to decide whether a row changes anything.
COMPARED_FIELDS = (
    "respondent_name",
    "credit_code",
    "region_id",
    "respondent_address",
    "category_id",
    "problem_type_id",
    "summary",
    "consumer_request",
    "complained_on",
    "handling_department",
    "result_id",
    "closed_on",
    "recovered_amount",
    "disclosed_on",
    "display_until",
    "merchant_id",
)
DERIVED_FIELDS = Disclosure.DERIVED_FIELDS
STORED_FIELDS = ("complaint_number", *COMPARED_FIELDS)  # the validated values
# The department's and the address's codes follow from their names (``ChunkWriter``'s
# ``_department_id``, ``_add_addresses``): not compared.
CODE_FIELDS = ("department_id", "address_id")
INSERTED_FIELDS = (*STORED_FIELDS, *CODE_FIELDS, *DERIVED_FIELDS)
# What an update writes (``updates``): the tokens only when the text changed.
UPDATED_FIELDS = (
    *COMPARED_FIELDS,
    *CODE_FIELDS,
    *(name for name in DERIVED_FIELDS if name != updates.TOKENS),
    "batch_id",
    "updated_at",
)


def _stored_at(name):
    """Where a compared field sits in a stored row from ``_existing`` (pk first)."""
    return 1 + COMPARED_FIELDS.index(name)


_STORED_MERCHANT = _stored_at("merchant_id")
_NO_TEXT = ("",) * len(SEARCHED_TEXT)
_compared_values = updates.values_of(COMPARED_FIELDS)
_stored_values = updates.values_of(STORED_FIELDS)
_searched_texts = updates.values_of(SEARCHED_TEXT)
# The searched texts of a stored row (from ``_existing``).
_stored_texts = updates.values_of([_stored_at(name) for name in SEARCHED_TEXT])
# Requests repeat from row to row (要求退货退款): one found clean is not scrubbed again in this
# import: about 5 µs a row, 5 s of a million-row import (bench/disclosures.py). Only clean
# ones are kept, so no personal data outlives its chunk.
CLEAN_REQUESTS_KEPT = 16_384


def _insert_columns():
    """(table, columns) of the INSERT: the validated fields, then state, batch and time."""
    columns = [Disclosure._meta.get_field(name).column for name in INSERTED_FIELDS]
    tail = ["objection_state", "batch_id", "updated_at", "pending"]
    return Disclosure._meta.db_table, columns + tail


# Values the driver would otherwise convert through Python adapters, one call per value, on
# the insert thread, where each call competes with this thread for the interpreter lock.
_DATE_FIELDS = {"complained_on", "closed_on", "disclosed_on", "display_until"}


def _adapters():
    """name -> the driver's form of a value the driver would otherwise convert through Python
    adapters (``_DATE_FIELDS``, the amount)."""
    ops = connection.ops
    adapters = dict.fromkeys(_DATE_FIELDS, ops.adapt_datefield_value)
    if connection.vendor == "sqlite":
        # Django hands sqlite3 the Decimal, which converts it with the adapter Django
        # registered, ``str``: applied here, it also leaves a spooled row only text and
        # numbers, which ``staged.Spool`` writes with marshal.
        adapters["recovered_amount"] = _text_or_none
    else:
        adapters["recovered_amount"] = lambda amount: ops.adapt_decimalfield_value(amount, 14, 2)
    return adapters


def _text_or_none(value):
    return None if value is None else str(value)


class _ExistingLookup:
    """The look-up of stored records by complaint number, compiled once per import.

    Through the ORM, building the query (an IN list of 10,000 numbers) and converting its rows
    took a quarter of a re-import of unchanged records (bench/disclosures.py); here the SELECT is
    compiled once, the IN list is plain placeholders, and only the columns that have
    converters go through them: on SQLite the amount through Django's; the dates through
    ``_with_dates``.

    When the import has its inserter, the look-up runs on the inserter's thread while this one
    scrubs the chunk (``start``), and answers as one JSON text: a thread fetching 10,000 rows
    one by one would wait for the interpreter lock at each. On PostgreSQL it follows the
    previous chunk's updates there (``updates.write_all``), and the scrubbing no longer waits
    for them.
    """

    def __init__(self):
        found = Disclosure.objects.order_by().values_list(
            "complaint_number", "pk", *COMPARED_FIELDS
        )
        compiler = found.query.get_compiler(connection=connection)
        self.select_sql, _params = compiler.as_sql()
        self.compiler = compiler
        self.converters = compiler.get_converters(
            [column for column, _sql, _alias in compiler.select]
        )
        # Dates come as ISO text from SQLite and from either database's JSON: read with
        # date.fromisoformat (in C) rather than through Django's converter, three Python calls a
        # value (``_with_dates``): the conversion of 10,000 looked-up records 29 against 35 ms.
        self.text_dates = [
            position
            for position, (column, _sql, _alias) in enumerate(compiler.select)
            if column.output_field.get_internal_type() == "DateField"
        ]
        for position in self.text_dates:
            self.converters.pop(position, None)
        self.number_column = connection.ops.quote_name(
            Disclosure._meta.get_field("complaint_number").column
        )
        columns = ", ".join(connection.ops.quote_name(alias) for *_, alias in compiler.select)
        # The answer as one JSON text (``start``), around the numbers' placeholders.
        # PostgreSQL's JSON numbers are its amounts, read as Decimal as its driver reads them;
        # SQLite's go through Django's converter, as its driver's would.
        if connection.vendor == "postgresql":
            self.json_select = (
                f"SELECT COALESCE(json_agg(json_build_array({columns})), '[]')::text "
                f"FROM ({self.select_sql} WHERE {self.number_column} = ANY(",
                ")) AS found",
            )
            self.parse_float = decimal.Decimal
        else:
            self.json_select = (
                f"SELECT json_group_array(json_array({columns})) "
                f"FROM ({self.select_sql} WHERE {self.number_column} IN (",
                "))",
            )
            self.parse_float = float

    def by_number(self, numbers):
        if not numbers:
            return {}
        marks = ", ".join(["%s"] * len(numbers))
        sql = f"{self.select_sql} WHERE {self.number_column} IN ({marks})"
        with connection.cursor() as cursor:
            cursor.execute(sql, numbers)
            found = cursor.fetchall()
        return self._by_number(found)

    def start(self, numbers, inserter):
        """Start looking ``numbers`` up; returns a function that gives what ``by_number``
        gives. On the inserter's thread, after the chunk in flight, when there is one: the
        answer is one JSON text, read on this thread."""
        if not numbers or inserter is None:
            found = self.by_number(numbers)
            return lambda: found
        head, tail = self.json_select
        if connection.vendor == "postgresql":  # one parameter: the array of numbers
            answer = inserter.query(f"{head}%s{tail}", [numbers])
        else:
            answer = inserter.query(head + ", ".join(["?"] * len(numbers)) + tail, numbers)
        return lambda: self._by_number(json.loads(answer()[0][0], parse_float=self.parse_float))

    def _by_number(self, found):
        if self.text_dates:
            found = self._with_dates(found)
        if self.converters:
            found = self.compiler.apply_converters(found, self.converters)
        return {values[0]: tuple(values[1:]) for values in found}

    def _with_dates(self, found):
        """``found``'s rows as lists, their dates read from SQLite's text as Django's converter
        reads them (``parse_date``: ISO first, then its looser forms). A cursor's rows come with
        their dates read already (the driver's declared types), the JSON text's with text."""
        rows = [list(values) for values in found] if found and type(found[0]) is tuple else found
        from_iso = datetime.date.fromisoformat
        for values in rows:
            for at in self.text_dates:
                text = values[at]
                if text.__class__ is str:
                    try:
                        values[at] = from_iso(text)
                    except ValueError:
                        values[at] = parse_date(text)
        return rows


class ChunkWriter:
    """Writes the chunks of one import; ``staged`` on SQLite (see the module docstring)."""

    def __init__(self, batch, dry_run=False, staged_writes=False):
        self.batch = batch
        self.dry_run = dry_run
        self.staged = staged_writes and not dry_run
        self.merchants = dict(Merchant.objects.values_list("credit_code", "pk"))
        # Department name -> HandlingDepartment id: a few hundred names, added as first met.
        self.departments = dict(HandlingDepartment.objects.values_list("name", "pk"))
        # Address -> RespondentAddress id: as many as there are respondents (tens of thousands),
        # the new ones of a chunk added together (``_add_addresses``).
        self.addresses = dict(RespondentAddress.objects.values_list("text", "pk"))
        # Into an empty table nothing can already exist (duplicates within the file were
        # refused by the check), so the per-chunk look-up is skipped: the first load is the big one.
        self.table_was_empty = not Disclosure.objects.exists()
        self.created = self.updated = self.unchanged = 0
        self.masked = Counter()
        self.clean_requests = set()
        # Merchants whose record changed, for their scan pages: the new link and any old one.
        self.touched_merchants = set()
        self.inserter = None
        self._lookup = None
        self._index_split = None
        # The ids of the existing records this import updates, (the data version it replaced,
        # the one it made) and the largest id before it: the new version's search columns are
        # the old one's with these records and the new ones read again (``snapshot.Change``).
        self.updated_ids = array("q")
        self.versions = None
        self.last_id_before = 0
        self.state = None
        self.spool = None
        if not dry_run:
            self.inserter = BackgroundInserter(
                *_insert_columns(),
                # Inside a caller's transaction (a test) the chunks join it instead.
                own_transactions=self.staged and not connection.in_atomic_block,
            )

    def __enter__(self):
        if not self.dry_run:
            self.last_id_before = staged.first_id()
        if self.staged:
            self.state = exclusive.ImportState(
                batch_id=self.batch.pk,
                first_id=self.last_id_before,
                first_address_id=RespondentAddress.last_id(),
                spool=str(exclusive.spool_path(self.batch.pk)),
            )
            self.spool = staged.Spool(self.state.spool)
            if self.table_was_empty:
                # Recorded before they go, so that a kill from here on builds them again.
                self.state.deferred_indexes = deferred_indexes.secondary_indexes()
            exclusive.save_state(self.state)
            deferred_indexes.drop(self.state.deferred_indexes)
        if self.inserter is not None:
            # From here until the inserter is closed, its chunk in flight owns the connection.
            self.inserter.__enter__()
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            if self.inserter is not None:
                # The last chunk is in before anything is published or undone.
                self.inserter.__exit__(exc_type, exc, traceback)
        except Exception:
            if exc_type is None:
                self._undo()
                raise
        if exc_type is not None:
            self._undo()
            return
        if self.staged:
            self._publish_staged()
        elif not self.dry_run and (self.created or self.updated):
            # In the import's transaction: the new rows and the new version commit together.
            self.versions = DisclosureDataVersion.replace()

    def _publish_staged(self):
        self.spool.close()
        if not (self.created or self.updated):
            deferred_indexes.rebuild(self.state.deferred_indexes)
            exclusive.clear_state(self.state)
            return
        # From here on every row has passed: a kill is finished by the next import.
        self.state.phase = "publishing"
        exclusive.save_state(self.state)
        self.versions = staged.finish_publishing(self.state)
        exclusive.clear_state(self.state)

    def _undo(self):
        if self.staged:
            self.spool.close()
            staged.undo(self.state)
            exclusive.clear_state(self.state)

    def add_reference(self, model, name):
        """The id of reference data named ``name``, added now if it does not exist (an import
        with ``add_missing``). In the import's transaction on PostgreSQL; on SQLite it is
        committed at once and recorded in the state file, so that a refused, failed or killed
        import removes it again with its pending rows (``staged.remove_added``)."""
        item, created = model.objects.get_or_create(name=name)
        if created and self.staged:
            self.state.added.setdefault(model._meta.label_lower, []).append(item.pk)
            exclusive.save_state(self.state)
        return item.pk

    def call_when_idle(self, function):
        """Call ``function`` as soon as no chunk is being written (the connection is free)."""
        if self.inserter is None:
            function()
        else:
            self.inserter.when_idle(function)

    def write(self, rows):
        """Upsert one chunk of validated values (dicts from ``RowValidator``); none: nothing."""
        if not rows:
            return
        stored_records = dict if self.table_was_empty else self._existing(rows)
        merchants = self.merchants
        for row in rows:
            self._scrub(row)
            code = row["credit_code"]
            row["merchant_id"] = merchants.get(code) if code else None
        existing = stored_records()
        now = timezone.now()
        new, changed = [], []
        for row in rows:
            stored = existing.get(row["complaint_number"])
            if stored is None:
                new.append(row)
                self.touched_merchants.add(row["merchant_id"])
            elif _compared_values(row) == stored[1:]:
                self.unchanged += 1
            else:
                changed.append((stored, row))
                self.updated_ids.append(stored[0])
                self.touched_merchants.update((row["merchant_id"], stored[_STORED_MERCHANT]))
        self.created += len(new)
        self.updated += len(changed)
        if self.dry_run:
            return
        if new:
            self._insert(new, now)
        if changed:
            self._update(changed, now)

    def _department_id(self, name):
        """The department's code; a new name is added as reference data is (``add_reference``:
        an undone import takes it away again)."""
        code = self.departments.get(name)
        if code is None:
            code = self.departments[name] = self.add_reference(HandlingDepartment, name)
        return code

    def _add_addresses(self, texts):
        """Add the addresses among ``texts`` not met before, in a few statements. On SQLite
        they are committed at once: an undone import removes those no record names
        (``RespondentAddress.remove_unused`` above ``ImportState.first_address_id``)."""
        known = self.addresses
        new = {text for text in texts if text and text not in known}
        if new:
            known.update(RespondentAddress.add(new))

    def _existing(self, rows):
        """A function giving complaint number -> (pk, *compared values) of the chunk's records
        already stored, the values converted as the ORM converts them (dates, the amount): the
        look-up is started now and answered while the chunk is scrubbed."""
        if self._lookup is None:
            self._lookup = _ExistingLookup()
        numbers = [row["complaint_number"] for row in rows]
        return self._lookup.start(numbers, self.inserter)

    def _update(self, changed, now):
        """Write the changed records ((stored row, new values) pairs), their tokens only where
        their text changed (``updates``); on SQLite spooled until every row has passed.
        objection_state is not among the fields written: an editor's decision stays."""
        self._add_addresses(row["respondent_address"] for _stored, row in changed)
        adapters = _adapters()
        common = {
            "batch_id": self.batch.pk,
            "updated_at": connection.ops.adapt_datetimefield_value(now),
        }
        moved_at, fields_in_place = self._update_fields()
        # The indexed values of the new row and of the stored one, as tuples compared in C.
        new_indexed = stored_indexed = None
        if moved_at:
            new_indexed = updates.values_of([name for name, _at in moved_at])
            stored_indexed = updates.values_of([at for _name, at in moved_at])
        statements = {}  # (fields, with tokens) -> rows: a few statements for the whole chunk
        for stored, row in changed:
            texts = _searched_texts(row)
            text_changed = texts != _stored_texts(stored)
            # An indexed value rewritten unchanged still costs its index entry (``updates``).
            moved = bool(moved_at) and new_indexed(row) != stored_indexed(stored)
            fields = UPDATED_FIELDS if moved else fields_in_place
            # The tokens of an unchanged text are not written (``updates``): not made either.
            city, province, month, tokens = Disclosure.derived(
                row["region_id"], row["complained_on"], *(texts if text_changed else _NO_TEXT)
            )
            row.update(
                common,
                department_id=self._department_id(row["handling_department"]),
                address_id=self.addresses.get(row["respondent_address"]),
                city_code=city,
                province_code=province,
                complained_month=month,
            )
            for name, adapt in adapters.items():
                row[name] = adapt(row[name])
            statements.setdefault((fields, text_changed), []).append(
                updates.row_values(row, fields, tokens if text_changed else None, stored[0])
            )
        if not self.staged:
            updates.write_all(statements, self.inserter)
            return
        for (fields, with_tokens), rows in statements.items():
            # Shown only once every row has passed.
            self.spool.append((fields, with_tokens, rows))

    def _update_fields(self):
        """((name, place in a stored row) of each compared field an index covers, the updated
        fields without them): a record whose indexed values are unchanged is written without
        those columns. Asked of the database once per import."""
        if self._index_split is None:
            moved = updates.indexed(COMPARED_FIELDS)
            kept = tuple(name for name in UPDATED_FIELDS if name not in moved)
            self._index_split = [(name, _stored_at(name)) for name in moved], kept
        return self._index_split

    def _insert(self, rows, now):
        updated_at = connection.ops.adapt_datetimefield_value(now)
        tail = (Disclosure.ObjectionState.NONE, self.batch.pk, updated_at, self.staged)
        derived = Disclosure.derived
        adapters = _adapters()
        departments = self.departments
        addresses = self.addresses
        self._add_addresses([row["respondent_address"] for row in rows])
        params = []
        for row in rows:
            department = departments.get(row["handling_department"]) or self._department_id(
                row["handling_department"]
            )
            address = addresses.get(row["respondent_address"])
            derived_values = derived(row["region_id"], row["complained_on"], *_searched_texts(row))
            for name, adapt in adapters.items():
                row[name] = adapt(row[name])
            params.append(_stored_values(row) + (department, address) + derived_values + tail)
        self.inserter.submit(params)

    def _scrub(self, row):
        summary = row["summary"]
        if summary:
            result = scrub(summary)
            if result.counts:
                self.masked.update(result.counts)
                row["summary"] = result.text
        request = row["consumer_request"]
        if request and request not in self.clean_requests:
            result = scrub(request)
            if result.counts:
                self.masked.update(result.counts)
                row["consumer_request"] = result.text
            elif len(self.clean_requests) < CLEAN_REQUESTS_KEPT:
                self.clean_requests.add(request)
