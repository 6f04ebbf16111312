"""``manage.py remove_complaint_personal_data``: remove the complainant's name, phone and photos
from complaints that ended longer ago than the policy keeps them (cron, daily)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from complaints.management.commands.complaint_deadlines import parse_now
from complaints.models import HandlingPolicy
from complaints.retention import remove_due


class Command(BaseCommand):
    help = "删除已办结（不予受理、已合并、已回访）且超过保存期限的投诉中的投诉人姓名、手机号和照片"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时间计算（测试用，如 2029-10-08T03:00）")
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的投诉，不删除")

    def handle(self, *args, now=None, dry_run=False, **options):
        now = parse_now(now) if now else timezone.now()
        days = HandlingPolicy.load().personal_data_retention_days
        started = time.monotonic()
        summary = remove_due(now, dry_run=dry_run)
        seconds = time.monotonic() - started
        if dry_run:
            self.stdout.write(
                f"试运行：保存期限 {days} 天，将删除 {summary.complaints} 件投诉的投诉人个人信息"
                f"（照片 {summary.photos} 张）；未删除。"
            )
            return
        self.stdout.write(
            f"保存期限 {days} 天：已删除 {summary.complaints} 件投诉的投诉人姓名、手机号，"
            f"照片 {summary.photos} 张。"
        )
        if summary.missing_files:
            self.stdout.write(f"其中 {summary.missing_files} 个照片文件此前已不存在。")
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {seconds:.2f} 秒"))
