"""What an import did, or why it was refused, in sentences for the editor."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class ImportReport:
    dry_run: bool = False
    rows: int = 0
    merchants: int = 0
    file_error: str = ""
    errors: list = field(default_factory=list)  # RowError, in line order
    merchants_created: int = 0
    merchants_updated: int = 0
    merchants_unchanged: int = 0
    pledges_created: int = 0
    pledges_updated: int = 0
    pledges_unchanged: int = 0

    @property
    def refused(self):
        return bool(self.file_error or self.errors)

    @property
    def bad_lines(self):
        return sorted({error.line for error in self.errors})

    def error_lines(self):
        """ "第N行:原因" for every problem, or the one problem with the file itself."""
        if self.file_error:
            return [self.file_error]
        return [str(error) for error in self.errors]

    def headline(self):
        if self.file_error:
            return _("文件无法导入,未写入任何数据。")
        if self.errors:
            return _(
                "文件中有%(count)d行存在问题,整个文件未导入,未写入任何数据。请修改后重新导入。"
            ) % {"count": len(self.bad_lines)}
        if self.dry_run:
            return _("检查通过(仅检查,未写入任何数据)。正式导入将:")
        return _("导入完成。")

    def summary_lines(self):
        if self.refused:
            return [self.headline()]
        return [
            self.headline(),
            _("共读取%(rows)d行数据,涉及%(merchants)d家商家。")
            % {"rows": self.rows, "merchants": self.merchants},
            _("商家:新建%(created)d家,更新%(updated)d家,未变化%(unchanged)d家。")
            % {
                "created": self.merchants_created,
                "updated": self.merchants_updated,
                "unchanged": self.merchants_unchanged,
            },
            _("承诺:新建%(created)d条,更新%(updated)d条,未变化%(unchanged)d条。")
            % {
                "created": self.pledges_created,
                "updated": self.pledges_updated,
                "unchanged": self.pledges_unchanged,
            },
        ]

    def record_plan(self, plan):
        self.merchants_created = plan.count("create")
        self.merchants_updated = plan.count("update")
        self.merchants_unchanged = plan.count("unchanged")
        self.pledges_created = plan.pledges_created
        self.pledges_updated = plan.pledges_updated
        self.pledges_unchanged = plan.pledges_unchanged
