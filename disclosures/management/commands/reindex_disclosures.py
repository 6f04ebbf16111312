"""``manage.py reindex_disclosures``: rebuild the Elasticsearch index and swap the alias to it."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "重建投诉公示的 Elasticsearch 索引：写入新索引后原子切换别名，再删除旧索引"

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk", type=int, default=2000, help="每批从数据库读取并写入的记录数（默认2000）"
        )

    def handle(self, *args, chunk, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("未配置 ELASTICSEARCH_URL，投诉公示检索使用数据库，无需重建索引")
        if chunk < 1:
            raise CommandError("--chunk 至少为1")
        from disclosures.engines import elastic

        started = time.monotonic()
        try:
            report = elastic.rebuild(chunk=chunk)
        except elastic.ENGINE_ERRORS as error:
            raise CommandError(f"无法连接或写入 Elasticsearch:{error}") from error
        seconds = time.monotonic() - started
        self.stdout.write(f"新索引 {report.index}：已写入 {report.indexed} 条公示记录")
        previous = "、".join(report.previous) if report.previous else "无（首次建立）"
        self.stdout.write(f"别名 {report.alias} 已切换到 {report.index}，原索引：{previous}")
        if report.previous:
            self.stdout.write(f"已删除旧索引 {len(report.previous)} 个")
        self.stdout.write(self.style.SUCCESS(f"重建完成，用时 {seconds:.1f} 秒"))
