"""What an import did, or why it was refused, in sentences for the editor."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.import_report import MAX_SHOWN_ERRORS, ImportReportBase, line_where, table_row

from . import additions as reference_additions


@dataclass
class ImportReport(ImportReportBase):
    dry_run: bool = False
    add_missing: bool = False
    rows: int = 0
    merchants: int = 0
    file_error: str = ""
    errors: list = field(default_factory=list)  # RowError, in line order
    unknown: list = field(default_factory=list)  # ValueGroup: one line for all its rows
    additions: list = field(default_factory=list)  # ValueGroup: names the import adds
    error_count: int = 0  # rows with at least one problem
    merchants_created: int = 0
    merchants_updated: int = 0
    merchants_unchanged: int = 0
    pledges_created: int = 0
    pledges_updated: int = 0
    pledges_unchanged: int = 0

    def problems(self):
        """Every bad row and every unknown name (once, with its rows), in line order."""
        entries = [(error.line, error) for error in self.errors]
        entries += [(group.lines[0], group) for group in self.unknown]
        return [entry for _line, entry in sorted(entries, key=lambda pair: pair[0])]

    def error_lines(self):
        """ "第N行：原因" for every problem, or the one problem with the file itself."""
        if self.file_error:
            return [self.file_error]
        return [str(problem) for problem in self.problems()]

    def addition_lines(self):
        verb = _("将") if self.dry_run else ""
        return [
            _("%(verb)s%(what)s：%(where)s")
            % {
                "verb": verb,
                "what": reference_additions.describe(group),
                "where": group.where,
            }
            for group in self.additions
        ]

    def summary_details(self):
        return [
            _("共读取%(rows)d行数据，涉及%(merchants)d家商家。")
            % {"rows": self.rows, "merchants": self.merchants},
            _("商家：新建%(created)d家，更新%(updated)d家，未变化%(unchanged)d家。")
            % {
                "created": self.merchants_created,
                "updated": self.merchants_updated,
                "unchanged": self.merchants_unchanged,
            },
            _("承诺：新建%(created)d条，更新%(updated)d条，未变化%(unchanged)d条。")
            % {
                "created": self.pledges_created,
                "updated": self.pledges_updated,
                "unchanged": self.pledges_unchanged,
            },
            *self.addition_lines(),
        ]

    def problem_rows(self):
        rows = []
        for problem in self.problems():
            if hasattr(problem, "where"):
                rows.append(table_row("unknown", problem.where, problem.reason))
            else:
                rows.append(table_row("error", line_where(problem.line), problem.reason))
        return rows

    def result_rows(self):
        verb = _("将") if self.dry_run else ""
        added = [
            table_row("added", group.where, verb + reference_additions.describe(group))
            for group in self.additions
        ]
        summary = self.summary_details()[: -len(self.additions) or None]
        return added + [table_row("result", "", line) for line in summary]

    def outcome(self):
        """Every problem, the first ``MAX_SHOWN_ERRORS`` of them listed, or what was done."""
        lines = self.error_lines()
        if len(lines) > MAX_SHOWN_ERRORS:
            more = len(lines) - MAX_SHOWN_ERRORS
            lines = [*lines[:MAX_SHOWN_ERRORS], _("另有%(count)d处错误未列出") % {"count": more}]
        return super().outcome(error_lines=lines, summary_lines=self.summary_lines())

    def record_plan(self, plan):
        self.merchants_created = plan.count("create")
        self.merchants_updated = plan.count("update")
        self.merchants_unchanged = plan.count("unchanged")
        self.pledges_created = plan.pledges_created
        self.pledges_updated = plan.pledges_updated
        self.pledges_unchanged = plan.pledges_unchanged
