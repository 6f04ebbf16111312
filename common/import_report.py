"""What the reports of both imports (merchants, complaint disclosures) say alike.

An app's report is a dataclass of its own counts and sentences; ``ImportReportBase`` gives it
the headline an editor reads first (on the upload page and in the command's output) with the
app's sentences under it, whether the file was refused, and the part of the upload page's
outcome every import has: one table (``common/admin/import_table.html``) that lists a refused
file's bad rows and unknown names, or what an import or a check did or would do.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The first column of the outcome table: what a row of it is about.
KINDS = {
    "error": gettext_lazy("错误"),
    "unknown": gettext_lazy("名称不存在"),
    "added": gettext_lazy("新增名称"),
    "result": gettext_lazy("结果"),
}


def table_row(kind, where, text):
    """One row of the outcome table: its kind (``KINDS``), the file's rows, what it says."""
    return {"kind": kind, "label": str(KINDS[kind]), "where": where, "text": text}


def line_where(line):
    return _("第%(line)d行") % {"line": line}


# An upload page lists this many bad rows: a refused file of a million rows is not a page of a
# million lines (the count of bad rows is always exact).
MAX_SHOWN_ERRORS = 500


class ImportReportBase:
    """Mixed into an app's report, which has ``dry_run``, ``rows`` and ``file_error``, says in
    ``error_count`` how many rows have at least one problem, and in ``summary_details()`` what
    an import that was not refused did or would do."""

    @property
    def refused(self):
        """Nothing was written: the file could not be read, or a row was bad."""
        return bool(self.file_error or self.error_count)

    def headline(self):
        if self.file_error:
            return _("文件无法导入，未写入任何数据。")
        if self.error_count:
            return _(
                "文件中有%(count)d行存在问题，整个文件未导入，未写入任何数据。请修改后重新导入。"
            ) % {"count": self.error_count}
        if self.dry_run:
            return _("检查通过（仅检查，未写入任何数据）。正式导入将：")
        return _("导入完成。")

    def summary_lines(self):
        """The headline, and under it what the import did or would do (unless refused)."""
        if self.refused:
            return [self.headline()]
        return [self.headline(), *self.summary_details()]

    def summary_details(self):
        return []

    def problem_rows(self):
        """The outcome table of a refused file: ``table_row``s in line order."""
        return []

    def result_rows(self):
        """The outcome table of an import or a check: names added, then the summary."""
        return [table_row("result", "", line) for line in self.summary_details()]

    def table(self):
        """The outcome table (None when the file itself could not be read)."""
        if self.file_error:
            return None
        if self.refused:
            rows = self.problem_rows()
            caption = _("有问题的行（共%(count)d行）") % {"count": self.error_count}
        else:
            rows = self.result_rows()
            caption = _("检查结果（未写入任何数据）") if self.dry_run else _("导入结果")
        shown = rows[:MAX_SHOWN_ERRORS]
        return {"caption": caption, "rows": shown, "more": len(rows) - len(shown)}

    def outcome(self, **details):
        """What the upload page shows of the import, kept on its job once the file is gone: what
        every app's page reads (``common/admin/import.html``), then the app's ``details``."""
        return {
            "refused": self.refused,
            "headline": self.headline(),
            "file_error": self.file_error,
            "rows": self.rows,
            "table": self.table(),
            **details,
        }
