"""``manage.py draft_lists --period 2026-Q3``: every active rule's lists as draft pages."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from lists.drafting import draft
from lists.period import PeriodError, Quarter


class Command(BaseCommand):
    help = "按启用的红黑榜规则计算某一季度的榜单，写成待审核的草稿页面。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="季度，如 2026-Q3")

    def handle(self, *args, period, **options):
        try:
            quarter = Quarter.parse(period)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        results = draft(quarter)
        if not results:
            self.stdout.write("没有启用的红黑榜规则，未生成榜单。")
        base = settings.PORTAL_BASE_URL.rstrip("/")
        for page, created in results:
            action = "已新建草稿" if created else "已更新草稿"
            address = base + reverse("wagtailadmin_pages:edit", args=[page.id])
            count = len(page.entries.all())
            self.stdout.write(f"{action}：{page.title}（{count}家）{address}")
