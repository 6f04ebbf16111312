"""The disclosure table's filter and facet columns, held in memory as NumPy arrays.

Why: at a million records a common term such as 退货 matches a third of them, and counting six
facets over 300,000 matched rows costs SQLite seconds (every GROUP BY sorts its rows). Over
columns in memory, Elasticsearch's doc values in effect, the same counts take milliseconds
(``numpy.bincount``). The database stays the source of truth and keeps doing what its indexes
do well: the full-text match (FTS5 / tsvector) and the look-up of one merchant's records.

Who uses it: the embedded search (``engines.database``) and the statistics page
(``statistics``), and only while the database engine is the one in use: with
``ELASTICSEARCH_URL`` set, nothing loads it.

What is held, one entry per record, newest complaint first (complaint date, then id, as the
date sort wants them): id, category, problem type, result, handling department, respondent
address, year, county, city and province (as small indexes into their code lists), complaint,
disclosure and display-until dates as day numbers, whether the record is hidden (withdrawn, or
written by an import still in progress), and an id look-up: about 55 bytes a record, 55 MB at
a million, mapped from files and so shared by the processes of a machine (below). Past several
million records, use Elasticsearch. The columns are those
``facets.Stored.column`` names.

A snapshot belongs to one ``DisclosureDataVersion`` token and is rebuilt when the token
changes; reading the token is the only cost a search pays to stay current. Past
``FILE_MIN_RECORDS`` records it is read from the table once per machine, not once per process:
the first process writes its columns to files that every process maps (``snapshot_file``), and an
import writes them before it reports done (``warm``), so a worker's first search after a change
maps them instead of reading the table. A smaller table is read into each process: that costs
less than writing the files.
"""

import datetime
import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from common import regions

from . import engines, snapshot_file
from .facets import stored_region
from .models import Disclosure, DisclosureDataVersion

EPOCH = datetime.date(1970, 1, 1)
READ_ID_RANGE = 20_000
# Below this many ids (max - min + 1) the columns are read into each process, without files.
FILE_MIN_RECORDS = 50_000
TABLE = Disclosure._meta.db_table


def day_number(date):
    return (date - EPOCH).days


def _day_sql(column):
    if connection.vendor == "sqlite":
        # Dates are stored as YYYY-MM-DD text; julianday of the epoch is 2440587.5.
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _joined_sql(expression):
    """The aggregate that joins an expression's values with commas, on this database."""
    if connection.vendor == "sqlite":
        # A comma is the default separator: naming it makes SQLite's group_concat 15 % slower.
        return f"group_concat({expression})"
    return f"string_agg(({expression})::text, ',')"


def integers_from_sql(cursor, sql, params):
    """The integers a statement returns as one comma-separated string (``_joined_sql``), as an
    array. A Python tuple per value cost several times as much as the database's own work once
    there are hundreds of thousands of them."""
    cursor.execute(sql, params)
    text = cursor.fetchone()[0]
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def ids_from_sql(sql, params):
    """The ``id`` column of a query's rows (e.g. ``search.fulltext.matches_sql``), as an array."""
    with connection.cursor() as cursor:
        joined = f"SELECT {_joined_sql('id')} FROM ({sql}) AS matches"
        return integers_from_sql(cursor, joined, params)


def _codes_and_index(codes):
    """(sorted distinct codes, each code's index into them as int16)."""
    distinct, index = np.unique(np.asarray(codes, dtype=str), return_inverse=True)
    return distinct.tolist(), index.astype(np.int16)


# The columns that hold an index into a list of region codes, and that list's attribute.
REGION_COLUMNS = {"county": "county_codes", "city": "city_codes", "province": "province_codes"}


@dataclass
class Snapshot:
    token: object
    ids: np.ndarray  # int64, newest complaint first
    category: np.ndarray  # int32 reference ids
    problem_type: np.ndarray
    result: np.ndarray
    department: np.ndarray  # int32 HandlingDepartment ids, 0 for none
    address: np.ndarray  # int32 RespondentAddress ids, 0 for none
    year: np.ndarray  # int16
    county: np.ndarray  # int16 index into county_codes (the record's region: a county, or a city)
    city: np.ndarray  # int16 index into city_codes
    province: np.ndarray  # int16 index into province_codes
    complained: np.ndarray  # int32 day numbers
    disclosed: np.ndarray
    display_until: np.ndarray
    hidden: np.ndarray  # bool: withdrawn, or written by an import still in progress
    county_codes: list
    city_codes: list
    province_codes: list
    # Record id -> row number, dense: ids come from a sequence, so at most a few unused.
    row_of_id: np.ndarray = field(default=None, repr=False)

    def __post_init__(self):
        if self.row_of_id is None:
            self.row_of_id = np.full(int(self.ids.max(initial=0)) + 1, -1, dtype=np.int32)
            self.row_of_id[self.ids] = np.arange(len(self.ids), dtype=np.int32)
        self._public = {}
        self._public_counts = {}  # {day: {column: its bincount over that day's public rows}}

    def nbytes(self):
        arrays = [value for value in vars(self).values() if isinstance(value, np.ndarray)]
        return sum(array.nbytes for array in arrays)

    def __len__(self):
        return len(self.ids)

    def public(self, on):
        """Rows a citizen may see on ``on``: the rule of ``Disclosure.objects.public``."""
        day = day_number(on)
        if day not in self._public:
            self._public = {
                day: (self.disclosed <= day) & (self.display_until >= day) & ~self.hidden
            }
        return self._public[day]

    def rows_of(self, ids):
        """The row number of each record id, in their order; -1 where the id is not held."""
        wanted = np.asarray(ids, dtype=np.int64)
        inside = (wanted >= 0) & (wanted < len(self.row_of_id))
        if inside.all():
            return self.row_of_id[wanted]
        rows = np.full(len(wanted), -1, dtype=np.int32)
        rows[inside] = self.row_of_id[wanted[inside]]
        return rows

    def mask_of(self, ids):
        """Boolean mask of the rows holding these record ids."""
        mask = np.zeros(len(self.ids), dtype=bool)
        rows = self.rows_of(ids)
        mask[rows[rows >= 0]] = True
        return mask

    def equals(self, column, value):
        """Boolean mask of the rows whose ``column`` holds ``value`` (a code, for a region)."""
        if column in REGION_COLUMNS:
            codes = getattr(self, REGION_COLUMNS[column])
            if value not in codes:
                return np.zeros(len(self.ids), dtype=bool)
            value = codes.index(value)
        return getattr(self, column) == value

    def region_mask(self, code):
        """Boolean mask of the rows in a province, city or county."""
        return self.equals(stored_region(code).column, code)

    def counts(self, column, rows):
        """[(value, count)] of a column over the given row numbers, by value, zeros left out;
        a region column's values are its codes."""
        return self._labelled(column, np.bincount(getattr(self, column)[rows]))

    def counts_of_public(self, column, on, missing_rows):
        """``counts`` over the rows public on ``on`` but ``missing_rows``: for a search that
        matches most records (a department's name matches them all), counting the few it does
        not match costs far less than gathering a million values."""
        day = day_number(on)
        if day not in self._public_counts:
            self._public_counts = {day: {}}  # one day's, as ``public`` keeps
        by_column = self._public_counts[day]
        if column not in by_column:
            public_rows = np.flatnonzero(self.public(on))
            by_column[column] = np.bincount(getattr(self, column)[public_rows])
        counts = by_column[column]
        missing = np.bincount(getattr(self, column)[missing_rows], minlength=len(counts))
        return self._labelled(column, counts - missing)

    def _labelled(self, column, counts):
        values = np.flatnonzero(counts)
        pairs = zip(values.tolist(), counts[values].tolist(), strict=True)
        if column in REGION_COLUMNS:
            codes = getattr(self, REGION_COLUMNS[column])
            return [(codes[index], count) for index, count in pairs]
        return list(pairs)

    def month_counts(self, rows):
        """[(YYYYMM, count)] of the complaint months over the given row numbers, in order."""
        months = self.complained[rows].astype("datetime64[D]").astype("datetime64[M]")
        values, counts = np.unique(months.astype(np.int64), return_counts=True)
        return [
            ((1970 + value // 12) * 100 + value % 12 + 1, count)
            for value, count in zip(values.tolist(), counts.tolist(), strict=True)
        ]


def _id_range():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {TABLE}")
        return cursor.fetchone()


def _read_columns():
    """(name, type held in while read, SQL expression) of each column ``_read_table`` reads,
    in its order."""
    day = _day_sql
    withdrawn = connection.ops.quote_name("objection_state")
    pending = connection.ops.quote_name("pending")
    return (
        ("id", np.int64, "id"),
        ("category", np.int32, "category_id"),
        ("problem_type", np.int32, "problem_type_id"),
        ("result", np.int32, "result_id"),
        ("year", np.int16, "complained_month / 100"),
        ("region", np.int32, "CAST(region_id AS INTEGER)"),
        ("complained", np.int32, day("complained_on")),
        ("disclosed", np.int32, day("disclosed_on")),
        ("display_until", np.int32, day("display_until")),
        ("hidden", np.bool_, f"CASE WHEN {withdrawn} = %s OR {pending} THEN 1 ELSE 0 END"),
        # Last, and never NULL: a NULL would empty the whole line.
        ("department", np.int32, "COALESCE(department_id, 0)"),
        ("address", np.int32, "COALESCE(address_id, 0)"),
    )


def _line_sql(where):
    """The statement that reads the columns (``_read_columns``) of the rows ``where`` selects,
    as one comma-separated string (``integers_from_sql``)."""
    joined = " || ',' || ".join(f"({expression})" for _name, _kind, expression in _read_columns())
    return (
        f"SELECT {_joined_sql('line')} FROM (SELECT {joined} AS line FROM {TABLE} "
        f"WHERE {where}) AS lines"
    )


def _read(parts, room):
    """The columns (``_read_columns``) of the rows of every (where, params) of ``parts``, as a
    dict of arrays in the order read; ``room``: at most how many rows there are."""
    read_columns = _read_columns()
    columns = {name: np.empty(room, dtype=kind) for name, kind, _expression in read_columns}
    read = 0
    with connection.cursor() as cursor:
        for where, params in parts:
            params = [Disclosure.ObjectionState.WITHDRAWN, *params]
            values = integers_from_sql(cursor, _line_sql(where), params)
            values = values.reshape(-1, len(read_columns))
            for position, column in enumerate(columns.values()):
                column[read : read + len(values)] = values[:, position]
            read += len(values)
    return {name: column[:read] for name, column in columns.items()}


def _read_table(low, high):
    """Every record's columns (``_read_columns``), as a dict of arrays in id order, read by id
    range (``low`` and ``high``: the smallest and largest id, None for an empty table).

    Each range comes back as one comma-separated string (``integers_from_sql``) and is copied
    into columns of their own types at once: a million records' 12 values as one int64 table
    (96 MB), sorted into a second one, made the import that warms the snapshot 170 MB bigger.
    """
    room = 0 if high is None else high - low + 1  # ids come from a sequence: at most this many
    ranges = range(low or 0, (high or -1) + 1, READ_ID_RANGE)
    return _read(
        (("id >= %s AND id < %s", [start, start + READ_ID_RANGE]) for start in ranges), room
    )


def _read_ids(ids):
    """The columns of the records ``ids`` (sorted, distinct), in id order, by lists of ids, or
    by a range where a group of them has no gap: an import revises what an earlier one added,
    so its ids tend to run on, and a range is one walk of the table where a list is a look-up
    per id."""
    groups = (ids[start : start + READ_ID_RANGE] for start in range(0, len(ids), READ_ID_RANGE))
    parts = (
        ("id >= %s AND id <= %s", [int(group[0]), int(group[-1])])
        if group[-1] - group[0] + 1 == len(group)
        else (f"id IN ({', '.join(['%s'] * len(group))})", group.tolist())
        for group in groups
    )
    table = _read(parts, len(ids))
    order = np.argsort(table["id"], kind="stable")  # an IN list promises no order
    return {name: column[order] for name, column in table.items()}


def _region_levels(region_codes):
    """Each row's county, city and province as (codes, index) pairs, by ``common.regions``."""
    county_codes, county_index = _codes_and_index([f"{code:06d}" for code in region_codes])
    # The parents of the few hundred distinct codes, then looked up for every row.
    city_codes, city_of = _codes_and_index([regions.city_of(code) for code in county_codes])
    province_codes, province_of = _codes_and_index(
        [regions.province_of(code) for code in county_codes]
    )
    return (
        (county_codes, county_index),
        (city_codes, city_of[county_index]),
        (province_codes, province_of[county_index]),
    )


def _newest_first(ids, complained):
    """The order of the rows: newest complaint first, ties by id, newest first. Rows in id order
    (as SQLite hands each range back) need only a stable sort of their days, read backwards;
    others one int64 key of the two, sorted and read backwards: ``lexsort`` over two negated
    copies took 12 MB more at a million records, on top of the columns, and the key 8 MB."""
    if np.all(ids[1:] > ids[:-1]):
        return np.argsort(complained, kind="stable")[::-1]
    if len(ids) and (ids.min() < 0 or ids.max() >= 2**32):
        return np.lexsort((-ids, -complained))
    key = complained.astype(np.int64)
    key <<= 32
    key += ids
    return np.argsort(key)[::-1]  # (day, id) pairs are distinct: no ties to keep in order


# Region codes are six digits (行政区划代码), read as integers.
REGION_CODE_LIMIT = 1_000_000


def _distinct_regions(region_codes):
    """(the distinct codes in order, each row's index into them), as ``np.unique(...,
    return_inverse=True)`` gives them. Through a table of every six-digit code rather than
    ``np.unique``'s sorted copy, its order and an int64 inverse: at a million records that was
    the peak of building the snapshot, 29 MB over the columns, now 9 MB."""
    if not len(region_codes) or region_codes.min() < 0 or region_codes.max() >= REGION_CODE_LIMIT:
        return np.unique(region_codes, return_inverse=True)
    present = np.zeros(REGION_CODE_LIMIT, dtype=bool)
    present[region_codes] = True
    distinct = np.flatnonzero(present)
    position = np.zeros(REGION_CODE_LIMIT, dtype=np.int32)
    position[distinct] = np.arange(len(distinct), dtype=np.int32)
    return distinct, position[region_codes]


def _build(token, low, high):
    return _from_table(token, _read_table(low, high))


def _from_table(token, table):
    """The snapshot of the columns ``table`` (``_read_columns``' names, in id order)."""
    order = _newest_first(table["id"], table["complained"])
    # One column at a time, each in its sorted order, dropping the unsorted one.
    sorted_columns = {name: table.pop(name)[order] for name in list(table)}
    del order  # before the region columns are worked out: not all at once
    distinct, region_index = _distinct_regions(sorted_columns.pop("region"))
    county, city, province = _region_levels(distinct.tolist())
    return Snapshot(
        token=token,
        ids=sorted_columns.pop("id"),
        county=county[1][region_index],
        city=city[1][region_index],
        province=province[1][region_index],
        county_codes=county[0],
        city_codes=city[0],
        province_codes=province[0],
        **sorted_columns,
    )


@dataclass(frozen=True)
class Change:
    """What an import changed: the data version it replaced, the one it made, the ids of the
    existing records it updated, and the largest id before it began: every record past it is
    read again, for the old version's files may hold the import's own rows still pending (a
    worker that searched while the import wrote) or a record an editor added meanwhile."""

    before: object
    after: object
    updated_ids: object  # a sequence of ints
    added_after: int


def _table_of(snapshot):
    """A snapshot's columns back in the form ``_read_table`` gives them: id order, the region
    as its code."""
    rows = snapshot.row_of_id[snapshot.row_of_id >= 0]  # row numbers in id order
    region_codes = np.array([int(code) for code in snapshot.county_codes], dtype=np.int32)
    table = {}
    for name, _kind, _expression in _read_columns():
        if name == "region":
            table[name] = region_codes[snapshot.county[rows]]
        else:
            table[name] = getattr(snapshot, "ids" if name == "id" else name)[rows]
    return table


def _table_of_file(token):
    """``_table_of`` the snapshot in version ``token``'s files (None without them), as copies:
    the files are no longer mapped once this returns, so their pages (55 MB at a million
    records) are not held while the new version is built beside them."""
    found = snapshot_file.read(token)
    return _table_of(_from_file(token, *found)) if found else None


def _patched(change, low, high):
    """The snapshot of ``change.after`` made from ``change.before``'s files: the records the
    import updated and every record past ``change.added_after`` read again, every other one as
    it was (nothing else changes a record without changing the version). None when those files
    are not there or the result does not hold every record of the table: the caller reads the
    whole table.

    Why: a revised re-import of 100,000 records into a million spent 2.8 s reading the whole
    table again for the new version's files (bench/disclosures.py)."""
    table = _table_of_file(change.before)
    if table is None:
        return None
    kept = table["id"] <= change.added_after
    if not kept.all():
        table = {name: column[kept] for name, column in table.items()}
    ids = table["id"]
    last = max(change.added_after, int(ids[-1]) if len(ids) else 0)
    updated = np.unique(np.asarray(change.updated_ids, dtype=np.int64))
    fresh = _read_ids(updated)
    positions = np.searchsorted(ids, fresh["id"])
    if np.any(positions >= len(ids)) or np.any(
        ids[np.minimum(positions, len(ids) - 1)] != fresh["id"]
    ):
        return None  # an updated record the old version did not hold
    for name, column in table.items():
        column[positions] = fresh[name]
    if high is not None and high > last:
        added = _read_table(last + 1, high)
        table = {name: np.concatenate((column, added[name])) for name, column in table.items()}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        if cursor.fetchone()[0] != len(table["id"]):
            return None
    return _from_table(change.after, table)


# What the files hold: every array of a snapshot (the codes lists go in their ``extra``).
COLUMNS = (
    "ids",
    "category",
    "problem_type",
    "result",
    "department",
    "address",
    "year",
    "county",
    "city",
    "province",
    "complained",
    "disclosed",
    "display_until",
    "hidden",
    "row_of_id",
)
CODE_LISTS = tuple(REGION_COLUMNS.values())


def _from_file(token, columns, extra):
    return Snapshot(token=token, **columns, **{name: extra[name] for name in CODE_LISTS})


def _file_builder(token, low, high, change=None):
    """(build, still_current) for ``snapshot_file.shared``: the columns of version ``token``
    (from the version before and the records ``change`` names, else read from the table),
    and whether that version is still the current one."""

    def build():
        built = (_patched(change, low, high) if change else None) or _build(token, low, high)
        columns = {name: getattr(built, name) for name in COLUMNS}
        return columns, {name: getattr(built, name) for name in CODE_LISTS}

    def still_current():
        return DisclosureDataVersion.current() == token

    return build, still_current


def _small(low, high):
    """Whether a table of ids ``low``..``high`` is read into each process, without files."""
    return high is None or high - low + 1 < FILE_MIN_RECORDS


def _load(token):
    """The snapshot of a version: mapped from its files, or read from the table."""
    found = snapshot_file.read(token)
    if found:
        return _from_file(token, *found)
    low, high = _id_range()
    if _small(low, high):
        return _build(token, low, high)
    return _from_file(token, *snapshot_file.shared(token, *_file_builder(token, low, high)))


# One snapshot per process and database alias; a lock so that concurrent first requests after
# a change build it once.
_snapshots = {}
_lock = threading.Lock()


def current():
    """The snapshot of the disclosure table as it is now, rebuilt if the data changed."""
    token = DisclosureDataVersion.current()
    key = connection.alias
    snapshot = _snapshots.get(key)
    if snapshot is not None and snapshot.token == token:
        return snapshot
    with _lock:
        snapshot = _snapshots.get(key)
        if snapshot is None or snapshot.token != token:
            snapshot = _snapshots[key] = _load(token)
    return snapshot


def warm(change=None):
    """Write the current version's files if it has none (an import, before it reports done):
    every worker's next search then maps them. This process does not map them itself: an
    import's process does not search, and checking the files would bring all their pages into
    it (55 MB at a million records). A small table, which has no files, is loaded here.
    ``change`` (a ``Change``): what the import that made the current version changed, so
    that its files are the last version's with those records read again (``_patched``).
    Nothing with Elasticsearch."""
    if engines.elasticsearch_enabled():
        return
    token = DisclosureDataVersion.current()
    low, high = _id_range()
    if _small(low, high):
        current()
        return
    if change is not None and change.after != token:
        change = None  # another change came after the import's: its records are not known
    snapshot_file.shared(token, *_file_builder(token, low, high, change), mapped=False)


def forget():
    """Drop every snapshot of this process (tests, and the bench's cold runs); the files stay."""
    _snapshots.clear()


def loaded():
    """Whether this process holds a snapshot (tests: none may be loaded with Elasticsearch)."""
    return bool(_snapshots)
