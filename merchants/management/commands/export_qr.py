"""``manage.py export_qr --region CODE --out DIR``: QR PNG + SVG per merchant and index.csv."""

from django.core.management.base import BaseCommand, CommandError

from merchants import qr_export
from merchants.models import BusinessDistrict, Region


class Command(BaseCommand):
    help = "批量导出一个行政区划或商圈内商家的二维码（每户PNG和SVG各一个，另附index.csv）"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="行政区划代码（省、市或县级，如 430100、430104）")
        parser.add_argument("--district", type=int, help="商圈/街区/市场的编号")
        parser.add_argument("--out", required=True, help="输出目录（不存在时自动创建）")
        parser.add_argument("--workers", type=int, help="并行进程数，默认等于CPU核数")

    def handle(self, *args, region, district, out, workers, **options):
        if not region and not district:
            raise CommandError("请用 --region 或 --district 指定导出范围")
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"没有行政区划代码 {region}")
        if district and not BusinessDistrict.objects.filter(pk=district).exists():
            raise CommandError(f"没有编号为 {district} 的商圈/街区/市场")
        if workers is not None and workers < 1:
            raise CommandError("--workers 至少为1")
        result = qr_export.export(out, region=region, district=district, workers=workers)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {result.count} 户商家的二维码到 {result.out_dir}，"
                f"用时 {result.seconds:.1f} 秒，每秒 {result.per_second:.0f} 个"
            )
        )
