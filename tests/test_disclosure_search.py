"""The embedded disclosure search: Chinese keywords, filters, facets, sorting and paging.

Facet counts are checked against a plain ORM count of the same records (``icontains`` over
every public field, ``disclosure_factories.plain_keyword``, the same filters but the facet's
own), which is what a reader can verify by hand: the number beside a link is the number of
results the link shows.
"""

import datetime
from dataclasses import replace

import pytest
from django.utils import timezone

from common import regions
from disclosures.engines.database import search
from disclosures.facets import FACET_NAMES
from disclosures.models import Disclosure
from disclosures.search_query import DisclosureQuery

from .disclosure_factories import (
    category,
    make_disclosure,
    plain_keyword,
    problem_type,
    result,
)
from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# (summary, category, problem type, result, county, days before today the complaint was made)
RECORDS = [
    (
        "消费者反映网购外套与描述不符,商家拒绝七日无理由退货。",
        "服装鞋帽",
        "售后服务",
        "调解成功",
        "430104",
        30,
    ),
    (
        "健身房收取预付卡费用后关门跑路,剩余课程无法使用。",
        "健身服务",
        "合同",
        "调解不成功",
        "430102",
        60,
    ),
    ("美容院办理预付卡后擅自变更服务项目。", "美容美发洗浴", "合同", "调解成功", "430202", 90),
    ("培训机构办理预付卡后关门跑路。", "教育培训", "合同", "终止调解", "430211", 400),
    ("鞋子穿了一周开胶,要求退货被拒。", "服装鞋帽", "质量", "调解成功", "430102", 120),
    ("超市标价与结算价格不一致。", "一般食品", "价格", "调解成功", "430104", 10),
    ("直播带货宣传纯棉,实际为化纤面料。", "服装鞋帽", "虚假宣传", "不予受理", "430602", 200),
    ("冰箱使用三个月出现故障,商家同意退货退款。", "家用电器", "质量", "调解成功", "430203", 500),
    ("消费者预付了定金,卡片却被商家收走。", "餐饮住宿", "合同", "调解成功", "430105", 45),
    ("手机维修后出现新的故障。", "维修服务", "售后服务", "调解不成功", "430104", 15),
]


def plain_count(query, **facet):
    """How many public records a reader would count by hand for this query."""
    records = plain_keyword(Disclosure.objects.public(), query.q)
    if query.region:
        records = records.in_region(query.region)
    for name, value in (
        ("category_id", query.category),
        ("problem_type_id", query.problem_type),
        ("result_id", query.result),
        ("complained_on__gte", query.date_from),
        ("complained_on__lte", query.date_to),
        ("merchant_id", query.merchant),
    ):
        if value:
            records = records.filter(**{name: value})
    return records.filter(**facet).count()


def facet_filter(name, value):
    if name == "year":
        return {"complained_on__year": int(value)}
    if name == "city":
        return {"city_code": value}
    if name == "county":
        return {"region_id": value}
    return {f"{name}_id": int(value)}


# The filter each facet is counted without, so that a chosen value's siblings keep their counts.
OWN_FILTER = {
    "category": "category",
    "problem_type": "problem_type",
    "result": "result",
    "city": "region",
    "county": "region",
}


def facet_query(query, name):
    """The query a facet counts under: without its own filter; counties within the city."""
    own = OWN_FILTER.get(name)
    if own is None or not getattr(query, own):
        return query
    if name == "county":
        region = query.region
        if regions.level_of(region) == regions.COUNTY:
            region = regions.parent_code(region)
        return replace(query, region=region)
    return replace(query, **{own: "" if own == "region" else None})


def assert_facets_agree(query):
    found = search(query)
    assert found.total == plain_count(query)
    assert set(found.facets) == set(FACET_NAMES)
    for name, counts in found.facets.items():
        counted_under = facet_query(query, name)
        if name != "county":
            assert sum(facet.count for facet in counts) == plain_count(counted_under), name
        for facet in counts:
            assert facet.count == plain_count(counted_under, **facet_filter(name, facet.value)), (
                name,
                facet.label,
            )
    return found


@pytest.fixture
def records():
    made = []
    for summary, cat, problem, outcome, county, days in RECORDS:
        made.append(
            make_disclosure(
                summary=summary,
                category=cat,
                problem_type=problem,
                result=outcome,
                region=county,
                complained_on=TODAY - datetime.timedelta(days=days),
                consumer_request="要求退款",
            )
        )
    # Hidden records that all mention 退货 and 预付卡: none may be found or counted.
    hidden = "商家拒绝退货,预付卡余额不退。"
    make_disclosure(
        summary=hidden,
        disclosed_on=TODAY - datetime.timedelta(days=400),
        display_until=TODAY - datetime.timedelta(days=1),
    )
    make_disclosure(summary=hidden, disclosed_on=TODAY + datetime.timedelta(days=1))
    make_disclosure(summary=hidden, objection_state=Disclosure.ObjectionState.WITHDRAWN)
    return made


def summaries(found):
    by_id = Disclosure.objects.in_bulk(found.ids)
    return [by_id[pk].summary for pk in found.ids]


def test_two_character_term_matches_inside_longer_words(records):
    found = assert_facets_agree(DisclosureQuery(q="退货"))
    assert found.total == 3
    assert "消费者反映网购外套与描述不符,商家拒绝七日无理由退货。" in summaries(found)
    assert all("退货" in text for text in summaries(found))


def test_longer_term_is_a_phrase(records):
    found = assert_facets_agree(DisclosureQuery(q="预付卡"))
    # 预付了定金,卡片 has both halves but not the word: it is not a match.
    assert found.total == 3
    assert all("预付卡" in text for text in summaries(found))


def test_every_term_must_match(records):
    found = assert_facets_agree(DisclosureQuery(q="预付卡 跑路"))
    assert sorted(summaries(found)) == sorted(
        ["健身房收取预付卡费用后关门跑路,剩余课程无法使用。", "培训机构办理预付卡后关门跑路。"]
    )


def test_term_in_respondent_name_and_request(records):
    assert search(DisclosureQuery(q="麓谷优选")).total == len(RECORDS)
    assert search(DisclosureQuery(q="要求退款")).total == len(RECORDS)


def test_unknown_term_finds_nothing_with_empty_facets(records):
    found = search(DisclosureQuery(q="量子计算"))
    assert found.total == 0
    assert found.ids == []
    assert all(counts == [] for counts in found.facets.values())


@pytest.mark.parametrize(
    "params",
    [
        {"category": "服装鞋帽"},
        {"problem_type": "合同"},
        {"result": "调解成功"},
        {"q": "退货", "category": "服装鞋帽"},
        {"q": "预付卡", "result": "调解成功"},
    ],
)
def test_reference_filters(records, params):
    query = DisclosureQuery(
        q=params.get("q", ""),
        category=category(params["category"]).pk if "category" in params else None,
        problem_type=problem_type(params["problem_type"]).pk if "problem_type" in params else None,
        result=result(params["result"]).pk if "result" in params else None,
    )
    found = assert_facets_agree(query)
    assert found.total > 0
    for name in ("category", "problem_type", "result"):
        if name in params:
            # The chosen value counts exactly the results; its siblings stay, one click away.
            counts = {facet.label: facet.count for facet in found.facets[name]}
            assert counts[params[name]] == found.total


@pytest.mark.parametrize(
    ("region", "expected"),
    [("430000", 10), ("430100", 6), ("430200", 3), ("430104", 3), ("430602", 1)],
)
def test_region_at_every_level(records, region, expected):
    found = assert_facets_agree(DisclosureQuery(region=region))
    assert found.total == expected


def test_region_facets_name_cities_and_counties(records):
    found = search(DisclosureQuery())
    cities = {facet.label: facet.count for facet in found.facets["city"]}
    assert cities == {"长沙市": 6, "株洲市": 3, "岳阳市": 1}
    counties = {facet.label: facet.count for facet in found.facets["county"]}
    assert counties["岳麓区"] == 3
    assert counties["芙蓉区"] == 2
    assert found.facets["city"][0].value == "430100"


def test_a_record_filed_under_a_city_is_counted_as_no_county(records):
    make_disclosure(summary="市级登记的投诉。", region="430100")
    found = assert_facets_agree(DisclosureQuery(region="430100"))
    assert {facet.label: facet.count for facet in found.facets["city"]}["长沙市"] == 7
    assert "430100" not in {facet.value for facet in found.facets["county"]}


def test_choosing_a_value_keeps_the_others_in_its_facet(records):
    clothes = category("服装鞋帽").pk
    found = assert_facets_agree(DisclosureQuery(category=clothes))
    labels = [facet.label for facet in found.facets["category"]]
    assert labels[0] == "服装鞋帽" and "健身服务" in labels
    assert found.total == 3
    county = assert_facets_agree(DisclosureQuery(region="430104"))
    assert {facet.label for facet in county.facets["city"]} == {"长沙市", "株洲市", "岳阳市"}
    assert {facet.label for facet in county.facets["county"]} == {"芙蓉区", "岳麓区", "开福区"}


def test_date_range(records):
    query = DisclosureQuery(
        date_from=TODAY - datetime.timedelta(days=100), date_to=TODAY - datetime.timedelta(days=20)
    )
    found = assert_facets_agree(query)
    assert found.total == 4


def test_year_facet(records):
    found = search(DisclosureQuery())
    years = {facet.value: facet.count for facet in found.facets["year"]}
    expected = {}
    for *_, days in RECORDS:
        year = str((TODAY - datetime.timedelta(days=days)).year)
        expected[year] = expected.get(year, 0) + 1
    assert years == expected
    assert all(facet.label == f"{facet.value}年" for facet in found.facets["year"])


def test_merchant_and_credit_code(records):
    merchant = make_merchant(registered_name="株洲市荷塘区星辉健身有限公司", region="430202")
    linked = make_disclosure(
        respondent_name="株洲市荷塘区星辉健身有限公司",
        credit_code=merchant.credit_code,
        merchant=merchant,
        category="健身服务",
        problem_type="合同",
        region="430202",
        summary="健身房预付卡拒绝办理退费。",
    )
    assert search(DisclosureQuery(merchant=merchant.pk)).ids == [linked.pk]
    assert search(DisclosureQuery(credit_code=merchant.credit_code)).ids == [linked.pk]
    assert_facets_agree(DisclosureQuery(q="预付卡", merchant=merchant.pk))


def test_sort_by_date_is_newest_first(records):
    found = search(DisclosureQuery(q="退货"))
    dates = [Disclosure.objects.get(pk=pk).complained_on for pk in found.ids]
    assert dates == sorted(dates, reverse=True)


def test_sort_by_relevance_puts_the_denser_match_first(records):
    dense = make_disclosure(
        summary="退货退货:商家三次拒绝退货。",
        complained_on=TODAY - datetime.timedelta(days=900),
        disclosed_on=TODAY - datetime.timedelta(days=5),
    )
    by_date = search(DisclosureQuery(q="退货"))
    by_relevance = search(DisclosureQuery(q="退货", sort="relevance"))
    assert by_date.ids[-1] == dense.pk
    assert by_relevance.ids[0] == dense.pk
    assert sorted(by_relevance.ids) == sorted(by_date.ids)


def test_relevance_without_keyword_is_date(records):
    assert search(DisclosureQuery(sort="relevance")).ids == search(DisclosureQuery()).ids


def test_pagination(records):
    everything = search(DisclosureQuery(per_page=100)).ids
    pages = [search(DisclosureQuery(page=page, per_page=4)) for page in (1, 2, 3, 4)]
    assert [len(found.ids) for found in pages] == [4, 4, 2, 0]
    assert sum((found.ids for found in pages), []) == everything
    assert all(found.total == 10 for found in pages)


def test_hidden_records_are_never_found_or_counted(records):
    for query in (DisclosureQuery(), DisclosureQuery(q="退货"), DisclosureQuery(q="余额")):
        found = assert_facets_agree(query)
        hidden = Disclosure.objects.exclude(pk__in=Disclosure.objects.public().values("pk"))
        assert not set(found.ids) & set(hidden.values_list("pk", flat=True))
    assert search(DisclosureQuery(q="余额")).total == 0


def test_record_hidden_after_display_until_passes(records):
    record = records[0]
    on_last_day = search(DisclosureQuery(q="七日无理由"), on=record.display_until)
    day_after = search(
        DisclosureQuery(q="七日无理由"), on=record.display_until + datetime.timedelta(days=1)
    )
    assert on_last_day.ids == [record.pk]
    assert day_after.total == 0
    assert day_after.facets["category"] == []


def test_relevance_pages_keep_ties_in_date_order(records):
    everything = search(DisclosureQuery(q="退货", sort="relevance", per_page=100)).ids
    pages = [
        search(DisclosureQuery(q="退货", sort="relevance", page=p, per_page=1))
        for p in (1, 2, 3, 4)
    ]
    assert sum((found.ids for found in pages), []) == everything
    assert len(everything) == plain_count(DisclosureQuery(q="退货")) == 3


def test_an_editors_withdrawal_shows_in_the_next_search(records):
    before = search(DisclosureQuery(q="预付卡"))
    withdrawn = Disclosure.objects.get(pk=before.ids[0])
    withdrawn.objection_state = Disclosure.ObjectionState.WITHDRAWN
    withdrawn.save()
    after = assert_facets_agree(DisclosureQuery(q="预付卡"))
    assert after.total == before.total - 1
    assert withdrawn.pk not in after.ids


def test_a_new_record_is_found_at_once(records):
    assert search(DisclosureQuery(q="洗衣机")).total == 0
    added = make_disclosure(summary="洗衣机安装后漏水,商家拒绝上门维修。")
    assert search(DisclosureQuery(q="洗衣机")).ids == [added.pk]


def test_a_rolled_back_change_leaves_no_trace_in_search(records):
    from django.db import transaction

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        make_disclosure(summary="电动车电池鼓包,商家拒绝更换。")
        assert search(DisclosureQuery(q="电池")).total == 1
        raise Undo
    assert search(DisclosureQuery(q="电池")).total == 0
    assert_facets_agree(DisclosureQuery())


def test_relevance_ranks_the_newest_matches_and_dates_the_rest(records, monkeypatch):
    from disclosures.engines import relevance

    dense = make_disclosure(
        summary="退货退货:商家三次拒绝退货。",
        complained_on=TODAY - datetime.timedelta(days=900),
        disclosed_on=TODAY - datetime.timedelta(days=5),
    )
    by_date = search(DisclosureQuery(q="退货", per_page=100)).ids
    monkeypatch.setattr(relevance, "WINDOW", 2)
    # The dense record is the oldest match: past a window of two it keeps its place by date.
    narrow = search(DisclosureQuery(q="退货", sort="relevance", per_page=100)).ids
    assert narrow[2:] == by_date[2:] and narrow[-1] == dense.pk
    assert sorted(narrow[:2]) == sorted(by_date[:2])
    monkeypatch.setattr(relevance, "WINDOW", 2000)
    assert search(DisclosureQuery(q="退货", sort="relevance", per_page=100)).ids[0] == dense.pk


def test_relevance_weighs_the_rarer_of_two_terms(records):
    # 预付卡 is in three summaries, 跑路 in two: with both required, the denser use of the rarer
    # term wins.
    rare_twice = make_disclosure(
        summary="预付卡商家跑路,另一家也跑路了。",
        complained_on=TODAY - datetime.timedelta(days=700),
    )
    found = search(DisclosureQuery(q="预付卡 跑路", sort="relevance"))
    assert found.ids[0] == rare_twice.pk
    assert sorted(found.ids) == sorted(search(DisclosureQuery(q="预付卡 跑路")).ids)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "市场监督"},  # the handling department: every record
        {"q": "市场监督", "category": "服装鞋帽"},  # the category facet still counts them all
        {"q": "市场监督", "region": "430104", "result": "调解成功"},
    ],
)
def test_a_keyword_matching_most_records_counts_as_a_hand_count_would(records, params):
    # Counted as every public record but the few it lacks (``Snapshot.counts_of_public``).
    if "category" in params:
        params = {**params, "category": category(params["category"]).pk}
    if "result" in params:
        params = {**params, "result": result(params["result"]).pk}
    make_disclosure(summary="商家拒绝退款。", handling_department="株洲市消费者协会")
    withdrawn = make_disclosure(summary="已撤回的投诉。", region="430104")
    withdrawn.objection_state = Disclosure.ObjectionState.WITHDRAWN
    withdrawn.save()

    found = assert_facets_agree(DisclosureQuery(**params))

    assert found.total == plain_count(DisclosureQuery(**params)) > 0
