"""``manage.py load_regions FILE``: add or rename 行政区划 from a two-column CSV (代码, 名称)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from merchants.models import Region
from merchants.regions import RegionDataError, load_regions, read_region_rows


class Command(BaseCommand):
    help = "从CSV（行政区划代码， 名称）导入或更新行政区划，可用于湖南以外的省份"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件路径（UTF-8 或 GB18030）")

    def handle(self, *args, file, **options):
        try:
            rows = read_region_rows(file)
        except (OSError, RegionDataError) as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            created, updated = load_regions(Region, rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"行政区划：读取 {len(rows)} 条，新建 {created} 条，更新 {updated} 条"
            )
        )
