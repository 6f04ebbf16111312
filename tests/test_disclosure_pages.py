"""The public disclosure pages as a citizen reads them: search, statistics, a respondent's record.

Every figure on a page is compared with a plain ORM count of the same public records, which is
what a reader could check by hand.
"""

import html
import re
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from common import regions
from disclosures import snapshot, statistics
from disclosures.models import Disclosure
from merchants.models import Region

from .disclosure_factories import (
    HIDDEN_SUMMARY,
    category,
    days_ago,
    make_disclosure,
    make_hidden_disclosures,
    plain_records,
    problem_type,
    result,
)
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FITNESS_CODE = credit_code("430102", serial=62001)
# (summary, respondent, credit code, category, problem, result, county, days ago)
RECORDS = [
    (
        "网购外套与描述不符,商家拒绝七日无理由退货。",
        "长沙市岳麓区麓谷优选超市有限公司",
        "",
        "服装鞋帽",
        "售后服务",
        "调解成功",
        "430104",
        30,
    ),
    (
        "健身房收取预付卡费用后关门跑路,剩余课程无法使用。",
        "长沙市芙蓉区悦享健身俱乐部",
        FITNESS_CODE,
        "健身服务",
        "合同",
        "调解不成功",
        "430102",
        60,
    ),
    (
        "健身房承诺可随时退卡,办卡后拒绝退货退款。",
        "长沙市芙蓉区悦享健身俱乐部",
        FITNESS_CODE,
        "健身服务",
        "合同",
        "调解成功",
        "430102",
        420,
    ),
    (
        "美容院办理预付卡后擅自变更服务项目。",
        "株洲市荷塘区美丽人生美容院",
        "",
        "美容美发洗浴",
        "合同",
        "调解成功",
        "430202",
        90,
    ),
    (
        "鞋子穿了一周开胶,要求退货被拒。",
        "长沙市芙蓉区步步高鞋业",
        "",
        "服装鞋帽",
        "质量",
        "调解成功",
        "430102",
        120,
    ),
    (
        "超市标价与结算价格不一致。",
        "长沙市岳麓区麓谷优选超市有限公司",
        "",
        "一般食品",
        "价格",
        "调解成功",
        "430104",
        10,
    ),
    (
        "直播带货宣传纯棉,实际为化纤面料。",
        "岳阳市岳阳楼区云梦服饰店",
        "",
        "服装鞋帽",
        "虚假宣传",
        "不予受理",
        "430602",
        200,
    ),
    (
        "冰箱使用三个月出现故障,商家同意退货退款。",
        "株洲市芦淞区家电城",
        "",
        "家用电器",
        "质量",
        "调解成功",
        "430203",
        500,
    ),
]
FACET_NAMES = {
    "商品或服务类别": "category",
    "投诉问题类型": "problem_type",
    "地市": "city",
    "区县": "county",
    "处理结果": "result",
}
GROUP_RE = re.compile(
    r'<p class="filter-group__label"[^>]*>(.*?)</p>\s*<ul class="chips"[^>]*>(.*?)</ul>', re.S
)
CHIP_RE = re.compile(
    r'<a class="chip" href="([^"]*)"[^>]*>(.*?) <span class="chip__count">(\d+)</span></a>', re.S
)
CARD = 'class="result disclosure"'


@pytest.fixture
def records():
    made = []
    for summary, name, code, cat, problem, outcome, county, days in RECORDS:
        made.append(
            make_disclosure(
                summary=summary,
                respondent_name=name,
                credit_code=code,
                category=cat,
                problem_type=problem,
                result=outcome,
                region=county,
                complained_on=days_ago(days),
                recovered_amount=Decimal("120.50") if outcome == "调解成功" else Decimal("0"),
            )
        )
    # Past its display period, not yet disclosed, withdrawn: on no page, in no figure.
    make_hidden_disclosures(credit_code=FITNESS_CODE, region="430102")
    return made


def facet_filter(name, value):
    return {
        "category": {"category_id": value},
        "problem_type": {"problem_type_id": value},
        "result": {"result_id": value},
        "city": {"city_code": value},
        "county": {"region_id": value},
    }[name]


def page(client, params=None):
    response = client.get(reverse("disclosures:search"), params or {})
    assert response.status_code == 200
    return response.content.decode()


def listing_count(text):
    return int(re.search(r"共 (\d+) 件公示投诉", text).group(1))


def filter_groups(text):
    """{facet name: [(href params, label, count)]} as the filter column shows them."""
    groups = {}
    for label, chips in GROUP_RE.findall(text):
        groups[FACET_NAMES[label]] = [
            (dict(parse_qsl(urlsplit(html.unescape(href)).query)), name.strip(), int(count))
            for href, name, count in CHIP_RE.findall(chips)
        ]
    return groups


def definition(text, term):
    """The text of the <dd> after a <dt>, tags removed."""
    found = re.search(rf"<dt>{term}</dt>\s*<dd>(.*?)</dd>", text, re.S)
    return re.sub(r"<[^>]+>|\s+", "", found.group(1))


# --- the search page ------------------------------------------------------------------------


def test_a_two_character_keyword_lists_the_public_records_that_contain_it(client, records):
    text = page(client, {"q": "退货"})
    expected = plain_records({"q": "退货"})
    assert listing_count(text) == expected.count() == 4
    assert text.count(CARD) == 4
    for record in expected:
        assert record.summary in text and record.complaint_number in text
    assert HIDDEN_SUMMARY not in text
    assert "“退货”的投诉公示查询结果" in text


def test_nothing_found_says_so_with_tips(client, records):
    text = page(client, {"q": "量子计算"})
    assert listing_count(text) == 0
    assert "没有找到符合条件的公示投诉" in text and CARD not in text


@pytest.mark.parametrize(
    "params",
    [
        {"category": "服装鞋帽"},
        {"problem_type": "合同"},
        {"result": "调解成功"},
        {"region": "430100"},
        {"region": "430102"},
        {"region": "430200"},
        {"from": 130, "to": 20},
        {"q": "退货", "region": "430100", "result": "调解成功"},
        {"q": "预付卡", "from": 400, "to": 0},
    ],
)
def test_filters_show_what_the_plain_count_finds(client, records, params):
    params = dict(params)
    for name, lookup in (("category", category), ("problem_type", problem_type)):
        if name in params:
            params[name] = lookup(params[name]).pk
    if "result" in params:
        params["result"] = result(params["result"]).pk
    for name in ("from", "to"):
        if name in params:
            params[name] = days_ago(params[name]).isoformat()

    text = page(client, params)

    expected = plain_records(params)
    assert listing_count(text) == expected.count() > 0
    assert text.count(CARD) == expected.count()
    for record in expected:
        assert record.complaint_number in text


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "退货"}, {"region": "430100"}, {"q": "预付卡", "region": "430000"}],
)
def test_the_counts_beside_the_filters_agree_with_plain_counts(client, records, params):
    text = page(client, params)
    groups = filter_groups(text)
    total = plain_records(params).count()

    expected_groups = {"category", "problem_type", "city", "result"}
    # Counties are listed once a city (or one of its counties) is chosen.
    region = params.get("region", "")
    with_counties = region and regions.level_of(region) != regions.PROVINCE
    assert set(groups) == expected_groups | ({"county"} if with_counties else set())
    for name, chips in groups.items():
        everything, *choices = chips
        assert everything[1] == "全部"
        assert choices
        # The count beside every link, 全部 included, is what following the link shows.
        for target, label, count in chips:
            assert count == plain_records(target).count(), (name, label)
        value_of = {"city": "region", "county": "region"}.get(name, name)
        for target, _label, count in choices:
            # and counts the records of that value among those the other filters select.
            others = {key: value for key, value in params.items() if key != value_of}
            if name == "county":  # counted within the chosen region's city
                others["region"] = regions.parent_code(region)
                if regions.level_of(region) == regions.CITY:
                    others["region"] = region
            assert (
                count
                == plain_records(others).filter(**facet_filter(name, target[value_of])).count()
            )
    if not params.get("region"):
        assert groups["category"][0][2] == total


def test_the_year_facet_is_left_to_the_date_range(client, records):
    assert "投诉年份" not in page(client)


def test_pages_of_twenty_with_links_that_keep_the_query(client):
    for number in range(25):
        make_disclosure(
            summary=f"第{number + 1}位消费者反映商家拒绝退货。",
            complained_on=days_ago(number + 1),
        )
    make_disclosure(summary="超市标价与结算价格不一致。", complained_on=days_ago(3))

    first = page(client, {"q": "退货"})
    second = page(client, {"q": "退货", "page": 2})

    assert listing_count(first) == listing_count(second) == 25
    assert first.count(CARD) == 20 and second.count(CARD) == 5
    assert "第 1 页，共 2 页" in first and "第 2 页，共 2 页" in second
    assert 'href="?q=%E9%80%80%E8%B4%A7&amp;page=2" rel="next"' in first
    shown = re.findall(r"<dd>(\d{8}430104\d{6})</dd>", first + second)
    expected = (
        plain_records({"q": "退货"})
        .order_by("-complained_on", "-pk")
        .values_list("complaint_number", flat=True)
    )
    assert shown == list(expected)


def test_a_page_past_the_end_shows_the_last_page(client):
    for number in range(25):
        make_disclosure(summary=f"商家拒绝退货,第{number + 1}件。")
    text = page(client, {"page": 9})
    assert "没有找到符合条件的公示投诉" not in text
    assert text.count(CARD) == 5 and "第 2 页，共 2 页" in text


def test_each_respondent_with_a_credit_code_links_to_its_record_page(client, records):
    text = page(client)
    link = reverse("disclosures:merchant", args=[FITNESS_CODE])
    assert text.count(f'<a href="{link}">长沙市芙蓉区悦享健身俱乐部</a>') == 2
    # A respondent disclosed without a credit code has no record page to link to.
    assert ">长沙市岳麓区麓谷优选超市有限公司</h3>" in text

    record_page = client.get(link)
    assert record_page.status_code == 200
    assert "长沙市芙蓉区悦享健身俱乐部的投诉公示" in record_page.content.decode()


def test_hidden_records_are_never_listed_or_counted(client, records):
    for params in ({}, {"q": "储值卡"}, {"region": "430102"}):
        text = page(client, params)
        assert HIDDEN_SUMMARY not in text
        assert listing_count(text) == plain_records(params).count()
    assert listing_count(page(client, {"q": "储值卡"})) == 0


# --- the statistics page --------------------------------------------------------------------


@pytest.fixture(params=["snapshot", "database"])
def figures_from(request, settings):
    """Each statistics test twice: counted over the snapshot (the database engine in use), and
    with Elasticsearch configured, by the database, never loading the snapshot."""
    if request.param == "database":
        settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # never asked: nothing listens
        snapshot.forget()
    yield request.param
    if request.param == "database":
        assert not snapshot.loaded()


def stats_page(client, params=None):
    response = client.get(reverse("disclosures:stats"), params or {})
    assert response.status_code == 200
    return response.content.decode()


def chart_table(text, key):
    """{row label: count} of one chart's data table."""
    section = re.search(
        rf'<section class="chart-block" aria-labelledby="chart-{key}-title">(.*?)</section>',
        text,
        re.S,
    ).group(1)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td></tr>', section)
    return {html.unescape(label): int(count) for label, count in rows}


def test_every_chart_is_an_svg_named_by_its_heading_with_a_data_table(
    client, records, figures_from
):
    text = stats_page(client)
    for key, title in (
        ("month", "按月份"),
        ("category", "按商品或服务类别"),
        ("problem_type", "按投诉问题类型"),
        ("region", "按地区"),
        ("result", "按处理结果"),
    ):
        assert f'<h2 class="section-head__title" id="chart-{key}-title">{title}</h2>' in text
        assert re.search(
            rf'<svg class="chart[^"]*"[^>]*role="img" aria-labelledby="chart-{key}-title"', text
        )
        assert f"<summary>{title}的数据表</summary>" in text
        assert chart_table(text, key)


def test_the_figures_are_those_of_the_public_records(client, records, figures_from):
    text = stats_page(client)
    public = Disclosure.objects.public()
    assert definition(text, "公示投诉") == f"{public.count()}件"
    respondents = public.values("respondent_name").distinct().count()
    assert definition(text, "涉及经营者") == f"{respondents}家"
    recovered = public.aggregate(total=Sum("recovered_amount"))["total"]
    assert definition(text, "为消费者挽回损失") == f"{recovered:.2f}元"
    mediated = public.filter(result__counts_as_mediated=True)
    successes = mediated.filter(result__is_mediation_success=True).count()
    assert definition(text, "调解成功率") == f"{round(successes * 100 / mediated.count())}%"
    by_category = dict(
        public.values_list("category__name")
        .annotate(n=Count("pk"))
        .values_list("category__name", "n")
    )
    assert chart_table(text, "category") == by_category
    assert chart_table(text, "region") == {"长沙市": 5, "株洲市": 2, "岳阳市": 1}


def test_the_year_filter_changes_the_figures(client, records, figures_from):
    this_year = days_ago(30).year
    older = days_ago(500).year
    text = stats_page(client)
    assert f'<option value="{older}">{older}年</option>' in text

    for year in {this_year, older}:
        text = stats_page(client, {"year": year})
        of_year = Disclosure.objects.public().filter(complained_on__year=year)
        assert definition(text, "公示投诉") == f"{of_year.count()}件"
        assert f'<option value="{year}" selected>' in text
        months = chart_table(text, "month")
        assert all(label.startswith(f"{year}年") for label in months)
        assert sum(months.values()) == of_year.count()


def test_the_region_filter_narrows_the_figures_to_its_counties(client, records, figures_from):
    text = stats_page(client, {"region": "430200"})
    in_zhuzhou = Disclosure.objects.public().in_region("430200")
    assert definition(text, "公示投诉") == f"{in_zhuzhou.count()}件"
    assert chart_table(text, "region") == {"荷塘区": 1, "芦淞区": 1}
    assert chart_table(text, "category") == {"美容美发洗浴": 1, "家用电器": 1}


def test_an_unknown_year_or_region_shows_everything(client, records, figures_from):
    text = stats_page(client, {"year": "1999", "region": "999999"})
    assert definition(text, "公示投诉") == f"{Disclosure.objects.public().count()}件"


def test_the_snapshot_and_the_database_count_the_same_figures(records, settings):
    # A record filed under a city, and one of an import still in progress.
    make_disclosure(summary="市级登记的投诉。", region="430100", complained_on=days_ago(800))
    make_disclosure(summary="导入未完成的投诉。", pending=True)
    choices = [None, *Region.objects.filter(code__in=["430000", "430100", "430104", "430200"])]
    years = sorted({day.year for day in Disclosure.objects.values_list("complained_on", flat=True)})
    asked = [(year, region) for year in [None, *years] for region in choices]
    snapshot.forget()
    from_snapshot = [statistics.compute(year, region) for year, region in asked]
    years_from_snapshot = statistics.available_years()
    assert snapshot.loaded()

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    snapshot.forget()
    cache.clear()
    assert [statistics.compute(year, region) for year, region in asked] == from_snapshot
    assert statistics.available_years() == years_from_snapshot == sorted(years, reverse=True)
    assert not snapshot.loaded()
    assert any(stats.total for stats in from_snapshot[1:])


# --- a respondent's record page -------------------------------------------------------------


def test_the_record_page_totals_agree_with_its_public_records(client, records):
    merchant = make_merchant(
        registered_name="长沙市芙蓉区悦享健身俱乐部",
        shop_name="悦享健身(五一店)",
        region="430102",
        credit_code=FITNESS_CODE,
    )
    text = client.get(reverse("disclosures:merchant", args=[FITNESS_CODE])).content.decode()

    public = Disclosure.objects.public().filter(credit_code=FITNESS_CODE)
    assert definition(text, "累计公示投诉") == f"{public.count()}件" == "2件"
    year_ago = TODAY.replace(year=TODAY.year - 1)
    recent = public.filter(complained_on__gt=year_ago).count()
    assert definition(text, "近12个月").startswith(f"{recent}件")
    assert definition(text, "调解成功率") == "50%"
    assert definition(text, "为消费者挽回损失") == "120.50元"
    assert text.count(CARD) == 2 and HIDDEN_SUMMARY not in text
    assert reverse("merchants:scan", args=[merchant.current_code.code]) in text
    assert f"统一社会信用代码：{FITNESS_CODE}" in text


def test_the_record_page_pages_through_many_records(client):
    code = credit_code("430104", serial=62002)
    for number in range(23):
        make_disclosure(
            respondent_name="长沙市岳麓区麓谷优选超市有限公司",
            credit_code=code,
            summary=f"第{number + 1}件:商品过期仍在销售。",
            complained_on=days_ago(number + 5),
            result="调解成功" if number % 2 else "调解不成功",
        )
    link = reverse("disclosures:merchant", args=[code])
    first = client.get(link).content.decode()
    second = client.get(link, {"page": 2}).content.decode()

    assert definition(first, "累计公示投诉") == "23件"
    assert definition(first, "调解成功率") == f"{round(11 * 100 / 23)}%"
    assert first.count(CARD) == 20 and second.count(CARD) == 3
    assert "第 2 页，共 2 页" in second
    # Not a registered pledge merchant: the name comes from the records, no pledge link.
    assert "长沙市岳麓区麓谷优选超市有限公司的投诉公示" in first
    assert "查看放心消费承诺" not in first


def test_the_filter_panel_says_how_many_filters_are_chosen(client, records):
    text = page(client, {"q": "退货", "region": "430100", "result": result("调解成功").pk})
    summary = re.search(r'<summary class="filter-panel__summary">(.*?)</summary>', text, re.S)
    assert "筛选条件" in summary.group(1) and "已选 2 项" in summary.group(1)
    # Open in the HTML, so the filters work without JavaScript; portal.js folds it on phones.
    assert re.search(r"<details class=\"filter-panel\" open data-fold-narrow>", text)


def test_month_axis_names_each_january_with_its_year():
    from disclosures.charts import columns
    from disclosures.statistics import Bar

    # November 2023 to November 2026: 37 months, labelled by quarter.
    bars = [Bar(f"{2023 + (m // 12)}年{m % 12 + 1}月", 5, 1.0) for m in range(10, 47)]
    svg = str(columns(bars, "chart-month"))
    ticks = re.findall(r'<text class="chart__tick"[^>]*>([^<]+)</text>', svg)
    assert ticks[:5] == ["2024年1月", "4月", "7月", "10月", "2025年1月"]
    assert "2026年1月" in ticks and len(ticks) == 12


def test_money_is_shown_with_thousands_grouped(client):
    from portal.templatetags.portal_tags import money

    assert money(Decimal("1517923")) == "1,517,923.00"
    make_disclosure(summary="商家拒绝退还装修预付款。", recovered_amount=Decimal("12345.6"))
    assert definition(stats_page(client), "为消费者挽回损失") == "12,345.60元"
