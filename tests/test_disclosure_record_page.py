"""Each public complaint has a page of its own, /disclosures/<complaint number>/, linked from the
results: the merchant (linked to its records and, when registered, its scan page), the
objection state, the result, the dates, category, region, problem type and handling
department, and never the complainant."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Disclosure

from .disclosure_factories import make_disclosure
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YUEXIANG = credit_code("430102", serial=73201)
# Half-width punctuation between two Chinese characters: what the page must never show.
HALF_WIDTH_BETWEEN_CHINESE = re.compile(r"[\u4e00-\u9fff][,.:;()!?][\u4e00-\u9fff]")


def record_url(record):
    return reverse("disclosures:record", args=[record.complaint_number])


def visible_text(html):
    """The page's text as a reader sees it: no tags, scripts or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def gym():
    return make_merchant(
        registered_name="长沙市芙蓉区悦享健身俱乐部",
        shop_name="悦享健身(五一店)",
        region="430102",
        credit_code=YUEXIANG,
        address="湖南省长沙市芙蓉区五一大道389号",
    )


@pytest.fixture
def record(gym):
    return make_disclosure(
        complaint_number="TS430102202602110002",
        respondent_name="长沙市芙蓉区悦享健身俱乐部",
        credit_code=YUEXIANG,
        respondent_address="湖南省长沙市芙蓉区五一大道389号",
        summary="办理预付卡3000元后健身房停业,商家失联,无法退费。",
        consumer_request="退还预付卡余额",
        category="健身服务",
        problem_type="合同",
        result="调解成功",
        region="430102",
        handling_department="长沙市芙蓉区市场监督管理局",
        complained_on=datetime.date(2026, 2, 11),
        closed_on=datetime.date(2026, 3, 2),
        recovered_amount=Decimal("2400.00"),
        disclosed_on=TODAY - datetime.timedelta(days=3),
        display_until=TODAY + datetime.timedelta(days=360),
        merchant=gym,
    )


def test_the_page_shows_what_the_bureau_published(client, record, gym):
    response = client.get(record_url(record))
    assert response.status_code == 200
    page = response.content.decode()
    text = visible_text(page)
    for shown in (
        "投诉公示：TS430102202602110002",
        "长沙市芙蓉区悦享健身俱乐部",
        YUEXIANG,
        "湖南省长沙市芙蓉区五一大道389号",
        "办理预付卡3000元后健身房停业",
        "消费者诉求：退还预付卡余额",
        "健身服务",
        "合同",
        "湖南省长沙市芙蓉区",  # the region, in full
        "2026年2月11日",  # complained
        "2026年3月2日",  # closed
        "长沙市芙蓉区市场监督管理局",
        "调解成功",
        "2,400.00元",
        "异议状态",
        "无异议",
        "经营者未对本条公示提出异议。",
    ):
        assert shown in text, shown
    start = f"{record.disclosed_on.year}年{record.disclosed_on.month}月{record.disclosed_on.day}日"
    assert f"{start}至" in text
    # The merchant's other records, and its pledges on the scan page.
    assert reverse("disclosures:merchant", args=[YUEXIANG]) in page
    assert reverse("merchants:scan", args=[gym.current_code.code]) in page
    # Shared under the merchant's name and the complaint's kind.
    og_title = "长沙市芙蓉区悦享健身俱乐部：健身服务·合同投诉公示"
    assert f'<meta property="og:title" content="{og_title}">' in page
    description = f"长沙市芙蓉区悦享健身俱乐部，健身服务·合同，{start}公示，处理结果：调解成功。"
    assert f'<meta name="description" content="{description}">' in page
    assert f'<meta property="og:description" content="{description}">' in page
    assert not HALF_WIDTH_BETWEEN_CHINESE.search(text.replace(record.summary, ""))


def test_a_respondent_that_is_no_registered_merchant_has_no_scan_link(client):
    record = make_disclosure(respondent_name="长沙市岳麓区麓谷优选超市有限公司", credit_code="")
    page = client.get(record_url(record)).content.decode()
    assert "长沙市岳麓区麓谷优选超市有限公司" in page
    assert "查看放心消费承诺" not in page
    assert "该经营者的全部投诉公示" not in page


@pytest.mark.parametrize(
    ("state", "label", "note"),
    [
        (Disclosure.ObjectionState.OBJECTED, "经营者提出异议", "正在核查"),
        (Disclosure.ObjectionState.CORRECTED, "已更正", "已按核查结果更正"),
    ],
)
def test_the_objection_state_is_shown(client, record, state, label, note):
    record.objection_state = state
    record.save()
    text = visible_text(client.get(record_url(record)).content.decode())
    assert label in text and note in text


@pytest.mark.parametrize(
    "changes",
    [
        {"objection_state": Disclosure.ObjectionState.WITHDRAWN},
        {
            "disclosed_on": TODAY - datetime.timedelta(days=400),
            "display_until": TODAY - datetime.timedelta(days=1),
        },
        {"disclosed_on": TODAY + datetime.timedelta(days=1)},
    ],
    ids=["withdrawn", "expired", "not-yet-public"],
)
def test_a_record_no_longer_or_not_yet_public_is_not_found(client, record, changes):
    Disclosure.objects.filter(pk=record.pk).update(**changes)
    assert client.get(record_url(record)).status_code == 404


def test_a_record_still_being_imported_is_not_found(client, record):
    Disclosure.objects.filter(pk=record.pk).update(pending=True)
    assert client.get(record_url(record)).status_code == 404


def test_an_unknown_number_is_not_found(client, record):
    assert client.get("/disclosures/TS000000000000000000/").status_code == 404


def test_a_number_with_a_slash_has_its_page(client):
    record = make_disclosure(complaint_number="湘长芙市监投〔2026〕12/3号")
    url = record_url(record)
    assert client.get(url).status_code == 200


def test_the_results_and_the_merchant_records_link_to_the_page(client, record):
    url = record_url(record)
    search_page = client.get(reverse("disclosures:search"), {"q": "预付卡"}).content.decode()
    assert f'href="{url}"' in search_page
    records_page = client.get(reverse("disclosures:merchant", args=[YUEXIANG])).content.decode()
    assert f'href="{url}"' in records_page


def test_the_scan_page_links_its_latest_complaints_to_their_pages(client, record, gym):
    scan_page = client.get(reverse("merchants:scan", args=[gym.current_code.code]))
    assert f'href="{record_url(record)}"' in scan_page.content.decode()


def test_no_complainant_data_reaches_the_page(client, gym):
    from disclosures.scrubbing import scrub

    raw = "本人张伟,电话13974851234,身份证430104199003071234,在该店办卡后门店关闭。"
    record = make_disclosure(summary=scrub(raw).text, consumer_request="退款")
    page = client.get(record_url(record)).content.decode()
    for personal in ("张伟", "13974851234", "430104199003071234"):
        assert personal not in page
    # Nor the merchant's private contact.
    assert gym.contact_phone and gym.contact_phone not in page


def test_the_page_fits_a_phone(client, record):
    """The layout is the site's (viewport meta, the portal stylesheet) and the facts are a
    definition list whose values wrap, so nothing is wider than 390 px."""
    page = client.get(record_url(record)).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'class="disclosure-record__facts"' in page
    assert "<table" not in page
