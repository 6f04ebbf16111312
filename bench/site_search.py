"""Site search at scale: the FTS5 / tsvector path against a plain icontains scan, in one run.

Usage: .venv/bin/python bench/site_search.py [--rows 200000] [--repeat 15] [--json]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_fangxin ... (PostgreSQL)

Builds a throw-away database of N synthetic Chinese documents in the site-search index (the
page foreign key is not enforced here: the index query is what is measured), then times each
query's relevance-ordered matching (``search.site_search.matching_documents``, capped at
MAX_HITS) and the same filter as ``body_text__icontains``. Prints p50/p95 in ms and the ratio.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import Report, add_json_option

FRAGMENTS = [
    "消费者反映商家拒绝七日无理由退货",
    "健身房收取预付卡费用后关门跑路",
    "美容院办理预付卡后变更服务项目",
    "网购商品与页面描述不符要求退款",
    "直播带货宣传的功效无法实现",
    "超市标价与结算价格不一致",
    "外卖食品中发现异物要求赔偿",
    "装修公司拖延工期并增加费用",
    "教育培训机构拒绝退还剩余课时费",
    "二手车隐瞒事故记录",
    "手机维修后出现新的故障",
    "旅行社擅自变更行程安排",
    "酒店预订后无法入住且不退定金",
    "物业服务收费不透明",
    "家电安装收取额外材料费",
    "快递丢件后商家推诿责任",
    "保健食品宣传能治疗疾病",
    "商场促销活动先涨价后打折",
    "汽车4S店强制搭售保险",
    "餐饮店设置最低消费",
]
RARE = "量子纠缠计算器"
QUERIES = ["退货", "预付卡", "跑路", "直播带货", "价格", "4s", RARE, "纠缠计算"]


def setup_django(database_url):
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_rows(count, seed=7):
    from search.models import SearchDocument
    from search.text_analysis import index_text

    rng = random.Random(seed)
    batch = []
    for i in range(1, count + 1):
        parts = rng.sample(FRAGMENTS, 4)
        if i % 50_000 == 0:
            parts.append(RARE)
        title = parts[0]
        body = ",".join(parts) + "。"
        batch.append(
            SearchDocument(
                page_id=i,
                page_type="editorial.alertpage",
                title=title,
                body_text=body,
                title_tokens=index_text(title),
                body_tokens=index_text(body),
            )
        )
        if len(batch) == 5000:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, result


def query_figures(report, query, hits, index_p50, index_p95, scan_p50, scan_p95):
    """No targets: the figures are the index's speed-up over icontains, for comparing runs."""
    name = f"query[{query}]"
    report.add(f"{name}.hits", hits, "documents")
    report.add(f"{name}.p50", index_p50, "ms")
    report.add(f"{name}.p95", index_p95, "ms")
    report.add(f"{name}.icontains_p50", scan_p50, "ms")
    report.add(f"{name}.icontains_p95", scan_p95, "ms")
    report.add(f"{name}.ratio", scan_p50 / index_p50, "x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    add_json_option(parser)
    args = parser.parse_args()

    setup_django(os.environ.get("DATABASE_URL", ""))
    from django.db import connection

    from search.models import SearchDocument
    from search.site_search import MAX_HITS, matching_documents
    from search.text_analysis import query_terms

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys=OFF")
        else:
            # Foreign-key triggers off for this session (needs a superuser, as on dev machines).
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("TRUNCATE search_searchdocument")
    start = time.perf_counter()
    build_rows(args.rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
    print(
        f"database: {connection.vendor}; rows: {args.rows:,}; built in "
        f"{time.perf_counter() - start:.1f} s; MAX_HITS={MAX_HITS}"
    )
    report = Report("site_search", database=connection.vendor, rows=args.rows, repeat=args.repeat)
    print(
        f"{'query':<10}{'hits':>8}{'index p50':>12}{'index p95':>12}"
        f"{'icontains p50':>15}{'icontains p95':>15}{'ratio p50':>11}"
    )
    for query in QUERIES:
        terms = query_terms(query)
        index_p50, index_p95, hits = timed(lambda t=terms: matching_documents(t), args.repeat)
        scan = SearchDocument.objects.filter(body_text__icontains=query).order_by("-id")
        scan_p50, scan_p95, _ = timed(
            lambda qs=scan: list(qs.values_list("id", flat=True)[:MAX_HITS]), args.repeat
        )
        print(
            f"{query:<10}{len(hits):>8}{index_p50:>11.1f}ms{index_p95:>11.1f}ms"
            f"{scan_p50:>14.1f}ms{scan_p95:>14.1f}ms{scan_p50 / index_p50:>10.1f}x"
        )
        query_figures(report, query, len(hits), index_p50, index_p95, scan_p50, scan_p95)
    report.emit(args.json)


if __name__ == "__main__":
    main()
