"""``manage.py import_merchants FILE [--dry-run]``: register pledge merchants from CSV or XLSX."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from merchants.importing import import_merchants


class Command(BaseCommand):
    help = (
        "从CSV(UTF-8、带BOM的UTF-8或GB18030)或Excel(.xlsx)导入承诺商家及其承诺;"
        "有任何一行出错则整个文件不导入"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 或 XLSX 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="仅检查,不写入")
        parser.add_argument("--user", help="记入审计日志的操作人(用户名)")

    def handle(self, *args, file, dry_run, user, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(
                _("无法读取文件%(file)s:%(error)s") % {"file": file, "error": error.strerror}
            ) from error
        actor = self._user(user) if user else None
        report = import_merchants(data, dry_run=dry_run, user=actor)
        if report.refused:
            raise CommandError("\n".join([report.headline(), *report.error_lines()]))
        headline, *details = report.summary_lines()
        self.stdout.write(self.style.SUCCESS(headline))
        for line in details:
            self.stdout.write(line)

    def _user(self, username):
        model = get_user_model()
        try:
            return model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist as error:
            raise CommandError(_("用户%(name)s不存在") % {"name": username}) from error
