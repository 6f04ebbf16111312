"""``manage.py sync_disclosures --since 2h``: the scheduled catch-up of the Elasticsearch index.

Writes every record changed since the given time to the index as the database has it now
(versions make a repeated write harmless), then deletes the documents past their display date.
Run from cron more often than ``--since`` reaches back, so that a sync that failed (the cluster
down during an editor's withdrawal) is repaired within the hour; see the README.
"""

import datetime
import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from disclosures.models import Disclosure

SPAN = re.compile(r"^(\d+)\s*([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_since(text, now=None):
    """ "2h", "30m", "1d", "90s", an ISO date or date and time (local time unless it says)."""
    text = text.strip()
    if match := SPAN.match(text.lower()):
        amount, unit = match.groups()
        return (now or timezone.now()) - datetime.timedelta(**{UNITS[unit]: int(amount)})
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None and (day := _date(text)) is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise CommandError(
            f"--since 无法识别“{text}”：请写时长（如 2h、30m、1d）或时间（如 2026-11-26T08:00）"
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _date(text):
    try:
        return parse_date(text)
    except ValueError:
        return None


class Command(BaseCommand):
    help = "把指定时间以来变更的投诉公示记录补写到 Elasticsearch 索引，并删除已过公示期的文档"

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            required=True,
            help="补写此后变更的记录：时长（2h、30m、1d）或时间（2026-11-26T08:00）",
        )

    def handle(self, *args, since, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("未配置 ELASTICSEARCH_URL，投诉公示检索使用数据库，无需同步索引")
        moment = parse_since(since)
        from disclosures.engines import elastic

        changed = Disclosure.objects.filter(updated_at__gte=moment).values_list("pk", flat=True)
        try:
            report = elastic.index_disclosures(changed.iterator(chunk_size=elastic.SYNC_CHUNK))
            purged = 0 if report.skipped else elastic.purge_expired()
        except elastic.ENGINE_ERRORS as error:
            raise CommandError(f"无法连接或写入 Elasticsearch：{error}") from error
        if report.skipped:
            raise CommandError("Elasticsearch 索引尚未建立，请先运行 reindex_disclosures")
        local = timezone.localtime(moment)
        self.stdout.write(
            f"{local:%Y-%m-%d %H:%M:%S} 以来变更的记录：写入 {report.indexed} 条，"
            f"删除 {report.deleted} 条，"
            f"跳过较旧的写入 {report.conflicts} 条；删除已过公示期的文档 {purged} 条"
        )
