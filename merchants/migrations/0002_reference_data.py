"""Reference data every deployment starts with: Hunan's regions, pledge types, categories.

All three stay editable: another province's regions load with ``manage.py load_regions``, and
editors add pledge types and categories in the admin (片段 → 商家分类).
"""

from django.db import migrations

PLEDGE_TYPES = [
    (
        "放心消费承诺",
        "商家公开承诺质量安全放心、交易公平放心、经营管理放心、服务承诺放心、消费维权放心。",
        False,
    ),
    (
        "线下无理由退货承诺",
        "在实体店购买的商品，在承诺的期限内、商品完好的情况下，不需要说明理由即可退货。",
        True,
    ),
    (
        "快速响应双承诺",
        "接到消费者诉求后45分钟内答复、90分钟内到达现场处理。",
        False,
    ),
]

CATEGORIES = [
    "商场超市",
    "餐饮住宿",
    "服装鞋帽",
    "家用电器",
    "通讯器材",
    "珠宝首饰",
    "家居建材",
    "汽车销售及维修",
    "美容美发",
    "教育培训",
    "文化娱乐体育",
    "药品医疗器械",
    "食品销售",
    "旅游服务",
    "其他",
]


def load(apps, schema_editor):
    from merchants.regions import HUNAN_CSV, load_regions, read_region_rows

    Region = apps.get_model("merchants", "Region")
    PledgeType = apps.get_model("merchants", "PledgeType")
    BusinessCategory = apps.get_model("merchants", "BusinessCategory")
    load_regions(Region, read_region_rows(HUNAN_CSV))
    for order, (name, description, is_return) in enumerate(PLEDGE_TYPES, start=1):
        PledgeType.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "is_return_pledge": is_return,
                "sort_order": order * 10,
            },
        )
    for order, name in enumerate(CATEGORIES, start=1):
        BusinessCategory.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("merchants", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
