"""The public merchant directory and district pages: search, filters, paging."""

import pytest
from django.urls import reverse

from merchants.models import Merchant, PledgeType

from .merchant_factories import credit_code, make_district, make_expired_merchant, make_merchant

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("merchants:directory")


def listed_names(response):
    return [row["merchant"].registered_name for row in response.context["rows"]]


@pytest.fixture
def merchants():
    wuyi = make_district("五一商圈", region="430102", description="长沙老城核心商圈")
    return {
        "youxuan": make_merchant(credit_code=credit_code("430104", serial=101)),
        "xiangwei": make_merchant(
            registered_name="长沙市芙蓉区湘味轩餐饮店",
            shop_name="湘味轩(五一店)",
            region="430102",
            district=wuyi,
            credit_code=credit_code("430102", serial=202),
            pledges=[
                {
                    "pledge_type": "放心消费承诺",
                    "content": "明码标价,足斤足两",
                    "starts_on": "2025-01-01",
                    "ends_on": None,
                }
            ],
        ),
        "expired": make_expired_merchant(
            registered_name="株洲市天元区惠民药房",
            shop_name="",
            region="430211",
            credit_code=credit_code("430211", serial=303),
        ),
        "removed": make_merchant(
            registered_name="长沙市芙蓉区金鑫珠宝店",
            shop_name="金鑫珠宝",
            region="430102",
            district=wuyi,
            registry_status=Merchant.RegistryStatus.REMOVED,
            credit_code=credit_code("430102", serial=404),
        ),
        "pending": make_merchant(
            registered_name="长沙市岳麓区待审优选便利店",
            shop_name="待审优选便利店",
            registry_status=Merchant.RegistryStatus.PENDING,
            credit_code=credit_code("430104", serial=505),
        ),
    }


def test_directory_lists_public_merchants_and_hides_pending_ones(client, merchants):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    names = listed_names(response)
    assert sorted(names) == sorted(
        m.registered_name for key, m in merchants.items() if key != "pending"
    )
    html = response.content.decode()
    assert "待审优选便利店" not in html
    assert "王建国" not in html and "13807311234" not in html
    # Each row links to the merchant's scan page with its status.
    code = merchants["youxuan"].current_code.code
    assert f'href="/m/{code}/"' in html
    assert "merchant-status--ok" in html and "已摘牌" in html


def test_two_chinese_characters_inside_a_shop_name_find_it(client, merchants):
    response = client.get(DIRECTORY, {"q": "优选"})
    # 待审优选便利店 matches too, but is pending, so it stays hidden.
    assert listed_names(response) == ["长沙市岳麓区麓谷优选超市有限公司"]
    assert listed_names(client.get(DIRECTORY, {"q": "五一店"})) == ["长沙市芙蓉区湘味轩餐饮店"]
    assert listed_names(client.get(DIRECTORY, {"q": "火锅"})) == []
    assert "没有找到符合条件的承诺商家" in client.get(DIRECTORY, {"q": "火锅"}).content.decode()


def test_search_by_full_credit_code_and_by_its_prefix(client, merchants):
    code = merchants["xiangwei"].credit_code
    assert listed_names(client.get(DIRECTORY, {"q": code})) == ["长沙市芙蓉区湘味轩餐饮店"]
    assert listed_names(client.get(DIRECTORY, {"q": code.lower()})) == ["长沙市芙蓉区湘味轩餐饮店"]
    both = listed_names(client.get(DIRECTORY, {"q": "91430102"}))
    assert sorted(both) == ["长沙市芙蓉区湘味轩餐饮店", "长沙市芙蓉区金鑫珠宝店"]


def test_filter_by_city_and_by_county(client, merchants):
    changsha = listed_names(client.get(DIRECTORY, {"region": "430100"}))
    assert "株洲市天元区惠民药房" not in changsha and len(changsha) == 3
    furong = listed_names(client.get(DIRECTORY, {"region": "430102"}))
    assert sorted(furong) == ["长沙市芙蓉区湘味轩餐饮店", "长沙市芙蓉区金鑫珠宝店"]


def test_filter_by_district(client, merchants):
    district = merchants["xiangwei"].district
    names = listed_names(client.get(DIRECTORY, {"district": district.pk}))
    assert sorted(names) == ["长沙市芙蓉区湘味轩餐饮店", "长沙市芙蓉区金鑫珠宝店"]


def test_filter_by_pledge_type(client, merchants):
    returns = PledgeType.objects.get(name="线下无理由退货承诺")
    names = listed_names(client.get(DIRECTORY, {"pledge_type": returns.pk}))
    assert sorted(names) == ["长沙市岳麓区麓谷优选超市有限公司", "长沙市芙蓉区金鑫珠宝店"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("in_force", ["长沙市岳麓区麓谷优选超市有限公司", "长沙市芙蓉区湘味轩餐饮店"]),
        ("expired", ["株洲市天元区惠民药房"]),
        ("removed", ["长沙市芙蓉区金鑫珠宝店"]),
        ("suspended", []),
        ("pending", None),  # not a public choice: ignored, everything public is listed
    ],
)
def test_filter_by_status(client, merchants, status, expected):
    names = listed_names(client.get(DIRECTORY, {"status": status}))
    if expected is None:
        assert len(names) == 4
    else:
        assert sorted(names) == sorted(expected)


def test_filters_combine_with_the_search(client, merchants):
    names = listed_names(client.get(DIRECTORY, {"q": "芙蓉", "status": "in_force"}))
    assert names == ["长沙市芙蓉区湘味轩餐饮店"]


def test_directory_pages_twenty_at_a_time(client):
    for serial in range(23):
        make_merchant(
            registered_name=f"长沙市岳麓区第{serial + 1}号优选便利店",
            shop_name="",
            credit_code=credit_code("430104", serial=600 + serial),
        )
    first = client.get(DIRECTORY)
    assert len(first.context["rows"]) == 20
    assert "第 1 页，共 2 页" in first.content.decode()
    second = client.get(DIRECTORY, {"page": 2})
    assert len(second.context["rows"]) == 3
    assert not set(listed_names(first)) & set(listed_names(second))


def test_district_page_lists_its_merchants(client, merchants):
    district = merchants["xiangwei"].district
    response = client.get(reverse("merchants:district", args=[district.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "五一商圈" in html
    assert "长沙老城核心商圈" in html
    assert "湖南省长沙市芙蓉区" in html
    assert sorted(listed_names(response)) == ["长沙市芙蓉区湘味轩餐饮店", "长沙市芙蓉区金鑫珠宝店"]
    assert client.get(reverse("merchants:district", args=[99999])).status_code == 404


def test_merchant_renamed_is_found_by_its_new_name(client, merchants):
    merchant = merchants["youxuan"]
    merchant.shop_name = "麓谷鲜丰果园"
    merchant.save()
    assert listed_names(client.get(DIRECTORY, {"q": "鲜丰"})) == [merchant.registered_name]
    assert listed_names(client.get(DIRECTORY, {"q": "超市"})) == [merchant.registered_name]


def test_the_main_menu_leads_to_the_directory_and_marks_it_current(client):
    home = client.get("/").content.decode()
    assert f'<a href="{reverse("merchants:directory")}">承诺商家</a>' in home
    directory_page = client.get(reverse("merchants:directory")).content.decode()
    assert 'href="/merchants/" aria-current="page">承诺商家</a>' in directory_page
