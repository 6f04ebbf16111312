"""Importing disclosed complaints from CSV or XLSX: every row checked, all written or none.

Rows stream, so a million-row file is never held in memory, and the import is all-or-nothing:
every row is validated and the good ones written in chunks, keeping only the errors, the counts
and the complaint numbers seen (for duplicates). If any row is bad the file is refused and
nothing it wrote stays; so does a failure midway. On PostgreSQL the chunks share one
transaction; on SQLite each chunk commits on its own and nothing is public until every row has
passed (``staged``), so the site keeps writing during a long import. One import runs at a time
(``exclusive``): a second is refused with a message, and a killed one is put right by the next.
Every run is recorded as an ``ImportBatch`` (who, when, file, counts, what was masked), refused
and dry runs included. A category the file names and the reference data lacks is listed once
with its rows; with ``add_missing`` it is added as its first row is written, so that a refused
or failed import takes it away with its rows (``ChunkWriter.add_reference``).

Used by ``manage.py import_disclosures`` and the admin upload page; ``bench/disclosures.py``
measures it.
"""

from contextlib import nullcontext

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import bulk_gc, free_memory
from common.import_cells import text
from common.import_unknowns import Missing
from common.tabular import TabularFileError, open_binary, read_rows, source_name
from common.thread_priority import lower_priority
from merchants import page_cache

from .. import engines, personal_names, snapshot
from ..models import ComplaintCategory, Disclosure, ImportBatch
from .columns import COLUMN_SET
from .exclusive import ImportBusy, exclusive_import, recover_interrupted_imports
from .first_lines import FirstLines
from .report import ImportReport, RowError
from .sqlite_bulk import import_pragmas
from .validation import RowValidator
from .writer import ChunkWriter

__all__ = [
    "ImportFileError",
    "ImportReport",
    "RowError",
    "import_disclosures",
    "recover_interrupted_imports",
]

ImportFileError = TabularFileError
# Rows checked before they are handed to the insert thread. On SQLite each chunk is committed
# (in one transaction unless a writer of the site waits): 10,000 measured 10 % faster than
# 5,000 at a million rows, for 20 MB more memory (bench/disclosures.py).
CHUNK_ROWS = 10_000
BATCH_ERRORS_KEPT = 500


class _Refused(Exception):
    """Raised inside the transaction when a row was bad, so that nothing written stays."""


def import_disclosures(
    source, *, dry_run=False, user=None, file_name=None, progress=None, add_missing=False
):
    """Import a path, an uploaded file or a binary file object; ``report.refused`` = not written.

    ``progress(phase, rows)`` is called every few thousand rows, ``phase`` being ``"write"``
    while rows are being written and ``"check"`` on a dry run or once a bad row was found.
    """
    name = (file_name or source_name(source) or _("未命名文件"))[:255]
    # Before the import's large buffers come and go: its peak memory (``free_memory``).
    free_memory.map_large_blocks()
    if not getattr(user, "is_authenticated", False):
        user = None
    batch = ImportBatch.objects.create(file_name=name, uploaded_by=user)
    report = ImportReport(dry_run=dry_run, add_missing=add_missing, file_name=name, batch=batch)
    try:
        with (
            lower_priority(settings.IMPORT_NICENESS),
            bulk_gc.tuned(),
            exclusive_import(batch),
            open_binary(source) as handle,
        ):
            _run(handle, report, progress)
    except (TabularFileError, ImportBusy, _Refused) as error:
        if not isinstance(error, _Refused):
            report.file_error = str(error)
        report.created = report.updated = report.unchanged = 0
        report.masked.clear()
        return _finish(report, ImportBatch.Status.REFUSED)
    except IntegrityError:
        # Someone else wrote one of these complaint numbers meanwhile.
        report.created = report.updated = report.unchanged = 0
        report.file_error = _("导入过程中数据发生了变化，本次未写入任何数据，请重新导入")
        return _finish(report, ImportBatch.Status.FAILED)
    except BaseException:
        report.file_error = _("导入时发生系统错误，本次未写入任何数据")
        _finish(report, ImportBatch.Status.FAILED)
        raise
    if dry_run:
        return _finish(report, ImportBatch.Status.CHECKED)
    _finish(report, ImportBatch.Status.IMPORTED)
    _publish(report)
    return report


def _publish(report):
    """After the commit: the Elasticsearch index and the affected scan pages catch up.

    Records created or changed by this import carry its batch; unchanged ones were not
    written, so they need nothing.
    """
    if report.created or report.updated:
        written = Disclosure.objects.filter(batch=report.batch).values_list("pk", flat=True)
        engines.sync_after_import(written.iterator(chunk_size=engines.SYNC_READ_CHUNK))
    page_cache.invalidate_merchants(sorted(report.touched_merchants))
    # The new version's snapshot files, written before the import reports done: every worker's
    # next search maps them instead of reading the table. Its columns are built once the
    # import's memory is handed back, not on top of it (bench/disclosures.py's peak): the
    # scrubber's lexicon, read again when a name is next checked, and the freed pages.
    personal_names.release()
    free_memory.release()
    snapshot.warm(report.change)


def _run(handle, report, progress):
    """One pass: validate every row and write the good ones in chunks, in one transaction.

    Rows are written while all rows so far were good. The first bad row stops the writing, the
    rest of the file is still checked so that every bad row is listed, and ``_Refused`` then
    rolls the transaction back: a refused file leaves nothing behind. Reading the file once
    instead of checking it first and reading it again saves about a fifth of a large import.
    Rows are checked for repeated complaint numbers a chunk at a time (``FirstLines``).
    """
    validator = RowValidator(add_missing=report.add_missing)
    first_lines = FirstLines()
    staged = connection.vendor == "sqlite"
    one_transaction = not (report.dry_run or staged)
    transaction_or_not = transaction.atomic() if one_transaction else nullcontext()
    with (
        transaction_or_not,
        nullcontext() if report.dry_run else import_pragmas(),
        ChunkWriter(report.batch, dry_run=report.dry_run, staged_writes=staged) as writer,
    ):
        adding = report.add_missing and not report.dry_run
        checked = []  # (line, complaint number, values, reasons) of the rows since the last chunk
        for line, row in read_rows(handle, COLUMN_SET):
            report.rows += 1
            values, reasons = validator.validate(row, line)
            number = values["complaint_number"] if values else _number_of(row)
            checked.append((line, number, values, reasons))
            if len(checked) >= CHUNK_ROWS:
                # Not kept in a name: the chunk's rows are let go of once they are handed to
                # the inserter, not held while the next chunk is read.
                writer.write(_good_rows(checked, first_lines, report, validator, writer, adding))
                checked = []
            if progress and report.rows % CHUNK_ROWS == 0:
                writing = not (report.error_count or report.dry_run)
                phase, rows = ("write" if writing else "check"), report.rows
                # Once the connection is free: a chunk may be being written on it right now.
                writer.call_when_idle(lambda phase=phase, rows=rows: progress(phase, rows))
        chunk = _good_rows(checked, first_lines, report, validator, writer, adding)
        report.set_groups(validator.groups)
        if not report.rows:
            report.file_error = _("文件中没有数据行")
        if report.refused:
            raise _Refused
        writer.write(chunk)
    report.created, report.updated, report.unchanged = (
        writer.created,
        writer.updated,
        writer.unchanged,
    )
    report.masked = writer.masked
    report.touched_merchants = writer.touched_merchants - {None}
    if writer.versions is not None:
        report.change = snapshot.Change(
            *writer.versions, updated_ids=writer.updated_ids, added_after=writer.last_id_before
        )


def _good_rows(checked, first_lines, report, validator, writer, adding):
    """The values of the ``checked`` rows to write: none once any row of the file was bad.
    Bad rows, a complaint number repeated from an earlier line among them, go to the report in
    line order."""
    with_numbers = [(line, number) for line, number, _values, _reasons in checked if number]
    repeats = first_lines.repeats(
        [number for _line, number in with_numbers], [line for line, _number in with_numbers]
    )
    chunk = []
    for line, number, values, reasons in checked:
        first = repeats.get(line)
        if first is not None:
            reasons.append(
                _("投诉编号“%(number)s”与第%(line)d行重复") % {"number": number, "line": first}
            )
        if reasons or values is None:
            report.add_error(line, reasons)
        elif not report.error_count:
            if adding and values["category_id"].__class__ is Missing:
                group = validator.groups.find(values["category_id"])
                values["category_id"] = writer.add_reference(ComplaintCategory, group.value)
            chunk.append(values)
    return [] if report.error_count else chunk


def _number_of(row):
    """A bad row's complaint number as the validator reads a good one's: an Excel number cell
    (2026001, 2026001.0) is the same number as the text 2026001."""
    return text(row.get("complaint_number"))


def _finish(report, status):
    batch = report.batch
    batch.status = status
    batch.finished_at = timezone.now()
    batch.rows = report.rows
    batch.created, batch.updated, batch.unchanged = report.created, report.updated, report.unchanged
    batch.error_count = report.error_count
    if report.file_error:
        batch.errors = [{"line": 0, "reason": report.file_error}]
    else:
        batch.errors = report.problem_dicts(BATCH_ERRORS_KEPT)
    batch.masked = dict(report.masked)
    batch.save()
    return report
