"""``manage.py send_list_notices --period 2026-Q3``: notify the merchants on the period's black
list drafts (``lists.notices``); sending again never texts anyone twice."""

from django.core.management.base import BaseCommand, CommandError

from lists.models import ListPage, ListRule
from lists.notices import send_notices
from lists.period import PeriodError, Quarter


class Command(BaseCommand):
    help = "向某一季度黑榜草稿中已登记联系电话的经营者发送上榜告知短信，开始异议期。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="季度，如 2026-Q3")

    def handle(self, *args, period, **options):
        try:
            quarter = Quarter.parse(period)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        pages = ListPage.objects.filter(period=str(quarter), kind=ListRule.Kind.BLACK)
        if not pages.exists():
            self.stdout.write("该季度没有黑榜，请先运行 draft_lists。")
        for page in pages.order_by("region_code", "pk"):
            result = send_notices(page)
            self.stdout.write(
                f"{page.title}：已发送{result.sent}条告知，{result.no_contact}家无登记联系方式，"
                f"{result.already}家此前已告知，{result.failed}条发送失败。"
            )
