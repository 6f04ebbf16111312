"""``manage.py reindex_disclosures``: rebuild the Elasticsearch index and swap the alias to it.

Prints its progress while loading (records done of the total, the rate and the time left), at
most every ``PROGRESS_EVERY`` seconds. One rebuild at a time: a second is refused.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PROGRESS_EVERY = 10.0  # seconds between two progress lines


def duration(seconds):
    """A duration in words: 1小时5分, 3分20秒, 12秒."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分"
    if minutes:
        return f"{minutes}分{seconds}秒"
    return f"{seconds}秒"


class Progress:
    """The progress line of a load, printed at most every ``every`` seconds and at the end."""

    def __init__(self, write, every=PROGRESS_EVERY, clock=time.monotonic):
        self.write, self.every, self.clock = write, every, clock
        self.started = clock()
        self.printed = None

    def __call__(self, done, total):
        total = max(total, done)  # records added while loading are loaded too
        now = self.clock()
        if done < total and self.printed is not None and now - self.printed < self.every:
            return
        if done < total and self.printed is None and now - self.started < self.every:
            return
        self.printed = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        share = done * 100 / total if total else 100
        left = (total - done) / rate if rate else 0
        self.write(
            f"已写入 {done:,}/{total:,} 条（{share:.1f}%），每秒 {rate:,.0f} 条，"
            f"预计还需 {duration(left)}"
        )


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
        from disclosures.engines.rebuild_lock import RebuildBusy

        started = time.monotonic()
        try:
            report = elastic.rebuild(chunk=chunk, progress=Progress(self.stdout.write))
        except RebuildBusy as error:
            raise CommandError("另一个索引重建正在进行，请等它完成后再运行") from error
        except elastic.ENGINE_ERRORS as error:
            raise CommandError(
                f"无法连接或写入 Elasticsearch，新索引已删除，检索仍使用原索引：{error}"
            ) from error
        seconds = time.monotonic() - started
        self.stdout.write(f"新索引 {report.index}：已写入 {report.indexed} 条公示记录")
        if report.resynced:
            self.stdout.write(f"重建期间变更的记录 {report.resynced} 条已补写")
        previous = "、".join(report.previous) if report.previous else "无（首次建立）"
        self.stdout.write(f"别名 {report.alias} 已切换到 {report.index}，原索引：{previous}")
        deleted = [old for old in report.previous if old not in report.left_behind]
        if deleted:
            self.stdout.write(f"已删除旧索引 {len(deleted)} 个")
        for old in report.left_behind:
            self.stderr.write(f"旧索引 {old} 未能删除，请手动删除")
        self.stdout.write(self.style.SUCCESS(f"重建完成，用时 {duration(seconds)}"))
