"""The 12315 statistics' categories, problem types and handling results; editable afterwards."""

from django.db import migrations

GOODS = [
    "一般食品",
    "服装鞋帽",
    "家居用品",
    "交通工具",
    "家用电器",
    "通讯器材",
    "药械妆",
    "首饰及珠宝",
    "烟酒和饮料",
    "农用生产资料",
]
SERVICES = [
    "餐饮住宿",
    "教育培训",
    "美容美发洗浴",
    "文化娱乐体育",
    "物业服务",
    "装修建材服务",
    "旅游服务",
    "互联网服务",
    "电信服务",
    "维修服务",
    "健身服务",
    "医疗服务",
]
PROBLEM_TYPES = [
    "售后服务",
    "质量",
    "合同",
    "虚假宣传",
    "价格",
    "安全",
    "假冒",
    "人格尊严",
    "计量",
    "其他",
]
# (name, counts as mediation success, counts in the rate's denominator)
RESULTS = [
    ("调解成功", True, True),
    ("调解不成功", False, True),
    ("终止调解", False, True),
    ("不予受理", False, False),
    ("撤诉", False, False),
]


def load(apps, schema_editor):
    Category = apps.get_model("disclosures", "ComplaintCategory")
    ProblemType = apps.get_model("disclosures", "ProblemType")
    Result = apps.get_model("disclosures", "HandlingResult")
    order = 0
    for kind, names in (("goods", GOODS), ("service", SERVICES)):
        for name in names:
            order += 10
            Category.objects.get_or_create(name=name, defaults={"kind": kind, "sort_order": order})
    for index, name in enumerate(PROBLEM_TYPES, start=1):
        ProblemType.objects.get_or_create(name=name, defaults={"sort_order": index * 10})
    for index, (name, success, mediated) in enumerate(RESULTS, start=1):
        Result.objects.get_or_create(
            name=name,
            defaults={
                "is_mediation_success": success,
                "counts_as_mediated": mediated,
                "sort_order": index * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
