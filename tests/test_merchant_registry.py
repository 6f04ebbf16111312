"""The pledge registry: credit codes, regions, status rules, codes, and the admin editors use."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from common import credit_code
from merchants import codes
from merchants.models import Merchant, MerchantCode, Pledge, PublicStatus, Region

from .merchant_factories import (
    make_district,
    make_expired_merchant,
    make_merchant,
    pledge_type,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# --- 统一社会信用代码 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed in GB 32100-2015 guides
        "91110000802100433B",
        "91 3501 00M0 0010 0Y43",  # as typed from a paper licence
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width, from a Chinese input method
        "91350100m000100y43",
    ],
)
def test_valid_credit_codes_are_accepted_and_normalised(code):
    assert credit_code.validate(code) in {"91350100M000100Y43", "91110000802100433B"}


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "校验位错误（第18位应为3）"),
        ("91110000802100433C", "第18位应为B"),
        ("9135010M000100Y43", "应为18位，实为17位"),
        ("91350100M000100I43", "不允许的字符：I"),  # I, O, S, V, Z are never used
        ("", "为空"),
    ],
)
def test_invalid_credit_codes_are_refused_with_the_reason(code, reason):
    with pytest.raises(credit_code.CreditCodeError, match=re.escape(reason)):
        credit_code.validate(code)


def test_the_model_refuses_a_wrong_check_character():
    merchant = Merchant(
        credit_code="91350100M000100Y44",
        registered_name="长沙市芙蓉区某超市",
        region=Region.objects.get(code="430102"),
        address="五一大道1号",
    )
    with pytest.raises(ValidationError) as error:
        merchant.full_clean()
    assert "校验位错误" in str(error.value.message_dict["credit_code"])


# --- 行政区划 -------------------------------------------------------------------------------


def test_hunan_ships_with_its_fourteen_cities_and_their_counties():
    hunan = Region.objects.get(code="430000")
    cities = Region.objects.filter(parent=hunan)
    assert cities.count() == 14
    assert {"长沙市", "张家界市", "湘西土家族苗族自治州"} <= set(
        cities.values_list("name", flat=True)
    )
    yuelu = Region.objects.get(code="430104")
    assert yuelu.full_name == "湖南省长沙市岳麓区"
    assert (yuelu.city.name, yuelu.province.name) == ("长沙市", "湖南省")
    assert Region.objects.get(code="433130").full_name == "湖南省湘西土家族苗族自治州龙山县"


def test_another_province_loads_from_a_csv(tmp_path):
    csv_file = tmp_path / "hubei.csv"
    csv_file.write_text(
        "行政区划代码,名称\n420000,湖北省\n420100,武汉市\n420106,武昌区\n429004,仙桃市\n",
        encoding="utf-8-sig",
    )
    out = io.StringIO()
    call_command("load_regions", str(csv_file), stdout=out)
    assert "新建 4 条" in out.getvalue()
    assert Region.objects.get(code="420106").full_name == "湖北省武汉市武昌区"
    # A county-level city directly under the province hangs from the province.
    assert Region.objects.get(code="429004").parent_id == "420000"
    call_command("load_regions", str(csv_file), stdout=io.StringIO())
    assert Region.objects.filter(code__startswith="42").count() == 4


def test_a_bad_region_csv_is_refused_with_line_numbers(tmp_path):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("行政区划代码,名称\n4201,武汉市\n420106,\n", encoding="utf-8")
    with pytest.raises(Exception, match="第2行.*6位数字"):
        call_command("load_regions", str(csv_file), stdout=io.StringIO())


# --- status -------------------------------------------------------------------------------


def _status_sets():
    return {status: set(Merchant.objects.with_status(status)) for status in PublicStatus.values}


def test_each_status_follows_from_registry_status_and_pledge_dates():
    in_force = make_merchant(registered_name="长沙市开福区湘江家电城有限公司")
    expired = make_expired_merchant(registered_name="株洲市荷塘区荷花服饰店")
    suspended = make_merchant(
        registered_name="湘潭市雨湖区万家乐超市", registry_status=Merchant.RegistryStatus.SUSPENDED
    )
    removed = make_merchant(
        registered_name="衡阳市珠晖区鑫鑫手机店", registry_status=Merchant.RegistryStatus.REMOVED
    )
    pending = make_merchant(
        registered_name="岳阳市岳阳楼区南湖眼镜店", registry_status=Merchant.RegistryStatus.PENDING
    )
    not_started = make_merchant(
        registered_name="常德市武陵区步行街鞋城",
        pledges=[
            {
                "pledge_type": "放心消费承诺",
                "starts_on": TODAY + datetime.timedelta(days=10),
                "ends_on": TODAY + datetime.timedelta(days=375),
            }
        ],
    )
    expected = {
        in_force: PublicStatus.IN_FORCE,
        expired: PublicStatus.EXPIRED,
        suspended: PublicStatus.SUSPENDED,
        removed: PublicStatus.REMOVED,
        pending: PublicStatus.PENDING,
        not_started: PublicStatus.PENDING,
    }
    sets = _status_sets()
    for merchant, status in expected.items():
        assert merchant.public_status() == status, merchant
        # The database filter (used by the admin and the directory) agrees with the model.
        assert merchant in sets[status], (merchant, status)
        assert sum(merchant in members for members in sets.values()) == 1


def test_a_pledge_expires_by_itself_on_the_day_after_its_end_date():
    merchant = make_merchant(
        pledges=[
            {
                "pledge_type": "放心消费承诺",
                "starts_on": datetime.date(2025, 1, 1),
                "ends_on": datetime.date(2026, 12, 31),
            }
        ]
    )
    assert merchant.public_status(on=datetime.date(2026, 12, 31)) == PublicStatus.IN_FORCE
    assert merchant.valid_until(on=datetime.date(2026, 12, 31)) == datetime.date(2026, 12, 31)
    assert merchant.public_status(on=datetime.date(2027, 1, 1)) == PublicStatus.EXPIRED
    assert merchant.expired_on(on=datetime.date(2027, 1, 1)) == datetime.date(2026, 12, 31)


def test_suspending_or_removing_needs_a_reason_and_records_the_date():
    merchant = make_merchant()
    merchant.registry_status = Merchant.RegistryStatus.REMOVED
    merchant.status_reason = ""
    with pytest.raises(ValidationError) as error:
        merchant.full_clean()
    assert "status_reason" in error.value.message_dict
    merchant.status_reason = "多次拒绝履行七日无理由退货承诺"
    merchant.status_changed_on = None
    merchant.save()
    assert merchant.status_changed_on == TODAY


def test_return_pledges_need_at_least_seven_days_and_a_scope():
    merchant = make_merchant()
    pledge = Pledge(
        merchant=merchant,
        pledge_type=pledge_type("线下无理由退货承诺"),
        return_days=5,
        starts_on=TODAY,
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        pledge.full_clean()
    assert set(error.value.message_dict) >= {"return_days", "return_scope", "ends_on"}


# --- public codes ---------------------------------------------------------------------------


def test_every_merchant_gets_a_short_random_code_that_survives_edits():
    merchant = make_merchant()
    code = merchant.current_code.code
    assert codes.looks_valid(code)
    assert not set(code) & set("01258BDILOSUVZ")  # no look-alikes
    merchant.shop_name = "麓谷优选超市(旗舰店)"
    merchant.save()
    assert Merchant.objects.get(pk=merchant.pk).current_code.code == code
    other = make_merchant(registered_name="长沙市天心区南门口药房")
    assert other.current_code.code != code


def test_a_retired_code_is_kept_forever_and_never_reissued():
    merchant = make_merchant()
    old = merchant.current_code
    new = old.retire("二维码被冒用于他处")
    assert new.code != old.code
    assert Merchant.objects.get(pk=merchant.pk).current_code == new
    merchant.delete()
    # The rows stay, so a new code can never collide with a code once printed.
    assert MerchantCode.objects.filter(code=old.code, retired_at__isnull=False).exists()
    assert MerchantCode.objects.get(code=new.code).merchant is None


# --- admin ----------------------------------------------------------------------------------

INDEX_URL = "wagtailsnippets_merchants_merchant:list"


def _listed_names(response):
    return [row.registered_name for row in response.context["object_list"]]


def test_admin_filters_by_region_district_status_pledge_type_and_expiry(admin_client):
    wuyi = make_district("五一商圈", region="430102")
    in_changsha = make_merchant(
        registered_name="长沙市芙蓉区五一百货有限公司", region="430102", district=wuyi
    )
    in_zhuzhou = make_merchant(
        registered_name="株洲市天元区神农城超市",
        region="430211",
        pledges=[
            {
                "pledge_type": "快速响应双承诺",
                "content": "45分钟内答复、90分钟内到场",
                "starts_on": TODAY - datetime.timedelta(days=300),
                "ends_on": TODAY + datetime.timedelta(days=20),
            }
        ],
    )
    expired = make_expired_merchant(registered_name="湘潭市岳塘区老街茶馆", region="430304")
    url = reverse(INDEX_URL)

    assert _listed_names(admin_client.get(url, {"region": "430100"})) == [
        in_changsha.registered_name
    ]
    assert _listed_names(admin_client.get(url, {"region": "430211"})) == [
        in_zhuzhou.registered_name
    ]
    assert _listed_names(admin_client.get(url, {"district": wuyi.pk})) == [
        in_changsha.registered_name
    ]
    assert _listed_names(admin_client.get(url, {"status": "expired"})) == [expired.registered_name]
    quick = pledge_type("快速响应双承诺").pk
    assert _listed_names(admin_client.get(url, {"pledge_type": quick})) == [
        in_zhuzhou.registered_name
    ]
    assert _listed_names(admin_client.get(url, {"expiring": "true"})) == [
        in_zhuzhou.registered_name
    ]


def test_admin_listing_shows_status_and_code(admin_client):
    merchant = make_merchant(registered_name="郴州市北湖区裕后街特产店", region="431002")
    response = admin_client.get(reverse(INDEX_URL))
    html = response.content.decode()
    assert "郴州市北湖区裕后街特产店" in html
    assert "承诺有效" in html
    assert merchant.current_code.code in html


def test_admin_exports_csv_with_bom_and_xlsx(admin_client):
    make_merchant(registered_name="益阳市赫山区资江家具城", region="430903")
    make_expired_merchant(registered_name="娄底市娄星区万豪超市", region="431302")
    url = reverse(INDEX_URL)
    csv_response = admin_client.get(url, {"export": "csv", "status": "in_force"})
    body = b"".join(csv_response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff统一社会信用代码,经营者名称")
    assert "益阳市赫山区资江家具城" in body and "湖南省益阳市赫山区" in body
    assert "娄底市娄星区万豪超市" not in body  # the filter applies to the export
    assert "13807311234" in body  # staff exports carry the private contact

    xlsx = admin_client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("统一社会信用代码", "经营者名称")
    assert {row[1] for row in rows[1:]} == {"益阳市赫山区资江家具城", "娄底市娄星区万豪超市"}


def _merchant_form(merchant=None, **overrides):
    data = {
        "credit_code": credit_code.with_check_character("91430111MA4T2Q8K0"),
        "registered_name": "长沙市雨花区红星家居广场有限公司",
        "shop_name": "红星家居广场",
        "category": "",
        "region": "430111",
        "address": "湖南省长沙市雨花区劳动东路118号",
        "district": "",
        "online_shop": "",
        "online_platform": "",
        "contact_person": "李红",
        "contact_phone": "0731-85551234",
        "registry_status": "listed",
        "status_changed_on": "",
        "status_reason": "",
        "pledges": inline_formset(
            [
                {
                    "pledge_type": pledge_type("线下无理由退货承诺").pk,
                    "content": "",
                    "return_days": "15",
                    "return_scope": "家具、灯饰(定制类除外)",
                    "return_conditions": "未安装使用,凭发票",
                    "starts_on": "2026-01-01",
                    "ends_on": "2027-12-31",
                }
            ],
            min=1,
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editors_create_a_merchant_with_a_pledge_and_it_is_in_the_audit_log(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_merchants_merchant:add"), _merchant_form()
    )
    assert response.status_code == 302, response.context["form"].errors
    merchant = Merchant.objects.get(registered_name="长沙市雨花区红星家居广场有限公司")
    assert merchant.pledges.get().return_days == 15
    assert merchant.current_code is not None

    edit = reverse("wagtailsnippets_merchants_merchant:edit", args=[merchant.pk])
    form = _merchant_form(shop_name="红星家居广场(劳动东路店)")
    form["pledges-0-id"] = merchant.pledges.get().pk
    response = admin_client.post(edit, form)
    assert response.status_code == 302
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(merchant.pk)).values_list("action", flat=True)
    )
    assert actions.count("wagtail.create") == 1 and actions.count("wagtail.edit") == 1


def test_the_admin_form_refuses_a_bad_credit_code_and_a_short_return_period(admin_client):
    form = _merchant_form(credit_code="91430111MA4T2Q8K0X")
    form["pledges-0-return_days"] = "3"
    response = admin_client.post(reverse("wagtailsnippets_merchants_merchant:add"), form)
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Merchant.objects.exists()


def test_retiring_a_code_from_the_admin_issues_a_new_one_and_logs_it(admin_client):
    merchant = make_merchant()
    old = merchant.current_code.code
    url = reverse("merchants_retire_code", args=[merchant.pk])
    assert "停用并换发新码" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"reason": "二维码被冒用于其他门店"})
    assert response.status_code == 302
    new = Merchant.objects.get(pk=merchant.pk).current_code.code
    assert new != old
    entry = ModelLogEntry.objects.get(object_id=str(merchant.pk), action="merchants.retire_code")
    assert entry.data == {"old": old, "new": new, "reason": "二维码被冒用于其他门店"}
    history = admin_client.get(
        reverse("wagtailsnippets_merchants_merchant:history", args=[merchant.pk])
    )
    assert f"停用公示码 {old}" in history.content.decode()


def test_only_staff_with_merchant_rights_may_retire_a_code(client, django_user_model):
    merchant = make_merchant()
    user = django_user_model.objects.create_user("visitor", password="pw-123456")
    client.force_login(user)
    response = client.post(
        reverse("merchants_retire_code", args=[merchant.pk]), {"reason": "试图停用"}
    )
    assert response.status_code in (302, 403)
    assert Merchant.objects.get(pk=merchant.pk).current_code == merchant.current_code
