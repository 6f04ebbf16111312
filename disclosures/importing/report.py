"""What a disclosure import did, or why it was refused, in sentences for the editor.

A reason may quote what the file holds (投诉日期“我叫张三丰电话13812345678”无法识别), and the
reasons are kept in ``ImportBatch.errors`` and shown in the admin: every reason and file error
is scrubbed like complaint text before it is kept.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.import_cells import RowError
from common.import_report import MAX_SHOWN_ERRORS, ImportReportBase

from ..scrubbing import describe_counts, scrub

# Errors kept in memory and shown: a refused file of a million bad rows must not become a
# million-line page. The count of bad rows is always exact.
MAX_KEPT_ERRORS = 1000


@dataclass
class ImportReport(ImportReportBase):
    dry_run: bool = False
    file_name: str = ""
    batch: object = None  # the ImportBatch that records this run
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    _file_error: str = field(default="", repr=False)  # ``file_error``, masked
    errors: list = field(default_factory=list)  # the first RowErrors, in line order
    error_count: int = 0  # rows with at least one problem
    masked: Counter = field(default_factory=Counter)
    touched_merchants: set = field(default_factory=set)  # ids of merchants whose records changed

    @property
    def file_error(self):
        return self._file_error

    @file_error.setter
    def file_error(self, message):
        # However it is set, it is kept masked: it may quote a header cell.
        self._file_error = scrub(message).text if message else ""

    def add_error(self, line, reasons):
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(RowError(line, scrub(";".join(reasons)).text))

    def error_lines(self, limit=None):
        """ "第N行:原因" for each bad row (the first ``limit``), or the problem with the file."""
        if self.file_error:
            return [self.file_error]
        shown = self.errors if limit is None else self.errors[:limit]
        lines = [str(error) for error in shown]
        if self.error_count > len(shown):
            lines.append(_("另有%(count)d行错误") % {"count": self.error_count - len(shown)})
        return lines

    def outcome(self):
        """The counts, and the first ``MAX_SHOWN_ERRORS`` bad rows from the batch record, as
        stored: the page shows no more of a cell's content than the audit record keeps."""
        batch = self.batch
        errors = [] if self.file_error else list(batch.errors if batch else [])
        return super().outcome(
            error_count=self.error_count,
            errors=errors[:MAX_SHOWN_ERRORS],
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            masked_description=self.masked_description(),
            batch=batch.pk if batch else None,
        )

    def masked_description(self):
        return describe_counts(self.masked) or _("未发现需要脱敏的个人信息")

    def summary_details(self):
        return [
            _("共读取%(rows)d行数据:新增%(created)d条,更新%(updated)d条,未变化%(unchanged)d条。")
            % {
                "rows": self.rows,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            },
            _("投诉内容摘要和消费者诉求中已脱敏:%(masked)s。")
            % {"masked": self.masked_description()},
        ]
