"""Complaint disclosures at scale: import N rows, then search them against a plain icontains scan.

Usage: .venv/bin/python bench/disclosures.py [--rows 1000000] [--repeat 15] [--keep]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_fangxin ... (PostgreSQL; its
       disclosure table is emptied first, so name a throw-away database)

In one run: a throw-away SQLite database in a temporary directory (or DATABASE_URL) is
migrated; N realistic rows in the import format (Chinese headers, summaries built from
fragments, some carrying phone numbers and names that the import masks, a few thousand
respondents with valid credit codes across Hunan's counties, three years of dates, results
weighted towards 调解成功) are written to a CSV; the CSV is imported, timing rows/s and peak
memory; then a fixed set of queries runs through ``disclosures.engines.database.search`` with
every facet, and through a plain ``icontains`` implementation of the same query and facets on
the same data. Each query runs ``--repeat`` times, cold: no result is cached between calls.

Targets at 1,000,000 rows on SQLite: import >= 10,000 rows/s with peak memory < 500 MB; every
query's p95 < 100 ms including facets, and >= 10x faster than icontains on common terms.
"""

import argparse
import csv
import datetime
import itertools
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path, and its name would hide the
# ``disclosures`` app: the project root takes its place.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

TARGET_IMPORT_ROWS_PER_S = 10_000
TARGET_PEAK_MB = 500
TARGET_P95_MS = 100.0
TARGET_RATIO = 10.0

HEADERS = [
    "投诉编号",
    "被投诉人名称",
    "统一社会信用代码",
    "行政区划代码",
    "被投诉人地址",
    "商品或服务类别",
    "投诉问题类型",
    "投诉内容摘要",
    "消费者诉求",
    "投诉日期",
    "处理部门",
    "处理结果",
    "办结日期",
    "挽回经济损失(元)",
    "公示日期",
    "公示截止日期",
]

# What a complaint is about, by category: (fragment, problem type). Frequencies follow from
# how often each category and fragment is drawn: 退货 (also in the request 要求退货退款) ends up
# in about a third of the rows, 预付卡 in a tenth, 跑路 in one in twenty: a hard case for facets.
FRAGMENTS = {
    "一般食品": [
        ("购买的食品已过保质期", "质量"),
        ("外卖食品中发现异物", "安全"),
        ("超市标价与结算价格不一致", "价格"),
        ("商品临期却未作提示,要求退货被拒", "售后服务"),
    ],
    "服装鞋帽": [
        ("网购服装与页面描述不符,商家拒绝七日无理由退货", "售后服务"),
        ("鞋子穿了一周开胶,要求退货", "质量"),
        ("直播带货宣传纯棉,实际为化纤面料", "虚假宣传"),
    ],
    "家居用品": [
        ("定制家具尺寸与合同不符", "合同"),
        ("床垫有刺鼻气味,要求退货退款", "质量"),
        ("商场促销活动先涨价后打折", "价格"),
    ],
    "交通工具": [
        ("二手车隐瞒事故记录", "虚假宣传"),
        ("汽车4S店强制搭售保险", "合同"),
        ("电动自行车电池续航与宣传不符", "虚假宣传"),
    ],
    "家用电器": [
        ("空调安装后收取额外材料费", "价格"),
        ("冰箱使用三个月出现故障,要求退货", "质量"),
        ("热水器漏水商家推诿维修", "售后服务"),
    ],
    "通讯器材": [
        ("手机维修后出现新的故障", "售后服务"),
        ("新手机疑似翻新机,要求退货", "假冒"),
        ("网购耳机拒绝七日无理由退货", "售后服务"),
    ],
    "药械妆": [
        ("保健食品宣传能治疗疾病", "虚假宣传"),
        ("化妆品使用后皮肤过敏,要求退货退款", "质量"),
        ("药店销售过期药品", "安全"),
    ],
    "首饰及珠宝": [
        ("黄金饰品克重不足", "计量"),
        ("购买的翡翠手镯疑似假货", "假冒"),
    ],
    "烟酒和饮料": [
        ("购买的白酒疑似假酒", "假冒"),
        ("饮料标注零糖实际含糖", "虚假宣传"),
    ],
    "农用生产资料": [
        ("购买的种子发芽率低", "质量"),
        ("化肥有效成分不足", "质量"),
    ],
    "餐饮住宿": [
        ("餐饮店设置最低消费", "价格"),
        ("酒店预订后无法入住且不退定金", "合同"),
        ("餐厅储值卡即预付卡余额无法使用", "合同"),
    ],
    "教育培训": [
        ("教育培训机构拒绝退还剩余课时费", "合同"),
        ("培训机构办理预付卡后关门跑路", "合同"),
        ("承诺包过的培训课程未兑现", "虚假宣传"),
    ],
    "美容美发洗浴": [
        ("美容院办理预付卡后变更服务项目", "合同"),
        ("理发店强行推销办卡", "人格尊严"),
        ("美容店收取预付卡费用后关门跑路", "合同"),
    ],
    "文化娱乐体育": [
        ("演出临时取消未退票款", "合同"),
        ("游乐场设施存在安全隐患", "安全"),
    ],
    "物业服务": [
        ("物业服务收费不透明", "价格"),
        ("物业公司不履行维修义务", "合同"),
    ],
    "装修建材服务": [
        ("装修公司拖延工期并增加费用", "合同"),
        ("瓷砖色差明显,要求退货", "质量"),
    ],
    "旅游服务": [
        ("旅行社擅自变更行程安排", "合同"),
        ("导游强制游客购物", "人格尊严"),
    ],
    "互联网服务": [
        ("网购商品拒绝七日无理由退货", "售后服务"),
        ("直播带货商品与宣传不符,要求退货", "虚假宣传"),
        ("平台自动续费未提示", "合同"),
    ],
    "电信服务": [
        ("宽带套餐擅自变更", "合同"),
        ("话费扣费不明", "价格"),
    ],
    "维修服务": [
        ("家电维修乱收费", "价格"),
        ("手机维修更换非原装配件", "假冒"),
    ],
    "健身服务": [
        ("健身房收取预付卡费用后关门跑路", "合同"),
        ("健身房预付卡拒绝办理退费", "合同"),
        ("私教课程与宣传不符", "虚假宣传"),
    ],
    "医疗服务": [
        ("医美项目效果与宣传不符", "虚假宣传"),
        ("口腔诊所收费高于公示价格", "价格"),
    ],
}
# Category weights: goods and the usual hot services get most complaints.
CATEGORY_WEIGHTS = {
    "一般食品": 12,
    "服装鞋帽": 10,
    "家居用品": 5,
    "交通工具": 5,
    "家用电器": 6,
    "通讯器材": 6,
    "药械妆": 4,
    "首饰及珠宝": 1,
    "烟酒和饮料": 2,
    "农用生产资料": 1,
    "餐饮住宿": 8,
    "教育培训": 6,
    "美容美发洗浴": 6,
    "文化娱乐体育": 2,
    "物业服务": 3,
    "装修建材服务": 3,
    "旅游服务": 2,
    "互联网服务": 10,
    "电信服务": 3,
    "维修服务": 2,
    "健身服务": 4,
    "医疗服务": 2,
}
CONTEXT = [
    "消费者反映",
    "投诉人称",
    "消费者于{date}在该店消费,",
    "消费者通过网络平台下单,",
    "",
]
# Personal data as people type it; the import masks all of it.
PERSONAL = [
    "本人{name},联系电话{mobile}。",
    "消费者{name}反映,",
    "请回电{mobile}。",
    "我叫{name},身份证号{id_number}。",
]
REQUESTS = [
    "要求退货退款",
    "要求退还剩余费用",
    "要求赔偿损失",
    "要求履行合同约定",
    "要求商家道歉并整改",
    "要求退一赔三",
    "要求维修或更换",
]
# Rare enough to match a few dozen rows in a million.
RARE_FRAGMENT = "潜水培训中心"
RARE_EVERY = 25_000
RESULTS = [("调解成功", 70), ("调解不成功", 12), ("终止调解", 8), ("不予受理", 6), ("撤诉", 4)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红"
BRANDS_A = "湘麓芙岳星福金银华盛恒瑞鑫隆鼎旺佳康乐美悦和丰泰宏润达源"
BRANDS_B = "江南城阳光华辉通利兴发祥顺安新宝富荣昌德胜茂嘉晟鸿凯"
KINDS = {
    "一般食品": "食品商行",
    "服装鞋帽": "服饰有限公司",
    "家居用品": "家居有限公司",
    "交通工具": "汽车销售服务有限公司",
    "家用电器": "电器有限公司",
    "通讯器材": "通讯设备有限公司",
    "药械妆": "大药房有限公司",
    "首饰及珠宝": "珠宝有限公司",
    "烟酒和饮料": "酒业有限公司",
    "农用生产资料": "农资有限公司",
    "餐饮住宿": "餐饮管理有限公司",
    "教育培训": "教育咨询有限公司",
    "美容美发洗浴": "美容美发店",
    "文化娱乐体育": "文化传媒有限公司",
    "物业服务": "物业管理有限公司",
    "装修建材服务": "装饰工程有限公司",
    "旅游服务": "国际旅行社有限公司",
    "互联网服务": "电子商务有限公司",
    "电信服务": "通信服务营业厅",
    "维修服务": "家电维修服务部",
    "健身服务": "健身管理有限公司",
    "医疗服务": "医疗美容门诊部",
}
STREETS = ["麓谷大道", "五一大道", "解放西路", "人民中路", "建设路", "韶山北路", "迎宾路", "中山路"]
# A merchant name the query set looks for (the first respondent's brand is made distinctive).
MERCHANT_BRAND = "麓谷优选"


def hunan_counties():
    from merchants.regions import COUNTY, HUNAN_CSV, level_of, read_region_rows

    rows = read_region_rows(HUNAN_CSV)
    names = {row.code: row.name for row in rows}
    return [
        (row.code, row.name, names[row.code[:4] + "00"])
        for row in rows
        if level_of(row.code) == COUNTY and row.code[:4] + "00" in names
    ]


def make_respondents(rng, count):
    """(name, credit code, county code, county, address, category) of ``count`` businesses."""
    from merchants.credit_code import with_check_character

    counties = hunan_counties()
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    respondents = []
    for serial in range(count):
        code, county, city = rng.choice(counties)
        category = rng.choices(categories, weights)[0]
        brand = MERCHANT_BRAND if serial == 0 else rng.choice(BRANDS_A) + rng.choice(BRANDS_B)
        name = f"{city}{brand}{KINDS[category]}"
        credit = with_check_character(f"91{code}MA4{serial:05d}X")
        address = f"湖南省{city}{county}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
        respondents.append((name, credit, code, county, address, category))
    return respondents


def _person(rng):
    surname = rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    mobile = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
    id_number = f"430104{birth:%Y%m%d}{rng.randint(100, 999)}{rng.choice('0123456789X')}"
    return {"name": surname + given, "mobile": mobile, "id_number": id_number}


def generate_rows(count, seed=20240315, respondent_count=3000, today=None):
    """Rows of the import format, as lists in HEADERS order, streamed."""
    rng = random.Random(seed)
    today = today or datetime.date.today()
    respondents = make_respondents(rng, respondent_count)
    # A few respondents get many complaints, most get a handful (a long tail, as in practice).
    respondent_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.6 for rank in range(respondent_count))
    )
    categories = list(CATEGORY_WEIGHTS)
    category_weights = list(itertools.accumulate(CATEGORY_WEIGHTS.values()))
    results = [name for name, _ in RESULTS]
    result_weights = list(itertools.accumulate(weight for _, weight in RESULTS))
    first_day = today - datetime.timedelta(days=3 * 365)
    span = (today - datetime.timedelta(days=20) - first_day).days
    for serial in range(1, count + 1):
        name, credit, code, county, address, category = rng.choices(
            respondents, cum_weights=respondent_weights
        )[0]
        # One business in ten also gets complaints outside its main line.
        if rng.random() < 0.1:
            category = rng.choices(categories, cum_weights=category_weights)[0]
        fragment, problem = rng.choice(FRAGMENTS[category])
        complained = first_day + datetime.timedelta(days=rng.randint(0, span))
        context = rng.choice(CONTEXT).format(date=f"{complained:%Y年%m月%d日}")
        summary = f"{context}{fragment}。"
        if rng.random() < 0.15:
            summary = rng.choice(PERSONAL).format(**_person(rng)) + summary
        if serial % RARE_EVERY == 0:
            summary += f"另涉及{RARE_FRAGMENT}的收费问题。"
        closed = complained + datetime.timedelta(days=rng.randint(3, 45))
        disclosed = min(closed + datetime.timedelta(days=rng.randint(1, 10)), today)
        # Mostly displayed for three years so that nearly every row is public: the worst case.
        display_days = 3 * 365 + 30 if rng.random() < 0.97 else 180
        result = rng.choices(results, cum_weights=result_weights)[0]
        recovered = rng.choice([0, 0, 50, 128, 299, 680, 1200, 3500]) if result == "调解成功" else 0
        yield [
            f"{complained:%Y%m%d}{code}{serial:08d}",
            name,
            credit,
            code,
            address,
            category,
            problem,
            summary,
            rng.choice(REQUESTS),
            complained.isoformat(),
            f"{county}市场监督管理局",
            result,
            closed.isoformat(),
            f"{recovered:.2f}",
            disclosed.isoformat(),
            (disclosed + datetime.timedelta(days=display_days)).isoformat(),
        ]


def write_csv(path, count, seed=20240315):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(generate_rows(count, seed))


INSERT_COLUMNS = [
    "complaint_number",
    "respondent_name",
    "credit_code",
    "region_id",
    "city_code",
    "province_code",
    "respondent_address",
    "category_id",
    "problem_type_id",
    "summary",
    "consumer_request",
    "complained_on",
    "complained_month",
    "handling_department",
    "result_id",
    "closed_on",
    "recovered_amount",
    "disclosed_on",
    "display_until",
    "objection_state",
    "merchant_id",
    "batch_id",
    "search_tokens",
    "updated_at",
]


# 1,000 rows x 24 columns stays under SQLite's 32,766 parameters and PostgreSQL's 65,535.
ROWS_PER_STATEMENT = 1000


def direct_load(path, batch_size=5000):
    """Stand-in for the importer: stream the CSV, scrub, derive fields, insert in batches.

    Used only when ``disclosures.importing`` is not there. It does what the importer must do
    for valid rows (scrubbing, ``Disclosure.fill_derived_fields``, the merchant link), without
    validation or upsert, through one multi-row INSERT per batch rather than model instances.
    """
    from types import SimpleNamespace

    from django.db import connection, transaction
    from django.utils import timezone

    from disclosures.models import (
        ComplaintCategory,
        Disclosure,
        HandlingResult,
        ImportBatch,
        ProblemType,
    )
    from disclosures.scrubbing import scrub
    from merchants.models import Merchant

    categories = dict(ComplaintCategory.objects.values_list("name", "id"))
    problems = dict(ProblemType.objects.values_list("name", "id"))
    results = dict(HandlingResult.objects.values_list("name", "id"))
    merchants = dict(Merchant.objects.values_list("credit_code", "id"))
    batch = ImportBatch.objects.create(file_name=Path(path).name)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    insert = f"INSERT INTO {Disclosure._meta.db_table} ({', '.join(INSERT_COLUMNS)}) VALUES "
    values = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    masked = Counter()
    rows = 0

    def day(text):
        return ops.adapt_datefield_value(datetime.date.fromisoformat(text)) if text else None

    def flush(pending):
        # Many rows per statement: SQLite's FTS5 writes its pending tokens out at the end of
        # every statement that fires the index trigger, so one row per statement is 3x slower.
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(pending), ROWS_PER_STATEMENT):
                chunk = pending[start : start + ROWS_PER_STATEMENT]
                sql = insert + ", ".join([values] * len(chunk))
                cursor.execute(sql, [value for row in chunk for value in row])

    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        pending = []
        for row in reader:
            summary, request = scrub(row[7]), scrub(row[8])
            masked.update(summary.counts)
            masked.update(request.counts)
            record = SimpleNamespace(
                region_id=row[3],
                complained_on=datetime.date.fromisoformat(row[9]),
                respondent_name=row[1],
                summary=summary.text,
                consumer_request=request.text,
            )
            Disclosure.fill_derived_fields(record)
            pending.append(
                (
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    record.city_code,
                    record.province_code,
                    row[4],
                    categories[row[5]],
                    problems[row[6]],
                    record.summary,
                    record.consumer_request,
                    day(row[9]),
                    record.complained_month,
                    row[10],
                    results[row[11]],
                    day(row[12]),
                    row[13],
                    day(row[14]),
                    day(row[15]),
                    Disclosure.ObjectionState.NONE,
                    merchants.get(row[2]),
                    batch.pk,
                    record.search_tokens,
                    now,
                )
            )
            if len(pending) == batch_size:
                flush(pending)
                rows += len(pending)
                pending = []
        if pending:
            flush(pending)
            rows += len(pending)
    batch.rows = batch.created = rows
    batch.masked = dict(masked)
    batch.status = ImportBatch.Status.IMPORTED
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def setup_django():
    workdir = Path(tempfile.mkdtemp(prefix="bench-disclosures-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The debug cursor would keep every statement (and its 24,000 parameters) in memory.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE disclosures_disclosure, disclosures_importbatch CASCADE")
    return workdir


def run_import(path):
    """(path used, batch) through the project's importer, or the stand-in while it is missing."""
    try:
        from disclosures.importing import import_disclosures
    except ImportError:
        return "direct_load (stand-in: disclosures.importing not found)", direct_load(path)
    return "disclosures.importing.import_disclosures", import_disclosures(path)


def icontains_search(query, on=None):
    """The same query and facets the plain way: LIKE scans and one GROUP BY per facet."""
    from django.db.models import Count, Q

    from disclosures.engines.database import filtered

    records = filtered(query, on)
    for word in query.q.split():
        records = records.filter(
            Q(summary__icontains=word)
            | Q(consumer_request__icontains=word)
            | Q(respondent_name__icontains=word)
        )
    facets = {}
    for name, column in (
        ("category", "category_id"),
        ("problem_type", "problem_type_id"),
        ("city", "city_code"),
        ("county", "region_id"),
        ("result", "result_id"),
        ("month", "complained_month"),
    ):
        rows = records.order_by().values(column).annotate(n=Count("id"))
        facets[name] = {row[column]: row["n"] for row in rows}
    years = Counter()
    for month, count in facets.pop("month").items():
        years[month // 100] += count
    facets["year"] = dict(years)
    total = sum(facets["category"].values())
    ids = list(records.order_by("-complained_on", "-id").values_list("id", flat=True)[:20])
    return total, ids, facets


def query_set():
    """(label, DisclosureQuery, common term?) of the fixed queries."""
    from disclosures.models import ComplaintCategory, HandlingResult
    from disclosures.search_query import DisclosureQuery

    today = datetime.date.today()
    clothes = ComplaintCategory.objects.get(name="服装鞋帽").pk
    success = HandlingResult.objects.get(name="调解成功").pk
    return [
        ("退货", DisclosureQuery(q="退货"), True),
        ("预付卡", DisclosureQuery(q="预付卡"), True),
        ("跑路", DisclosureQuery(q="跑路"), True),
        ("退货 by relevance", DisclosureQuery(q="退货", sort="relevance"), True),
        (f"rare: {RARE_FRAGMENT[:4]}", DisclosureQuery(q=RARE_FRAGMENT[:4]), False),
        (f"merchant: {MERCHANT_BRAND}", DisclosureQuery(q=MERCHANT_BRAND), False),
        ("退货 + 长沙市", DisclosureQuery(q="退货", region="430100"), False),
        ("长沙市 + 服装鞋帽", DisclosureQuery(region="430100", category=clothes), False),
        (
            "last 90 days + 调解成功",
            DisclosureQuery(date_from=today - datetime.timedelta(days=90), result=success),
            False,
        ),
    ]


def timed(fn, repeat):
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, result


def verdict(ok):
    return "OK" if ok else "MISSED"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15, help="runs per query, database search")
    parser.add_argument(
        "--scan-repeat", type=int, default=3, help="runs per query, icontains (seconds each)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and CSV")
    args = parser.parse_args()

    workdir = setup_django()
    from django.db import connection

    from disclosures.engines.database import search
    from disclosures.models import Disclosure

    csv_path = workdir / "disclosures.csv"
    start = time.perf_counter()
    write_csv(csv_path, args.rows)
    print(
        f"database: {connection.vendor}; generated {args.rows:,} rows "
        f"({csv_path.stat().st_size / 1e6:.0f} MB CSV) in {time.perf_counter() - start:.1f} s"
    )

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    path_used, batch = run_import(csv_path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = args.rows / seconds
    print(f"import path: {path_used}")
    print(
        f"import: {args.rows:,} rows in {seconds:.1f} s = {rate:,.0f} rows/s "
        f"[{verdict(rate >= TARGET_IMPORT_ROWS_PER_S)} >= {TARGET_IMPORT_ROWS_PER_S:,}]; "
        f"peak RSS of this process (ru_maxrss, whole process) {peak:.0f} MB "
        f"(before import {rss_before:.0f} MB) [{verdict(peak < TARGET_PEAK_MB)} < {TARGET_PEAK_MB}]"
    )
    print(f"masked: {batch.masked}")
    # Planner statistics, as after any large import (the importer's job; here, the bench's).
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {Disclosure._meta.db_table}"
        )
    print(
        f"ANALYZE: {time.perf_counter() - start:.1f} s; public rows: "
        f"{Disclosure.objects.public().count():,}"
    )

    print(
        f"\n{'query':<26}{'hits':>9}{'db p50':>10}{'db p95':>10}{'icont p50':>11}{'icont p95':>11}"
        f"{'ratio':>8}  targets"
    )
    for label, query, common in query_set():
        db_p50, db_p95, found = timed(lambda q=query: search(q), args.repeat)
        scan_p50, scan_p95, (total, _, facets) = timed(
            lambda q=query: icontains_search(q), args.scan_repeat
        )
        agree = total == found.total and all(
            {f.value: f.count for f in found.facets[name]}
            == {str(k): v for k, v in facets[name].items()}
            for name in facets
        )
        ratio = scan_p50 / db_p50
        notes = [f"p95<{TARGET_P95_MS:.0f}ms {verdict(db_p95 < TARGET_P95_MS)}"]
        if common:
            notes.append(f">={TARGET_RATIO:.0f}x {verdict(ratio >= TARGET_RATIO)}")
        if not agree:
            notes.append("COUNTS DIFFER from icontains")
        print(
            f"{label:<26}{found.total:>9,}{db_p50:>8.1f}ms{db_p95:>8.1f}ms"
            f"{scan_p50:>9.0f}ms{scan_p95:>9.0f}ms{ratio:>7.1f}x  {'; '.join(notes)}"
        )
    if args.keep:
        print(f"\ndatabase and CSV kept in {workdir}")
    else:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
