"""The keyword box of the complaint search covers every public field of a record: the summary,
the request, the respondent's name and address, the category, the problem type and the handling
department (the last four matched through their distinct names, not the records' tokens); a
complaint number or a credit code typed into it finds that record or that merchant's records.
On the page, in the API, in both engines (Elasticsearch by its request bodies and document,
there being no cluster here), and for records written before (the migrations).
"""

import datetime
import io
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from disclosures import importing
from disclosures.engines import es_queries
from disclosures.engines.database import INDEX, search
from disclosures.engines.es_documents import document_source
from disclosures.engines.es_queries import build_search
from disclosures.importing import import_disclosures
from disclosures.models import (
    SEARCHED_TEXT,
    ComplaintCategory,
    Disclosure,
    HandlingDepartment,
    ProblemType,
    RespondentAddress,
)
from disclosures.search_query import DisclosureQuery
from search.fulltext import count_matches
from search.text_analysis import index_text, query_terms
from search.token_index import recompute_operation

from .disclosure_factories import make_disclosure, plain_keyword
from .merchant_factories import credit_code
from .test_disclosure_import import csv_bytes, furong_row, lugu_row

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YUEXIANG = credit_code("430102", serial=73101)


@pytest.fixture
def records():
    """Five complaints whose searched words sit in different fields."""
    return {
        # Problem type 虚假宣传, but the text never says so.
        "livestream": make_disclosure(
            summary="直播间称外套为纯棉面料,收货后标签为化纤。",
            consumer_request="要求退货退款",
            category="服装鞋帽",
            problem_type="虚假宣传",
            respondent_name="长沙市天心区潮衣坊服装店",
            respondent_address="湖南省长沙市天心区黄兴南路步行街58号",
            handling_department="长沙市天心区市场监督管理局",
            region="430103",
        ),
        "supplement": make_disclosure(
            summary="店员称保健品可治疗高血压,老人购买后无任何效果。",
            consumer_request="要求退还货款",
            category="一般食品",
            problem_type="虚假宣传",
            respondent_name="株洲市芦淞区康宁保健品店",
            respondent_address="湖南省株洲市芦淞区建设中路112号",
            handling_department="株洲市芦淞区市场监督管理局",
            region="430203",
        ),
        "gym": make_disclosure(
            summary="办理预付卡后健身房停业,商家失联。",
            consumer_request="退还预付卡余额",
            category="健身服务",
            problem_type="合同",
            respondent_name="长沙市芙蓉区悦享健身俱乐部",
            respondent_address="湖南省长沙市芙蓉区五一大道389号",
            handling_department="长沙市芙蓉区市场监督管理局",
            credit_code=YUEXIANG,
            region="430102",
        ),
        "gym_again": make_disclosure(
            summary="私教课未上完,门店拒绝按剩余课时退费。",
            consumer_request="按剩余课时退费",
            category="健身服务",
            problem_type="售后服务",
            respondent_name="长沙市芙蓉区悦享健身俱乐部",
            respondent_address="湖南省长沙市芙蓉区五一大道389号",
            handling_department="长沙市芙蓉区市场监督管理局",
            credit_code=YUEXIANG,
            region="430102",
        ),
        "fridge": make_disclosure(
            summary="冰箱使用三个月出现故障,维修两次未修好。",
            consumer_request="更换新机",
            category="家用电器",
            problem_type="质量",
            respondent_name="湘潭市雨湖区家电城",
            respondent_address="湖南省湘潭市雨湖区韶山西路8号",
            handling_department="湘潭市消费者权益保护委员会",
            region="430302",
        ),
    }


def found(q, **filters):
    """The set of complaint numbers the embedded engine finds for a keyword."""
    results = search(DisclosureQuery(q=q, per_page=100, **filters))
    numbers = Disclosure.objects.filter(pk__in=results.ids).values_list(
        "complaint_number", flat=True
    )
    assert results.total == len(results.ids)
    return set(numbers)


def numbers(records, *names):
    return {records[name].complaint_number for name in names}


# --- every public field --------------------------------------------------------------------


def test_a_problem_type_finds_the_records_filed_under_it_whatever_their_text(records):
    assert "虚假宣传" not in records["livestream"].summary + records["livestream"].consumer_request
    assert found("虚假宣传") == numbers(records, "livestream", "supplement")
    # A part of the name works as any other word does.
    assert found("宣传") == numbers(records, "livestream", "supplement")


def test_a_category_name_finds_its_records(records):
    assert found("健身服务") == numbers(records, "gym", "gym_again")
    assert found("家用电器") == numbers(records, "fridge")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("黄兴南路", ("livestream",)),  # the respondent's address
        ("五一大道", ("gym", "gym_again")),
        ("消费者权益保护委员会", ("fridge",)),  # the handling department
        ("芦淞区市场监督管理局", ("supplement",)),
        ("潮衣坊", ("livestream",)),  # the respondent's name, as before
        ("按剩余课时", ("gym_again",)),  # the request
    ],
)
def test_address_department_name_and_request_are_searched(records, q, expected):
    assert found(q) == numbers(records, *expected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("市场监督", ("livestream", "supplement", "gym", "gym_again")),
        ("芙蓉区市场监督", ("gym", "gym_again")),
        ("天心区市场监督管理局", ("livestream",)),
        ("保护委员会", ("fridge",)),
        ("湘", ("fridge",)),  # one character: the start of a word of the name
        ("市场监督管理局长", ()),  # more than any name holds
    ],
)
def test_a_department_is_found_by_any_part_of_its_name(records, q, expected):
    assert found(q) == numbers(records, *expected)


def test_the_department_is_matched_by_name_not_held_in_the_tokens(records):
    livestream = Disclosure.objects.get(pk=records["livestream"].pk)
    assert "监督" not in livestream.search_tokens
    assert livestream.department.name == "长沙市天心区市场监督管理局"
    # Records of one department share its row.
    assert records["gym"].department_id == records["gym_again"].department_id


def test_an_edited_department_is_found_by_its_new_name_at_once(records):
    fridge = records["fridge"]
    fridge.handling_department = "湘潭市雨湖区市场监督管理局"
    fridge.save()
    assert found("消费者权益保护委员会") == set()
    assert found("雨湖区市场监督") == numbers(records, "fridge")
    assert found("市场监督") == numbers(
        records, "livestream", "supplement", "gym", "gym_again", "fridge"
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("五一大道389号", ("gym", "gym_again")),
        ("韶山西路", ("fridge",)),
        ("步行街", ("livestream",)),
        ("株洲市芦淞区建设", ("supplement",)),
        ("湖南省", ("livestream", "supplement", "gym", "gym_again", "fridge")),
        ("韶", ("fridge",)),  # one character: the start of a word of the address
        ("五一大道388号", ()),  # no address holds it, nor any other field
    ],
)
def test_an_address_is_found_by_any_part_of_it(records, q, expected):
    assert found(q) == numbers(records, *expected)
    expected_by_hand = plain_keyword(Disclosure.objects.public(), q)
    assert found(q) == set(expected_by_hand.values_list("complaint_number", flat=True))


def test_the_address_is_matched_through_the_addresses_not_held_in_the_tokens(records):
    livestream = Disclosure.objects.get(pk=records["livestream"].pk)
    assert "黄兴" not in livestream.search_tokens
    assert livestream.address.text == "湖南省长沙市天心区黄兴南路步行街58号"
    # Records of one respondent share its address's row.
    assert records["gym"].address_id == records["gym_again"].address_id
    assert RespondentAddress.objects.count() == 4


def test_an_address_word_and_another_term_must_both_match(records):
    assert found("五一大道 私教") == numbers(records, "gym_again")
    assert found("湖南省 冰箱") == numbers(records, "fridge")
    # The address and the category, and the address and the department.
    assert found("株洲 虚假宣传") == numbers(records, "supplement")
    assert found("黄兴南路 天心区市场监督") == numbers(records, "livestream")
    assert found("韶山西路 退货") == set()


def test_an_edited_address_is_found_by_its_new_words_at_once(records, admin_client):
    fridge = records["fridge"]
    fridge.respondent_address = "湖南省湘潭市岳塘区建设北路1号"
    fridge.save()
    assert found("韶山西路") == set()
    assert found("建设北路") == numbers(records, "fridge")
    assert found("建设") == numbers(records, "supplement", "fridge")
    # The record's page shows the address as edited.
    page = admin_client.get(reverse("disclosures:record", args=[fridge.complaint_number]))
    assert "湖南省湘潭市岳塘区建设北路1号" in page.content.decode()


def test_relevance_ranks_a_match_in_the_text_before_one_by_address_alone(records):
    """The address is no longer in the tokens that BM25 scores: a record matched only by its
    address ranks after those whose own text holds the term, newest first among itself."""
    older = make_disclosure(
        summary="在五一大道门店办卡后门店关闭。",
        consumer_request="退还余款",
        respondent_name="长沙市开福区某美容店",
        respondent_address="湖南省长沙市开福区湘江中路1号",
        complained_on=TODAY - datetime.timedelta(days=300),
        region="430105",
    )
    results = search(DisclosureQuery(q="五一大道", sort="relevance"))
    by_date = search(DisclosureQuery(q="五一大道"))
    assert results.total == by_date.total == 3
    assert results.ids[0] == older.pk
    assert results.ids[1:] == [pk for pk in by_date.ids if pk != older.pk]


def test_every_word_must_match_one_field_or_another(records):
    # 虚假宣传 by problem type and 直播 in the summary: only the livestream complaint has both.
    assert found("虚假宣传 直播") == numbers(records, "livestream")
    # The department and the category together.
    assert found("芙蓉区 健身服务 私教") == numbers(records, "gym_again")
    assert found("虚假宣传 冰箱") == set()
    # A department's word and the summary's: the department alone is not enough.
    assert found("芙蓉区市场监督 私教") == numbers(records, "gym_again")
    assert found("天心区市场监督 冰箱") == set()


def test_the_counts_beside_the_filters_follow_the_keyword_over_the_names(records):
    results = search(DisclosureQuery(q="虚假宣传"))
    problem_types = {facet.label: facet.count for facet in results.facets["problem_type"]}
    categories = {facet.label: facet.count for facet in results.facets["category"]}
    assert problem_types == {"虚假宣传": 2}
    assert categories == {"服装鞋帽": 1, "一般食品": 1}
    # The keyword and a filter on another problem type: nothing, as a reader would expect.
    contract = ProblemType.objects.get(name="合同").pk
    assert found("虚假宣传", problem_type=contract) == set()


def test_a_renamed_category_is_found_by_its_new_name_at_once(records):
    fitness = ComplaintCategory.objects.get(name="健身服务")
    fitness.name = "体育健身服务"
    fitness.save()
    assert found("体育健身") == numbers(records, "gym", "gym_again")


def test_the_engine_agrees_with_a_hand_count_over_every_field(records):
    for q in (
        "虚假宣传",
        "健身",
        "芙蓉区",
        "市场监督管理局",
        "质量 冰箱",
        "湖南省 退货",
        "岳麓",
        "委员会 冰箱",
    ):
        expected = set(
            plain_keyword(Disclosure.objects.public(), q).values_list("complaint_number", flat=True)
        )
        assert found(q) == expected, q


# --- complaint numbers and credit codes -----------------------------------------------------


def test_a_complaint_number_finds_that_record(records):
    fridge = records["fridge"]
    assert found(fridge.complaint_number) == {fridge.complaint_number}
    # Typed with full-width digits on a phone, or with spaces around it.
    wide = fridge.complaint_number.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    assert found(f" {wide} ") == {fridge.complaint_number}


def test_a_credit_code_finds_that_merchants_records(records):
    assert found(YUEXIANG) == numbers(records, "gym", "gym_again")
    assert found(YUEXIANG.lower()) == numbers(records, "gym", "gym_again")


def test_a_hidden_record_is_not_found_by_its_number(records):
    withdrawn = make_disclosure(
        complaint_number="TS430104202601050099",
        objection_state=Disclosure.ObjectionState.WITHDRAWN,
    )
    expired = make_disclosure(
        complaint_number="TS430104202601050098",
        disclosed_on=TODAY - datetime.timedelta(days=400),
        display_until=TODAY - datetime.timedelta(days=1),
    )
    assert found(withdrawn.complaint_number) == set()
    assert found(expired.complaint_number) == set()


def test_the_search_page_finds_a_record_by_number_and_links_to_its_page(client, records):
    gym = records["gym"]
    response = client.get(reverse("disclosures:search"), {"q": gym.complaint_number})
    page = response.content.decode()
    assert "共 1 件公示投诉" in page
    assert reverse("disclosures:record", args=[gym.complaint_number]) in page


def test_the_search_page_finds_the_problem_type(client, records):
    page = client.get(reverse("disclosures:search"), {"q": "虚假宣传"}).content.decode()
    assert "共 2 件公示投诉" in page
    assert "康宁保健品店" in page and "潮衣坊服装店" in page
    assert "悦享健身俱乐部" not in page


def test_the_api_keyword_finds_numbers_codes_and_fields(client, records):
    url = reverse("api:disclosures")

    def api_numbers(q):
        data = json.loads(client.get(url, {"q": q}).content)
        assert data["total"] == len(data["results"])
        return {item["complaint_number"] for item in data["results"]}

    assert api_numbers(records["fridge"].complaint_number) == numbers(records, "fridge")
    assert api_numbers(YUEXIANG) == numbers(records, "gym", "gym_again")
    assert api_numbers("虚假宣传") == numbers(records, "livestream", "supplement")
    assert api_numbers("消费者权益保护委员会") == numbers(records, "fridge")


# --- imports and the migration --------------------------------------------------------------


def test_imported_records_are_found_by_address_and_department():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="a.csv")
    assert found("麓谷大道") == {"TS430104202601050001"}
    assert found("芙蓉区市场监督管理局") == {"TS430102202602110002"}
    assert found("岳麓") == {"TS430104202601050001"}
    assert found("TS430102202602110002") == {"TS430102202602110002"}


def test_imported_records_are_found_by_any_part_of_the_address():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="a.csv")
    assert found("岳麓区") == {"TS430104202601050001"}
    assert found("麓谷大道627") == {"TS430104202601050001"}
    assert found("五一大道") == {"TS430102202602110002"}
    assert found("湖南省长沙市") == {"TS430104202601050001", "TS430102202602110002"}
    assert found("五") == {"TS430102202602110002"}
    assert found("湖南省 电饭煲") == {"TS430104202601050001"}
    lugu = Disclosure.objects.get(complaint_number="TS430104202601050001")
    assert lugu.address.text == "湖南省长沙市岳麓区麓谷大道627号"
    assert "大道" not in lugu.search_tokens


def test_a_reimport_moving_a_record_to_a_new_address_moves_its_code():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="a.csv")
    moved = lugu_row(**{"被投诉人地址": "湖南省长沙市岳麓区银杉路8号"})
    report = import_disclosures(io.BytesIO(csv_bytes([moved, furong_row()])), file_name="b.csv")
    assert (report.updated, report.unchanged) == (1, 1)
    record = Disclosure.objects.get(complaint_number="TS430104202601050001")
    assert record.address.text == "湖南省长沙市岳麓区银杉路8号"
    assert found("银杉路") == {"TS430104202601050001"}
    assert found("麓谷大道") == set()
    # A file without an address leaves the record without one.
    report = import_disclosures(
        io.BytesIO(csv_bytes([lugu_row(**{"被投诉人地址": ""})])), file_name="c.csv"
    )
    assert Disclosure.objects.get(complaint_number="TS430104202601050001").address_id is None
    assert found("银杉路") == set()


def test_a_dry_run_or_a_refused_file_leaves_no_address_behind(monkeypatch):
    new_address = "湖南省长沙市望城区雷锋大道1号"
    row = lugu_row(**{"被投诉人地址": new_address})
    report = import_disclosures(io.BytesIO(csv_bytes([row])), file_name="a.csv", dry_run=True)
    assert not report.refused and report.created == 1
    assert not RespondentAddress.objects.filter(text=new_address).exists()
    # The good row is written (its address added) before the bad one refuses the file.
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    bad = furong_row(**{"投诉日期": "明天"})
    report = import_disclosures(io.BytesIO(csv_bytes([row, bad])), file_name="b.csv")
    assert report.refused
    assert not RespondentAddress.objects.filter(text=new_address).exists()
    assert found("雷锋大道") == set()


def test_a_reimport_moving_a_record_to_another_department_moves_its_code():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="a.csv")
    moved = lugu_row(**{"处理部门": "长沙市消费者权益保护委员会"})
    report = import_disclosures(io.BytesIO(csv_bytes([moved, furong_row()])), file_name="b.csv")
    assert (report.updated, report.unchanged) == (1, 1)
    record = Disclosure.objects.get(complaint_number="TS430104202601050001")
    assert record.department.name == "长沙市消费者权益保护委员会"
    assert found("消费者权益保护") == {"TS430104202601050001"}
    assert found("岳麓区市场监督") == set()


def test_a_dry_run_or_a_refused_file_leaves_no_department_behind(monkeypatch):
    new_department = "长沙市望城区市场监督管理局"
    row = lugu_row(**{"处理部门": new_department})
    report = import_disclosures(io.BytesIO(csv_bytes([row])), file_name="a.csv", dry_run=True)
    assert not report.refused
    # The good row is written (its department added) before the bad one refuses the file.
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    bad = furong_row(**{"投诉日期": "明天"})
    report = import_disclosures(io.BytesIO(csv_bytes([row, bad])), file_name="b.csv")
    assert report.refused
    assert not HandlingDepartment.objects.filter(name=new_department).exists()
    assert found("望城区") == set()


def test_the_migration_recomputes_the_tokens_of_existing_records(records):
    """Records whose tokens are stale (here: none at all): the migration's operation rewrites
    their tokens and brings the full-text index in line."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE disclosures_disclosure SET search_tokens = ''")
    assert found("按剩余课时") == set()
    # The address is matched through its own index, whatever the records' tokens hold.
    assert found("五一大道") == numbers(records, "gym", "gym_again")

    migration = __import__("disclosures.migrations.0013_address_by_name", fromlist=["x"])
    migration.Migration.operations[-1].code(apps, SimpleNamespace(connection=connection))

    assert found("按剩余课时") == numbers(records, "gym_again")
    assert found("冰箱 维修") == numbers(records, "fridge")
    # Later edits still reach the index (SQLite: the update trigger is back).
    fridge = records["fridge"]
    fridge.summary = "洗衣机使用三个月出现故障。"
    fridge.save()
    assert found("冰箱") == set()
    assert found("洗衣机") == numbers(records, "fridge")


def test_the_tokens_are_those_of_the_searched_fields_joined(records):
    """Tokens are made field by field (short fields remembered): the same as tokenising the
    fields joined, which is what the migration and every older record hold."""
    for record in Disclosure.objects.all():
        joined = " ".join(getattr(record, name) for name in SEARCHED_TEXT)
        assert record.search_tokens == index_text(joined)
    # A punctuation-only request leaves no empty token between its neighbours.
    gym = records["gym"]
    gym.consumer_request = "……"
    gym.save()
    assert "  " not in Disclosure.objects.get(pk=gym.pk).search_tokens


def test_recompute_operation_handles_an_empty_table():
    operation = recompute_operation(
        "disclosures_disclosure", "search_tokens", ("summary",), lambda text: text
    )
    operation.code(apps, SimpleNamespace(connection=connection))
    assert not Disclosure.objects.exists()


# --- Elasticsearch: the same rule in the request and the document ---------------------------


def keyword_must(q):
    return build_search(DisclosureQuery(q=q), TODAY).to_dict()["query"]["bool"]["must"]


def test_elasticsearch_matches_a_problem_type_by_its_id(records):
    fraud = ProblemType.objects.get(name="虚假宣传").pk
    (clause,) = keyword_must("虚假宣传")
    should = clause["bool"]["should"]
    assert should[0]["match_phrase"]["tokens"]["query"] == "虚假 假宣 宣传"
    assert {"terms": {"problem_type": [fraud]}} in should
    assert clause["bool"]["minimum_should_match"] == 1


def test_elasticsearch_searches_the_address_and_the_department_by_name(records):
    # The addresses holding the term: their ids, beside the text.
    (clause,) = keyword_must("五一大道")
    should = clause["bool"]["should"]
    assert list(should[0]["match_phrase"]) == ["tokens"]  # the record's own tokens only
    assert {"terms": {"address": [records["gym"].address_id]}} in should
    # A part of the departments' names: their ids, beside the text.
    (clause,) = keyword_must("芙蓉区市场监督")
    should = clause["bool"]["should"]
    assert should[0]["match_phrase"]["tokens"]["query"] == "芙蓉 蓉区 区市 市场 场监 监督"
    furong = HandlingDepartment.objects.get(name="长沙市芙蓉区市场监督管理局").pk
    assert {"terms": {"department": [furong]}} in should
    source = document_source(records["fridge"])
    assert source["handling_department"] == "湘潭市消费者权益保护委员会"
    assert source["department"] == records["fridge"].department_id
    assert source["respondent_address"] == "湖南省湘潭市雨湖区韶山西路8号"
    # The address's own tokens, as its row in the addresses' index holds them.
    address = RespondentAddress.objects.get(pk=records["fridge"].address_id)
    assert source["address_tokens"] == address.search_tokens
    assert source["address"] == records["fridge"].address_id


def test_elasticsearch_matches_a_very_common_address_word_in_the_address_text(records, monkeypatch):
    """Past ``ADDRESS_IDS_SENT`` addresses (Elasticsearch refuses long terms queries), the
    term is matched in the document's address tokens: the same records."""
    monkeypatch.setattr(es_queries, "ADDRESS_IDS_SENT", 1)
    (clause,) = keyword_must("湖南省")
    should = clause["bool"]["should"]
    phrase = {"query": "湖南 南省", "analyzer": "whitespace"}
    assert {"match_phrase": {"address_tokens": phrase}} in should
    assert not any("terms" in part for part in should)
    (clause,) = keyword_must("韶")  # one address: its id, as usual
    assert {"terms": {"address": [records["fridge"].address_id]}} in clause["bool"]["should"]
    monkeypatch.setattr(es_queries, "ADDRESS_IDS_SENT", 0)
    (clause,) = keyword_must("韶")
    assert {"prefix": {"address_tokens": {"value": "韶"}}} in clause["bool"]["should"]


def test_elasticsearch_matches_a_number_or_a_credit_code(records):
    (clause,) = keyword_must(YUEXIANG.lower())
    should = clause["bool"]["should"]
    assert {"term": {"credit_code": YUEXIANG}} in should
    (clause,) = keyword_must("TS430104202601050001")
    assert {"terms": {"complaint_number": ["TS430104202601050001"]}} in clause["bool"]["should"]
    # An ordinary word is no identifier: the plain phrase, as before.
    (clause,) = keyword_must("退货")
    assert set(clause) == {"match_phrase"}


def test_migration_0012_codes_the_departments_and_drops_them_from_the_tokens(records):
    """Records from before: tokens holding the department, no department code. The migration
    codes every record's department and recomputes the tokens without it."""
    with connection.cursor() as cursor:
        for record in Disclosure.objects.all():
            joined = " ".join(
                getattr(record, name) for name in (*SEARCHED_TEXT, "handling_department")
            )
            cursor.execute(
                "UPDATE disclosures_disclosure SET search_tokens = %s, department_id = NULL "
                "WHERE id = %s",
                [index_text(joined), record.pk],
            )
    HandlingDepartment.objects.all().delete()

    migration = __import__("disclosures.migrations.0012_department_by_name", fromlist=["x"])
    for operation in migration.Migration.operations[2:4]:
        operation.code(apps, SimpleNamespace(connection=connection))

    for record in Disclosure.objects.select_related("department"):
        assert record.department.name == record.handling_department
        # The tokens as 0012 knew them: the address still among them (0013 takes it out).
        assert record.search_tokens == index_text(
            " ".join(getattr(record, name) for name in migration.COLUMNS)
        )
    assert HandlingDepartment.objects.count() == 4
    assert found("芙蓉区市场监督") == numbers(records, "gym", "gym_again")
    assert found("五一大道") == numbers(records, "gym", "gym_again")
    # The full-text index follows the new tokens: the department's words are gone from it.
    assert found("监督管理局 黄兴南路") == numbers(records, "livestream")


def test_migration_0013_codes_the_addresses_and_drops_them_from_the_tokens(records):
    """Records from before: tokens holding the address, no address code, no addresses. The
    migration codes every record's address and recomputes the tokens without it."""
    with connection.cursor() as cursor:
        for record in Disclosure.objects.all():
            joined = " ".join(
                getattr(record, name) for name in (*SEARCHED_TEXT, "respondent_address")
            )
            cursor.execute(
                "UPDATE disclosures_disclosure SET search_tokens = %s, address_id = NULL "
                "WHERE id = %s",
                [index_text(joined), record.pk],
            )
    RespondentAddress.objects.all().delete()
    assert count_matches(INDEX, query_terms("黄兴南路")) == 1

    migration = __import__("disclosures.migrations.0013_address_by_name", fromlist=["x"])
    for operation in migration.Migration.operations[3:5]:
        operation.code(apps, SimpleNamespace(connection=connection))

    for record in Disclosure.objects.select_related("address"):
        assert record.address.text == record.respondent_address
        assert record.search_tokens == index_text(
            " ".join(getattr(record, name) for name in SEARCHED_TEXT)
        )
    assert RespondentAddress.objects.count() == 4
    assert found("五一大道") == numbers(records, "gym", "gym_again")
    assert found("韶 冰箱") == numbers(records, "fridge")
    # The full-text index follows the new tokens: the address's words are gone from it.
    assert count_matches(INDEX, query_terms("黄兴南路")) == 0
    assert found("黄兴南路") == numbers(records, "livestream")


def test_the_full_text_index_merges_less_often_while_an_import_writes():
    """Migration 0012's FTS5 setting (SQLite): the same matches, fewer merges."""
    if connection.vendor != "sqlite":
        pytest.skip("an FTS5 setting")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v FROM {INDEX.fts_table}_config WHERE k = 'automerge'")
        assert cursor.fetchone() == (8,)
