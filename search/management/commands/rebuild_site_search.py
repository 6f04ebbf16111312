from django.core.management.base import BaseCommand

from search.indexing import rebuild_index


class Command(BaseCommand):
    help = "重建站内搜索索引（所有已发布的公开页面）"

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"已索引 {count} 个页面"))
