"""POST /api/v1/complaints for the WeChat mini-program: 201 with a tracking number, or 400 with a
Chinese message per field; the same intake as the web form, on the open-data API."""

import datetime
import json
import logging
import re

import pytest
from django.test import Client
from django.utils import timezone

from common.regions import COUNTY
from complaints.models import Complaint
from merchants.models import Region

from .complaints_fixtures import YUELU, make_registered_merchant, make_units

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
CONTENT = (
    "在王府井百货(麓山店)买的羽绒服穿了一次就开线，要求退货被拒绝，"
    "店员称“特价商品不退不换”。\n收银小票编号：20260312-0087。<script>alert(1)</script>"
)


@pytest.fixture
def merchant(db):
    make_units()
    return make_registered_merchant()


def body(merchant=None, **overrides):
    today = timezone.localdate()
    data = {
        "occurred_on": (today - datetime.timedelta(days=3)).isoformat(),
        "content": CONTENT,
        "demand": "退货并退还货款699元。",
        "amount": "699.00",
        "name": "高明",
        "phone": "138 0731 2468",
        "consent_contact": True,
        "consent_publish": False,
    }
    if merchant is not None:
        data["merchant_code"] = merchant.current_code.code.lower()  # as a person types it
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not ...}


def post(data, client=None, **headers):
    client = client or Client(enforce_csrf_checks=True)  # a mini-program has no CSRF token
    raw = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    return client.post(URL, raw, content_type="application/json", headers=headers)


def test_a_complaint_by_the_merchants_code_is_taken_as_sent(merchant, caplog):
    with caplog.at_level(logging.DEBUG):
        response = post(body(merchant))
    assert response.status_code == 201, response.content.decode()
    answer = response.json()
    assert re.fullmatch(r"FX\d{16}", answer["tracking_number"])
    assert answer == {
        "tracking_number": answer["tracking_number"],
        "state": "received",
        "state_label": "待受理",
        "unit": YUELU,
        "repeated_tracking_number": None,
    }
    complaint = Complaint.objects.get()
    assert complaint.tracking_number == answer["tracking_number"]
    assert complaint.channel == Complaint.Channel.API
    assert complaint.merchant == merchant
    assert complaint.merchant_name == "长沙市岳麓区王府井百货商行"
    assert complaint.content == CONTENT  # unaltered: the desk reads what was written
    assert complaint.demand == "退货并退还货款699元。"
    assert str(complaint.amount) == "699.00"
    assert complaint.complainant_name == "高明"
    assert complaint.complainant_phone == "13807312468"
    assert (complaint.consent_contact, complaint.consent_publish) == (True, False)
    assert not complaint.phone_verified
    assert complaint.client_key
    # Nothing of the complainant comes back, or reaches a log line.
    assert "13807312468" not in response.content.decode() and "高明" not in answer.values()
    assert "13807312468" not in caplog.text


def test_every_missing_field_is_named_in_chinese(merchant):
    response = post({})
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "提交的内容有误，请按提示修改。"
    assert answer["fields"] == {
        "merchant_name": "请填写商家公示码，或填写商家名称和所在区县代码。",
        "region_code": "请填写商家所在区县的6位行政区划代码，如430104。",
        "occurred_on": "请填写消费日期。",
        "content": "请填写投诉内容，说明发生了什么。",
        "demand": "请填写诉求，说明希望商家怎样解决。",
        "name": "请填写真实姓名（投诉按实名办理，不会公开）。",
        "phone": "请填写11位手机号码。",
    }
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("phone", "0731-8888666", "请填写11位手机号码。"),
        ("phone", 1380731246, "请填写11位手机号码。"),
        ("phone", ["13807312468"], "请填写11位手机号码。"),
        ("occurred_on", "2026/03/12", "消费日期请按YYYY-MM-DD填写，如2026-03-15。"),
        ("occurred_on", 20260312, "消费日期请按YYYY-MM-DD填写，如2026-03-15。"),
        ("amount", "六百九十九", "涉及金额请填写数字，如699.00。"),
        ("amount", -5, "涉及金额不能为负数。"),
        ("amount", "699.999", "涉及金额最多保留两位小数。"),
        ("amount", True, "涉及金额请填写数字，如699.00。"),
        ("content", 42, "投诉内容请填写文字。"),
        ("content", "   ", "请填写投诉内容，说明发生了什么。"),
        ("content", "退" * 2001, "投诉内容请不超过2000个字。"),
        ("name", {"姓": "高"}, "姓名请填写文字。"),
        ("consent_publish", "是", "请填写 true（同意）或 false（不同意）。"),
        ("consent_contact", 1, "请填写 true（同意）或 false（不同意）。"),
    ],
)
def test_a_wrong_value_is_told_by_its_field(merchant, field, value, message):
    response = post(body(merchant, **{field: value}))
    assert response.status_code == 400, response.content.decode()
    assert response.json()["fields"] == {field: message}
    assert not Complaint.objects.exists()


def test_a_day_still_to_come_is_refused(merchant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(body(merchant, occurred_on=tomorrow.isoformat()))
    assert response.json()["fields"] == {"occurred_on": "消费日期不能晚于今天。"}


@pytest.mark.parametrize("raw", ['{"phone": ', "[1, 2]", "", '"高明"', b"\xff\xfe{}"])
def test_a_body_that_is_not_a_json_object_is_told_in_chinese(merchant, raw):
    response = post(raw)
    assert response.status_code == 400
    answer = response.json()
    assert CHINESE.search(answer["error"]) and "JSON" in answer["error"]
    assert answer["fields"] == {}


def test_an_unknown_merchant_code_is_refused_in_chinese(merchant):
    response = post(body(merchant, merchant_code="XXXX7777"))
    assert response.status_code == 400
    (message,) = response.json()["fields"].values()
    assert message.startswith("没有找到这个商家公示码")
    assert list(response.json()["fields"]) == ["merchant_code"]


def test_an_unregistered_shop_is_named_with_its_county(merchant):
    data = body(merchant_name="金华茶楼（麓山路店）", region_code="430104")
    response = post(data)
    assert response.status_code == 201, response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.merchant is None
    assert complaint.merchant_name == "金华茶楼（麓山路店）"
    assert complaint.region_id == "430104"
    assert response.json()["unit"] == YUELU


def test_a_registered_shop_typed_by_name_is_linked_to_its_record(merchant):
    response = post(body(merchant_name="王府井百货(麓山店)", region_code="430104"))
    assert response.status_code == 201
    assert Complaint.objects.get().merchant == merchant


@pytest.mark.parametrize("code", ["430100", "4301", "999999"])
def test_the_region_must_be_a_county(merchant, code):
    response = post(body(merchant_name="金华茶楼", region_code=code))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["region_code"]
    assert "430104" in response.json()["fields"]["region_code"]


def test_a_region_without_a_unit_is_told_to_call_12315(merchant):
    # 醴陵市 (a county-level city of 株洲) has no unit on this portal yet.
    Region.objects.get_or_create(code="430281", defaults={"name": "醴陵市", "level": COUNTY})
    response = post(body(merchant_name="高明五金店", region_code="430281"))
    assert response.status_code == 400
    assert "12315" in response.json()["fields"]["region_code"]


def test_the_same_idempotency_key_twice_is_one_complaint(merchant):
    first = post(body(merchant), **{"Idempotency-Key": "wx-7f3a9c1e-0001"})
    again = post(body(merchant), **{"Idempotency-Key": "wx-7f3a9c1e-0001"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().submission_key == "wx-7f3a9c1e-0001"


def test_an_idempotency_key_is_not_a_way_into_another_persons_complaint(merchant):
    post(body(merchant), **{"Idempotency-Key": "wx-0002"})
    other = post(body(merchant, phone="13907315555"), **{"Idempotency-Key": "wx-0002"})
    assert other.status_code == 400
    assert list(other.json()["fields"]) == ["Idempotency-Key"]
    assert "13807312468" not in other.content.decode()
    too_long = post(body(merchant), **{"Idempotency-Key": "k" * 65})
    assert too_long.status_code == 400


def test_a_second_complaint_against_the_same_shop_joins_the_open_one(merchant):
    first = post(body(merchant)).json()
    second = post(body(merchant, content="又去了一次，还是不给退。")).json()
    assert second["repeated_tracking_number"] == first["tracking_number"]
    assert second["tracking_number"] != first["tracking_number"]
    assert second["state"] == "merged"


# --- the API beside it ------------------------------------------------------------------------


def test_writing_anywhere_else_on_the_api_is_still_refused(merchant):
    client = Client(enforce_csrf_checks=True)
    credit_code = merchant.credit_code
    for url in [
        "/api/v1/disclosures/",
        "/api/v1/merchants/",
        f"/api/v1/merchants/{credit_code}/",
        "/api/v1/complaints/",
        "/api/v1/openapi.json",
        "/api/v1/",
    ]:
        for method in (client.post, client.put, client.delete, client.patch):
            response = method(url, "{}", content_type="application/json")
            assert response.status_code == 405, url
            assert response.json() == {"error": "开放数据接口只支持GET请求"}, url
    for method in (client.get, client.put, client.delete):
        refused = method(URL)
        assert refused.status_code == 405
        assert refused["Allow"] == "POST"
        assert refused.json() == {"error": "该接口只支持POST请求"}
    assert not Complaint.objects.exists()


def test_writes_have_their_own_allowance(merchant, settings, client):
    settings.API_RATE_LIMIT = 1
    assert post(body(merchant)).status_code == 201
    assert client.get("/api/v1/disclosures/").status_code == 200  # reads count apart
    refused = post(body(merchant, phone="13907315555"))
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.json()["error"]
    assert refused["X-RateLimit-Remaining"] == "0"


def test_the_intake_is_in_the_openapi_document_and_the_docs_page(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/complaints"]["post"]
    assert operation["summary"] == "提交投诉"
    assert operation["tags"] == ["扫码投诉"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    for name in (
        "merchant_code",
        "merchant_name",
        "region_code",
        "occurred_on",
        "content",
        "demand",
        "amount",
        "name",
        "phone",
        "consent_contact",
        "consent_publish",
    ):
        assert CHINESE.search(schema["properties"][name]["description"]), name
    assert set(schema["required"]) == {"occurred_on", "content", "demand", "name", "phone"}
    for status in ("201", "400", "429"):
        assert CHINESE.search(operation["responses"][status]["description"]), status
    assert "/complaints/sms-code" in document["paths"]
    page = client.get("/api/v1/docs").content.decode()
    assert "提交投诉" in page and "获取短信验证码" in page


# --- phone verification on --------------------------------------------------------------------


@pytest.fixture
def verifying(settings):
    settings.COMPLAINT_PHONE_VERIFICATION = True
    settings.SMS_BACKEND = "complaints.sms.console.ConsoleBackend"


def ask_code(phone, caplog):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="complaints.sms"):
        response = Client(enforce_csrf_checks=True).post(
            f"{URL}/sms-code", {"phone": phone}, content_type="application/json"
        )
    codes = re.findall(r"验证码是(\d{6})", caplog.text)
    return response, codes[-1] if codes else None


def test_without_a_code_or_with_a_wrong_one_there_is_no_complaint(merchant, verifying, caplog):
    missing = post(body(merchant))
    assert missing.status_code == 400
    assert missing.json()["fields"] == {"sms_code": "请填写短信验证码。"}
    _response, code = ask_code("13807312468", caplog)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    refused = post(body(merchant, sms_code=wrong))
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"sms_code": "短信验证码不正确或已过期，请重新获取。"}
    assert not Complaint.objects.exists()


def test_the_right_code_makes_a_verified_complaint(merchant, verifying, caplog):
    sent, code = ask_code("138-0731-2468", caplog)
    assert sent.status_code == 200
    assert sent.json() == {"resend_after": 60, "expires_in": 300}
    assert "138****2468" in caplog.text and "13807312468" not in caplog.text
    response = post(body(merchant, sms_code=code))
    assert response.status_code == 201, response.content.decode()
    assert Complaint.objects.get().phone_verified


def test_a_retry_with_the_same_key_needs_no_second_code(merchant, verifying, caplog):
    _sent, code = ask_code("13807312468", caplog)
    first = post(body(merchant, sms_code=code), **{"Idempotency-Key": "wx-retry-1"})
    again = post(body(merchant, sms_code=code), **{"Idempotency-Key": "wx-retry-1"})
    assert first.status_code == again.status_code == 201
    assert again.json()["tracking_number"] == first.json()["tracking_number"]


def test_asking_again_too_soon_is_told_in_chinese(merchant, verifying, caplog):
    assert ask_code("13807312468", caplog)[0].status_code == 200
    again, code = ask_code("13807312468", caplog)
    assert again.status_code == 429
    assert re.fullmatch(r"验证码已发送，请\d+秒后再重新获取。", again.json()["fields"]["phone"])
    assert code is None  # nothing sent


def test_a_code_for_a_wrong_number_is_refused(verifying, caplog):
    response, code = ask_code("12345", caplog)
    assert response.status_code == 400
    assert response.json()["fields"] == {"phone": "请填写11位手机号码。"}
    assert code is None


def test_no_code_is_sent_when_verification_is_off(settings, caplog):
    settings.COMPLAINT_PHONE_VERIFICATION = False
    response, code = ask_code("13807312468", caplog)
    assert response.status_code == 400 and code is None
    assert "未开启手机验证" in response.json()["error"]
