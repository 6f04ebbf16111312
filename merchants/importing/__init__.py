"""Importing pledge merchants from a CSV or XLSX list: read, validate everything, then write.

A file with any bad row is refused whole, so an editor never has to work out which half of a
list went in. With ``add_missing`` the categories and districts the file names and the registry
lacks are added in the same transaction as the merchants (``additions``): a failure adds
nothing. Used by ``manage.py import_merchants`` and the admin upload page.
"""

import io

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.tabular import TabularFileError, read_rows

from . import additions, writer
from .columns import COLUMN_SET
from .report import ImportReport
from .standing import refuse_standing_changes
from .validation import validate_rows

ImportFileError = TabularFileError

__all__ = ["ImportFileError", "ImportReport", "import_merchants"]


def import_merchants(data, *, dry_run=False, user=None, add_missing=False):
    """Import a file's bytes; ``report.refused`` means nothing was written."""
    report = ImportReport(dry_run=dry_run, add_missing=add_missing)
    try:
        result = validate_rows(read_rows(io.BytesIO(data), COLUMN_SET), add_missing=add_missing)
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    report.rows, report.merchants = result.rows, len(result.records)
    report.additions = result.additions
    if result.error_count:
        report.errors, report.unknown = result.errors, result.unknown
        report.error_count = result.error_count
        return report
    if not result.rows:
        report.file_error = _("文件中没有数据行")
        return report
    if dry_run:
        plan = writer.plan(result.records)
        if not refuse_standing_changes(report, plan, user):
            report.record_plan(plan)
        return report
    try:
        with transaction.atomic():
            additions.resolve(result.records, additions.add(result.additions))
            plan = writer.plan(result.records)
            if refuse_standing_changes(report, plan, user):
                transaction.set_rollback(True)  # nothing written, not even the names added
                return report
            writer.apply(plan, user=user)
    except IntegrityError:
        # Only when someone else registered one of these credit codes while we were writing.
        report.file_error = _("导入时有其他人同时登记了其中的商家，本次未写入任何数据，请重新导入")
        return report
    report.record_plan(plan)
    return report
