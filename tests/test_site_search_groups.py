"""One search box finds everything: the header's /search/ answers with the bureau's pages, the
pledge merchants and the disclosed complaints, each group counted and linked to its full
results, whatever a reader (or a script) puts in the query string."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from wagtail import hooks

from merchants.models import Merchant
from search.result_groups import SITE_SEARCH_GROUPS_HOOK, ResultGroup, result_groups

from .disclosure_factories import make_disclosure, make_hidden_disclosures
from .merchant_factories import credit_code, make_merchant
from .pages import build_sections, make_alert

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
YOUXUAN_CODE = credit_code("430104", serial=7101)


@pytest.fixture
def site():
    sections = build_sections()
    make_alert(
        sections["alerts"],
        "网购退货消费提示：看清七日无理由退货规则",
        "部分商品不适用七日无理由退货，下单前请看清商品页面的退货说明。",
    )
    youxuan = make_merchant(credit_code=YOUXUAN_CODE)
    make_merchant(
        registered_name="长沙市芙蓉区湘味轩餐饮店",
        shop_name="湘味轩（五一店）",
        region="430102",
        credit_code=credit_code("430102", serial=7202),
    )
    make_merchant(
        registered_name="长沙市岳麓区待审优选便利店",
        shop_name="待审优选便利店",
        registry_status=Merchant.RegistryStatus.PENDING,
        credit_code=credit_code("430104", serial=7303),
    )
    records = [
        make_disclosure(
            credit_code=YOUXUAN_CODE,
            summary="消费者反映在麓谷优选超市购买的羽绒服起球，商家拒绝退货。",
        ),
        make_disclosure(
            credit_code=YOUXUAN_CODE,
            summary="消费者反映优选超市售卖的酸奶已过保质期。",
            category="一般食品",
            problem_type="质量",
        ),
        make_disclosure(
            respondent_name="长沙市芙蓉区悦享健身俱乐部",
            summary="健身房收取预付卡费用后关门跑路，剩余课程无法使用。",
            category="健身服务",
            problem_type="合同",
            result="调解不成功",
        ),
    ]
    make_hidden_disclosures(summary="优选超市拒绝退货，储值卡余额不退。")
    return {"merchant": youxuan, "records": records, "alerts": sections["alerts"]}


def page(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response, response.content.decode()


def group(response, key):
    return next(g for g in response.context["groups"] if g.key == key)


def test_one_query_answers_with_pages_merchants_and_complaints_in_a_stable_order(client, site):
    response, text = page(client, q="优选")
    merchants, complaints = group(response, "merchants"), group(response, "complaints")
    # The pending merchant is not public; the hidden records are not either.
    assert merchants.count == 1
    assert [item.title for item in merchants.items] == ["长沙市岳麓区麓谷优选超市有限公司"]
    assert merchants.items[0].url == reverse(
        "merchants:scan", args=[site["merchant"].current_code.code]
    )
    assert complaints.count == 2
    assert {item.title for item in complaints.items} == {"长沙市岳麓区麓谷优选超市有限公司"}
    # The summary says every group's count, the empty pages group included.
    summary = re.sub(r"<[^>]+>|\s+", "", text.split('class="result-summary"')[1].split("</nav>")[0])
    assert "承诺商家1家" in summary
    assert "投诉公示2条" in summary
    assert "本站资讯0条" in summary
    # Groups in the registry's order: merchants, complaints, then the bureau's pages.
    assert text.index('id="group-merchants"') < text.index('id="group-complaints"')
    assert 'id="group-pages"' not in text  # an empty group is not shown, only counted


def test_a_word_finds_pages_and_complaints_with_the_words_marked(client, site):
    response, text = page(client, q="退货")
    assert response.context["search"].total == 1
    assert "网购退货消费提示" in text
    assert group(response, "complaints").count == 1
    assert group(response, "merchants").count == 0
    assert 'id="group-merchants"' not in text
    assert "商家拒绝<mark>退货</mark>" in text
    assert text.index('id="group-complaints"') < text.index('id="group-pages"')


def test_each_group_links_to_its_full_results_with_the_query_carried_over(client, site):
    response, text = page(client, q="优选")
    for key, path in (("merchants", "merchants:directory"), ("complaints", "disclosures:search")):
        found = group(response, key)
        link = urlsplit(found.more_url)
        assert link.path == reverse(path)
        assert parse_qs(link.query)["q"] == ["优选"]
        assert html.escape(found.more_url) in text
        full = client.get(found.more_url)
        assert full.status_code == 200
        if key == "merchants":
            assert full.context["page_obj"].paginator.count == found.count
        else:
            assert full.context["results"].total == found.count
    assert "在承诺商家名录中查看全部 1 家" in text
    assert "在投诉公示中查看全部 2 条" in text


def test_a_credit_code_finds_the_merchant_and_its_records(client, site):
    response, _text = page(client, q=YOUXUAN_CODE)
    assert [item.title for item in group(response, "merchants").items] == [
        "长沙市岳麓区麓谷优选超市有限公司"
    ]
    assert group(response, "complaints").count == 2
    # The first characters of a code, as a reader copies them from a licence, find it too.
    response, _text = page(client, q=YOUXUAN_CODE[:10])
    assert group(response, "merchants").count == 1


def test_a_complaint_number_finds_its_record(client, site):
    record = site["records"][2]
    response, text = page(client, q=record.complaint_number)
    complaints = group(response, "complaints")
    assert complaints.count == 1
    assert complaints.items[0].title == "长沙市芙蓉区悦享健身俱乐部"
    assert f"投诉编号：{record.complaint_number}" in text
    assert "调解不成功" in text
    # The hit opens the record's own page.
    url = reverse("disclosures:record", args=[record.complaint_number])
    assert complaints.items[0].url == url
    assert f'href="{url}"' in text
    opened = client.get(url)
    assert opened.status_code == 200
    assert "健身房收取预付卡费用后关门跑路" in opened.content.decode()


def test_punctuation_alone_finds_nothing_rather_than_every_complaint(client, site):
    response, text = page(client, q="！！！……")
    assert group(response, "complaints").count == 0
    assert group(response, "complaints").items == []
    assert "未找到与“！！！……”相关的资讯、承诺商家或投诉公示" in text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "退货\x00优选"},
        {"q": "优选" * 5000},
        {"q": "'\" AND OR * NEAR( -- ;"},
        {"q": "%00%ff\ufffd"},
        {"q": "退货", "page": "9" * 5000},
        {"q": "退货", "page": "-3"},
        {"q": "退货", "type": "\x00" * 50},
        {"q": "", "page": "２"},
    ],
)
def test_hostile_query_strings_give_a_normal_page(client, site, params):
    _response, text = page(client, **params)
    assert "站内搜索" in text


def test_a_page_number_in_other_digits_is_the_first_page_not_the_last(client, site):
    for number in range(11):
        make_alert(site["alerts"], f"退货提示第{number + 1}期", "理性消费，保留购物凭证以便退货。")
    response, _text = page(client, q="退货", page="2")
    assert response.context["search"].page_obj.number == 2
    for odd in ("١٢", "２", "²"):
        response, _text = page(client, q="退货", page=odd)
        assert response.context["search"].page_obj.number == 1
    response, _text = page(client, q="退货", page="9" * 30)
    assert response.context["search"].page_obj.number == 2
    # Paging on is about pages: the merchant and complaint groups answered on the first.
    assert response.context["groups"] == []


def test_the_header_box_says_what_it_searches_and_is_the_search_page_box(client, site):
    home = client.get("/").content.decode()
    header = home.split("<header>")[1].split("</header>")[0]
    assert 'action="/search/"' in header
    assert 'placeholder="搜索资讯、承诺商家、投诉公示"' in header
    _response, text = page(client, q="优选")
    # One include: the same label in the header and on the page, the query in both boxes.
    assert text.count("搜索本站资讯、承诺商家和投诉公示") == 2
    assert text.count('name="q" value="优选"') == 2


def test_groups_come_in_their_order_whatever_the_order_of_registration(site):
    def first(text, limit):
        return ResultGroup("first", "最先", "条", 1, "/first/", "全部", order=1)

    with hooks.register_temporarily(SITE_SEARCH_GROUPS_HOOK, first):
        assert [g.key for g in result_groups("优选")] == ["first", "merchants", "complaints"]
    assert result_groups("") == []


def test_a_missing_page_offers_the_same_search_box(client):
    response = client.get("/zhe-ge-ye-mian-bu-cun-zai/")
    assert response.status_code == 404
    text = response.content.decode()
    assert 'id="notfound-q"' in text
    assert text.count("搜索本站资讯、承诺商家和投诉公示") == 2  # the header's and the page's
