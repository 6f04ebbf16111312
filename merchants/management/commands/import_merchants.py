"""``manage.py import_merchants FILE [--dry-run]``: register pledge merchants from CSV or XLSX."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from common.import_command import ImportCommand
from common.tabular import check_file_size
from merchants.importing import ImportFileError, import_merchants


class Command(ImportCommand):
    help = (
        "从CSV（UTF-8、带BOM的UTF-8或GB18030）或Excel（.xlsx）导入承诺商家及其承诺；"
        "有任何一行出错则整个文件不导入"
    )
    user_help = "记入审计日志的操作人（用户名）"
    add_missing_help = (
        "文件中的行业类别、所属商圈在后台没有时，随导入一并添加（商圈按该行的行政区划）；"
        "与导入在同一事务中，文件未导入则不添加"
    )

    def handle(self, *args, file, dry_run, user, add_missing=False, **options):
        try:
            # A list is read whole: one over the size limit is refused before it is read.
            check_file_size(file)
            data = Path(file).read_bytes()
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("无法读取文件%(file)s:%(error)s") % {"file": file, "error": error.strerror}
            ) from error
        actor = self.acting_user(user)
        self.print_report(
            import_merchants(data, dry_run=dry_run, user=actor, add_missing=add_missing)
        )
