"""``manage.py import_disclosures FILE [--dry-run] [--user NAME]``: load disclosed complaints."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from common.import_command import ImportCommand
from disclosures.importing import import_disclosures

# A refused file of a million rows would otherwise print a million lines.
MAX_PRINTED_ERRORS = 200


class Command(ImportCommand):
    help = (
        "从CSV（UTF-8、带BOM的UTF-8或GB18030）或Excel（.xlsx）导入投诉公示信息，按投诉编号新增或更新；"
        "有任何一行出错则整个文件不导入"
    )
    user_help = "记入导入批次的操作人（用户名）"
    max_printed_errors = MAX_PRINTED_ERRORS
    add_missing_help = (
        "文件中的商品或服务类别在后台没有时，随导入一并添加；与导入同进同退，文件未导入则不添加"
    )

    def handle(self, *args, file, dry_run, user, add_missing=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件%(file)s不存在") % {"file": file})
        actor = self.acting_user(user)
        progress = self._progress if options.get("verbosity", 1) >= 2 else None
        self.print_report(
            import_disclosures(
                path, dry_run=dry_run, user=actor, progress=progress, add_missing=add_missing
            )
        )

    def _progress(self, phase, rows):
        label = _("检查") if phase == "check" else _("写入")
        self.stderr.write(_("%(phase)s:%(rows)d行") % {"phase": label, "rows": rows})
