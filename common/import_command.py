"""What the import commands (import_merchants, import_disclosures) share: arguments, the acting
user, and how a report is printed. Each command says how to read its file and run its import."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    user_help = ""  # what --user is recorded as, for the command's help
    max_printed_errors = None  # None: every bad row
    # What --add-missing adds (the names the file uses and the reference data lacks).
    add_missing_help = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 或 XLSX 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="仅检查，不写入")
        parser.add_argument("--user", help=self.user_help)
        parser.add_argument("--add-missing", action="store_true", help=self.add_missing_help)

    def acting_user(self, username):
        if not username:
            return None
        model = get_user_model()
        try:
            return model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist as error:
            raise CommandError(_("用户%(name)s不存在") % {"name": username}) from error

    def print_report(self, report):
        """The summary, or a CommandError listing why the file was refused."""
        if report.refused:
            limit = self.max_printed_errors
            lines = report.error_lines() if limit is None else report.error_lines(limit=limit)
            raise CommandError("\n".join([report.headline(), *lines]))
        headline, *details = report.summary_lines()
        self.stdout.write(self.style.SUCCESS(headline))
        for line in details:
            self.stdout.write(line)
