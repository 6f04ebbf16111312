"""The CSV export /disclosures/export.csv, read the way Excel and a citizen read it.

Every file is decoded from its bytes (BOM included) and parsed as CSV; the rows it holds are
compared with a plain ORM count of the same public records.
"""

import codecs
import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.engines.database import search
from disclosures.importing import import_disclosures
from disclosures.models import Disclosure
from disclosures.search_query import DisclosureQuery
from disclosures.views import export

from .disclosure_factories import (
    HIDDEN_SUMMARY,
    category,
    days_ago,
    make_disclosure,
    make_hidden_disclosures,
    plain_records,
    result,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HEADERS = [
    "投诉编号",
    "被投诉人名称",
    "统一社会信用代码",
    "行政区划代码",
    "行政区划名称",
    "被投诉人地址",
    "商品或服务类别",
    "投诉问题类型",
    "投诉内容摘要",
    "消费者诉求",
    "投诉日期",
    "处理部门",
    "处理结果",
    "办结日期",
    "挽回经济损失（元）",
    "公示日期",
    "公示截止日期",
    "异议状态",
]
# (summary, category, result, county, days before today the complaint was made)
RECORDS = [
    ("网购外套与描述不符,商家拒绝七日无理由退货。", "服装鞋帽", "调解成功", "430104", 30),
    ("健身房收取预付卡费用后关门跑路。", "健身服务", "调解不成功", "430102", 60),
    ("美容院办理预付卡后擅自变更服务项目。", "美容美发洗浴", "调解成功", "430202", 90),
    ("鞋子穿了一周开胶,要求退货被拒。", "服装鞋帽", "调解成功", "430102", 120),
    ("超市标价与结算价格不一致。", "一般食品", "调解成功", "430104", 10),
    ("直播带货宣传纯棉,实际为化纤面料。", "服装鞋帽", "不予受理", "430602", 200),
    ("冰箱使用三个月出现故障,商家同意退货退款。", "家用电器", "调解成功", "430203", 500),
    ("手机维修后出现新的故障。", "维修服务", "调解不成功", "430104", 15),
]


@pytest.fixture
def records():
    made = [
        make_disclosure(
            summary=summary,
            category=cat,
            result=outcome,
            region=county,
            complained_on=days_ago(days),
        )
        for summary, cat, outcome, county, days in RECORDS
    ]
    # Past its display period, not yet disclosed, withdrawn: never in any file.
    make_hidden_disclosures()
    return made


def download(client, params=None):
    """(response, body bytes, CSV rows after the header row)."""
    response = client.get(reverse("disclosures:export"), params or {})
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    return response, body, rows[1:]


def numbers(rows):
    return [row[0] for row in rows]


def plain_count(params):
    return plain_records(params).count()


def test_a_utf8_file_with_bom_chinese_headers_and_a_dated_name(client, records):
    response, body, rows = download(client)

    assert body.startswith(codecs.BOM_UTF8)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    # Saved as 投诉公示_2026-11-26.csv (RFC 5987), an ASCII name for clients that cannot.
    assert disposition == (
        f'attachment; filename="disclosures-{TODAY:%Y-%m-%d}.csv"; '
        f"filename*=UTF-8''%E6%8A%95%E8%AF%89%E5%85%AC%E7%A4%BA_{TODAY:%Y-%m-%d}.csv"
    )
    assert response["X-Total-Count"] == str(len(RECORDS))
    assert response["X-Export-Truncated"] == "false"
    assert len(rows) == len(RECORDS)


def test_a_row_holds_the_public_fields_as_the_page_shows_them(client, records):
    coat = records[0]
    _response, _body, rows = download(client, {"q": "七日无理由"})

    assert rows == [
        [
            coat.complaint_number,
            "长沙市岳麓区麓谷优选超市有限公司",
            "",
            "430104",
            "湖南省长沙市岳麓区",
            "湖南省长沙市岳麓区麓谷大道627号",
            "服装鞋帽",
            "售后服务",
            "网购外套与描述不符,商家拒绝七日无理由退货。",
            "要求退款",
            days_ago(30).isoformat(),
            "长沙市岳麓区市场监督管理局",
            "调解成功",
            (days_ago(30) + datetime.timedelta(days=12)).isoformat(),
            "299.00",
            days_ago(7).isoformat(),
            (TODAY + datetime.timedelta(days=358)).isoformat(),
            "无异议",
        ]
    ]


def test_without_a_keyword_rows_are_newest_first(client, records):
    _response, _body, rows = download(client)
    expected = Disclosure.objects.public().order_by("-complained_on", "-pk")
    assert numbers(rows) == [record.complaint_number for record in expected]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "退货"},
        {"q": "预付卡"},
        {"q": "退货 商家"},
        {"category": "服装鞋帽"},
        {"result": "调解成功"},
        {"region": "430100"},
        {"region": "430104"},
        {"region": "430000", "category": "服装鞋帽"},
        {"from": -100, "to": -20},
        {"q": "退货", "category": "服装鞋帽", "result": "调解成功"},
        {"q": "故障", "region": "430200", "from": -600, "to": 0},
    ],
)
def test_filters_and_keyword_select_what_the_plain_count_does(client, records, params):
    params = dict(params)
    if "category" in params:
        params["category"] = category(params["category"]).pk
    if "result" in params:
        params["result"] = result(params["result"]).pk
    for name in ("from", "to"):
        if name in params:
            params[name] = days_ago(-params[name]).isoformat()

    response, _body, rows = download(client, params)

    expected = plain_count(params)
    assert expected > 0
    assert len(rows) == expected
    assert response["X-Total-Count"] == str(expected)


def test_keyword_rows_follow_the_search_order(client, records):
    for sort in ("date", "relevance"):
        _response, _body, rows = download(client, {"q": "退货", "sort": sort})
        found = search(DisclosureQuery(q="退货", sort=sort, per_page=100))
        by_id = Disclosure.objects.in_bulk(found.ids)
        assert numbers(rows) == [by_id[pk].complaint_number for pk in found.ids]
        assert all("退货" in row[8] for row in rows)


def test_rows_read_in_several_chunks_keep_their_order(client, records, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_ROWS", 3)
    _response, _body, with_keyword = download(client, {"q": "商家"})
    _response, _body, without = download(client)
    assert len(with_keyword) == plain_count({"q": "商家"})
    assert numbers(without) == [
        record.complaint_number
        for record in Disclosure.objects.public().order_by("-complained_on", "-pk")
    ]


def test_hidden_records_are_never_exported(client, records):
    for params in ({}, {"q": "退货"}, {"q": "储值卡"}, {"category": category("服装鞋帽").pk}):
        _response, body, rows = download(client, params)
        assert not any(number.startswith("HIDDEN") for number in numbers(rows))
        assert HIDDEN_SUMMARY not in body.decode("utf-8-sig")
    assert download(client, {"q": "储值卡"})[2] == []


def test_an_empty_result_is_a_file_with_headers_only(client, records):
    response, _body, rows = download(client, {"q": "量子计算"})
    assert rows == []
    assert response["X-Total-Count"] == "0"


def test_more_rows_than_the_cap_are_cut_and_the_file_says_so(client, records, settings):
    settings.DISCLOSURE_EXPORT_MAX_ROWS = 3

    response, _body, rows = download(client)

    assert response["X-Total-Count"] == str(len(RECORDS))
    assert response["X-Export-Truncated"] == "true"
    *data, notice = rows
    newest = Disclosure.objects.public().order_by("-complained_on", "-pk")[:3]
    assert numbers(data) == [record.complaint_number for record in newest]
    assert notice == [
        f"共 {len(RECORDS)} 条记录符合条件，本文件仅包含前 3 条；请缩小筛选范围后分批导出。"
    ]


def test_the_cap_applies_to_keyword_exports_too(client, records, settings):
    settings.DISCLOSURE_EXPORT_MAX_ROWS = 2
    response, _body, rows = download(client, {"q": "退货"})
    assert response["X-Total-Count"] == "3"
    assert len(rows) == 3 and rows[-1][0].startswith("共 3 条记录符合条件")
    settings.DISCLOSURE_EXPORT_MAX_ROWS = 3
    response, _body, rows = download(client, {"q": "退货"})
    assert response["X-Export-Truncated"] == "false" and len(rows) == 3


def test_personal_data_typed_into_a_complaint_is_masked_in_the_file(client):
    phone, id_number = "13812345678", "430104198805126617"
    row = {
        "投诉编号": "TS430104202601050001",
        "被投诉人名称": "长沙市岳麓区麓谷优选超市有限公司",
        "行政区划代码": "430104",
        "商品或服务类别": "家用电器",
        "投诉问题类型": "售后服务",
        "投诉内容摘要": f"本人张伟购买冰箱一台,联系电话{phone},身份证号{id_number},外观破损。",
        "消费者诉求": f"请回电{phone}并退款",
        "投诉日期": days_ago(20).isoformat(),
        "处理部门": "长沙市岳麓区市场监督管理局",
        "处理结果": "调解成功",
        "公示日期": days_ago(5).isoformat(),
        "公示截止日期": (TODAY + datetime.timedelta(days=360)).isoformat(),
    }
    source = io.StringIO()
    writer = csv.DictWriter(source, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    report = import_disclosures(io.BytesIO(source.getvalue().encode()), file_name="公示.csv")
    assert not report.refused

    _response, body, rows = download(client)

    text = body.decode("utf-8-sig")
    assert phone not in text and id_number not in text and "张伟" not in text
    assert "138****5678" in rows[0][8] and rows[0][9] == "请回电138****5678并退款"


def test_a_cell_that_excel_would_run_as_a_formula_is_quoted(client):
    make_disclosure(respondent_name='=HYPERLINK("http://example.com")', summary="-2+3 价格不符。")
    _response, _body, rows = download(client)
    assert rows[0][1] == '\'=HYPERLINK("http://example.com")'
    assert rows[0][8] == "'-2+3 价格不符。"


def test_reading_the_rows_takes_the_same_few_queries_however_many_there_are(
    client, records, django_assert_max_num_queries
):
    for _extra in range(30):
        make_disclosure(summary="商家拒绝退货。")
    with django_assert_max_num_queries(3):
        download(client)
    # The snapshot's load (3), the reference names, the addresses holding the word, the text
    # match, the labels (4) and the rows: a constant, whatever the number of records.
    with django_assert_max_num_queries(11):
        download(client, {"q": "退货"})


def test_malformed_parameters_are_ignored_like_on_the_search_page(client, records):
    response, _body, rows = download(client, {"category": "衣服", "from": "2024/01/01"})
    assert len(rows) == len(RECORDS)


def test_exports_are_rate_limited_per_client(client, records, settings):
    settings.DISCLOSURE_EXPORT_RATE_LIMIT = 2
    for _attempt in range(2):
        download(client)
    refused = client.get(reverse("disclosures:export"))
    assert refused.status_code == 429
    assert "导出过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    other = client.get(reverse("disclosures:export"), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_the_search_page_links_to_the_export_of_its_query(client, records):
    clothes = category("服装鞋帽").pk
    html = client.get(
        reverse("disclosures:search"), {"q": "退货", "category": clothes, "page": 1}
    ).content.decode()
    link = f'href="/disclosures/export.csv?q=%E9%80%80%E8%B4%A7&amp;category={clothes}"'
    assert link in html and "导出 CSV" in html
    empty = client.get(reverse("disclosures:search"), {"q": "量子计算"}).content.decode()
    assert "导出 CSV" not in empty
