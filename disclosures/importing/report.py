"""What a disclosure import did, or why it was refused, in sentences for the editor.

A reason may quote what the file holds (投诉日期“我叫张三丰电话13812345678”无法识别), and the
reasons are kept in ``ImportBatch.errors`` and shown in the admin: every reason and file error
is scrubbed like complaint text before it is kept.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.import_cells import RowError
from common.import_report import MAX_SHOWN_ERRORS, ImportReportBase, line_where, table_row

from ..scrubbing import describe_counts, scrub

# Errors kept in memory and shown: a refused file of a million bad rows must not become a
# million-line page. The count of bad rows is always exact.
MAX_KEPT_ERRORS = 1000


@dataclass
class ImportReport(ImportReportBase):
    dry_run: bool = False
    add_missing: bool = False
    file_name: str = ""
    batch: object = None  # the ImportBatch that records this run
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    _file_error: str = field(default="", repr=False)  # ``file_error``, masked
    errors: list = field(default_factory=list)  # the first RowErrors, in line order
    error_count: int = 0  # rows with at least one problem
    unknown: list = field(default_factory=list)  # ValueGroup: one line for all its rows
    additions: list = field(default_factory=list)  # ValueGroup: names the import adds
    masked: Counter = field(default_factory=Counter)
    touched_merchants: set = field(default_factory=set)  # ids of merchants whose records changed
    change: object = None  # snapshot.Change: the data versions and the records updated

    @property
    def file_error(self):
        return self._file_error

    @file_error.setter
    def file_error(self, message):
        # However it is set, it is kept masked: it may quote a header cell.
        self._file_error = scrub(message).text if message else ""

    def add_error(self, line, reasons):
        """Count a bad row; list its reasons (none when its only problem is an unknown name,
        which ``unknown`` lists once for all its rows)."""
        self.error_count += 1
        if reasons and len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(RowError(line, scrub("；".join(reasons)).text))

    def set_groups(self, groups):
        """The file's unknown names: added ones (``add_missing``) apart, reasons masked."""
        for group in groups:
            group.reason = scrub(group.reason).text
            group.value = scrub(group.value).text
            (self.additions if group.addable and self.add_missing else self.unknown).append(group)

    def problems(self):
        """Bad rows and unknown names (once each, with their rows), in line order."""
        entries = [(error.line, error) for error in self.errors]
        entries += [(group.lines[0], group) for group in self.unknown]
        return [entry for _line, entry in sorted(entries, key=lambda pair: pair[0])]

    def problem_dicts(self, limit):
        """What the batch keeps: ``{"line", "reason"}``, and ``where`` and ``rows`` for a name."""
        return [problem.as_dict() for problem in self.problems()[:limit]]

    def error_lines(self, limit=None):
        """ "第N行：原因" for each bad row and unknown name (the first ``limit``), or the
        problem with the file."""
        if self.file_error:
            return [self.file_error]
        problems = self.problems()
        shown = problems if limit is None else problems[:limit]
        lines = [str(problem) for problem in shown]
        covered = sum(getattr(problem, "count", 1) for problem in shown)
        if self.error_count > covered:
            lines.append(_("另有%(count)d行错误") % {"count": self.error_count - covered})
        return lines

    def addition_text(self, group):
        """将新增商品或服务类别“水果” (a check), 新增…… (an import)."""
        verb = _("将") if self.dry_run else ""
        return _("%(verb)s新增商品或服务类别“%(name)s”") % {"verb": verb, "name": group.value}

    def addition_lines(self):
        return [
            _("%(what)s：%(where)s") % {"what": self.addition_text(group), "where": group.where}
            for group in self.additions
        ]

    def outcome(self):
        """The counts, and the first ``MAX_SHOWN_ERRORS`` bad rows from the batch record, as
        stored: the page shows no more of a cell's content than the audit record keeps."""
        batch = self.batch
        errors = (
            [] if self.file_error else list(batch.errors if batch else self.problem_dicts(None))
        )
        return super().outcome(
            error_count=self.error_count,
            errors=errors[:MAX_SHOWN_ERRORS],
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            masked_description=self.masked_description(),
            summary_lines=self.summary_lines(),
            batch=batch.pk if batch else None,
        )

    def masked_description(self):
        return describe_counts(self.masked) or _("未发现需要脱敏的个人信息")

    def summary_details(self):
        return [
            _("共读取%(rows)d行数据：新增%(created)d条，更新%(updated)d条，未变化%(unchanged)d条。")
            % {
                "rows": self.rows,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            },
            _("投诉内容摘要和消费者诉求中已脱敏：%(masked)s。")
            % {"masked": self.masked_description()},
            *self.addition_lines(),
        ]

    def kept_problems(self):
        """The problems as the batch keeps them (masked, the first few hundred)."""
        return list(self.batch.errors) if self.batch else self.problem_dicts(None)

    def problem_rows(self):
        rows = []
        for problem in self.kept_problems():
            if "where" in problem:
                rows.append(table_row("unknown", problem["where"], problem["reason"]))
            else:
                rows.append(table_row("error", line_where(problem["line"]), problem["reason"]))
        return rows

    def result_rows(self):
        added = [
            table_row("added", group.where, self.addition_text(group)) for group in self.additions
        ]
        details = self.summary_details()
        summary = details[: len(details) - len(self.additions)]
        return added + [table_row("result", "", line) for line in summary]

    def table(self):
        table = super().table()
        if table and self.refused:
            shown = self.kept_problems()[: len(table["rows"])]
            covered = sum(problem.get("rows", 1) for problem in shown)
            table["more"] = max(0, self.error_count - covered)
        return table
