"""``manage.py import_disclosures FILE [--dry-run] [--user NAME]``: load disclosed complaints."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from disclosures.importing import import_disclosures

# A refused file of a million rows would otherwise print a million lines.
MAX_PRINTED_ERRORS = 200


class Command(BaseCommand):
    help = (
        "从CSV(UTF-8、带BOM的UTF-8或GB18030)或Excel(.xlsx)导入投诉公示信息,按投诉编号新增或更新;"
        "有任何一行出错则整个文件不导入"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 或 XLSX 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="仅检查,不写入")
        parser.add_argument("--user", help="记入导入批次的操作人(用户名)")

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件%(file)s不存在") % {"file": file})
        actor = self._user(user) if user else None
        progress = self._progress if options.get("verbosity", 1) >= 2 else None
        report = import_disclosures(path, dry_run=dry_run, user=actor, progress=progress)
        if report.refused:
            raise CommandError(
                "\n".join([report.headline(), *report.error_lines(limit=MAX_PRINTED_ERRORS)])
            )
        headline, *details = report.summary_lines()
        self.stdout.write(self.style.SUCCESS(headline))
        for line in details:
            self.stdout.write(line)

    def _progress(self, phase, rows):
        label = _("检查") if phase == "check" else _("写入")
        self.stderr.write(_("%(phase)s:%(rows)d行") % {"phase": label, "rows": rows})

    def _user(self, username):
        model = get_user_model()
        try:
            return model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist as error:
            raise CommandError(_("用户%(name)s不存在") % {"name": username}) from error
