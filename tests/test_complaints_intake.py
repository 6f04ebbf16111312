"""Complaining from the QR code or from /complain/: what a consumer fills in and sees, and what
the bureau gets (the words as typed, marks for staff, one complaint per submission)."""

import datetime
import re
import sys
import types
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

import complaints
from complaints.models import Complaint, HandlingPolicy, Unit
from merchants.models import Merchant, Region

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

CONTENT = (
    "3月5日在王府井百货买了一件羽绒服，1,280元。\r\n回家发现拉链坏了，"
    "店员说“不退不换”，还说“爱找谁找谁”！  "
)


@pytest.fixture(autouse=True)
def units(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.COMPLAINT_PHONE_VERIFICATION = False
    city = Unit.objects.create(
        name="长沙市市场监督管理局", level=Unit.Level.CITY, region=Region.objects.get(code="430100")
    )
    county = Unit.objects.create(
        name="长沙市岳麓区市场监督管理局",
        level=Unit.Level.COUNTY,
        region=Region.objects.get(code="430104"),
        parent=city,
    )
    return city, county


@pytest.fixture
def merchant():
    return make_merchant(
        registered_name="长沙市岳麓区高明服饰有限公司", shop_name="高明服饰(金华店)"
    )


@pytest.fixture
def jpeg_bytes():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def form_data(**overrides):
    data = {
        "content": CONTENT,
        "occurred_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "amount": "1,280.00",
        "demand": "退货退款1280元",
        "name": "王府井",
        "phone": "138 0731 5678",
        "submission_key": "k" * 20 + str(len(overrides)) + "abcdefgh",
        "action": "submit",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def merchant_url(merchant):
    return reverse("complaint_new_for_merchant", args=[merchant.current_code.code])


def html_of(response):
    return response.content.decode()


# --- the two addresses --------------------------------------------------------------------


def test_scan_page_links_to_the_form_for_its_merchant(client, merchant):
    html = html_of(client.get(reverse("merchants:scan", args=[merchant.current_code.code])))
    assert f'href="{merchant_url(merchant)}"' in html
    assert "在线投诉（无需注册）" in html


def test_unknown_code_page_links_to_the_general_form(client):
    html = html_of(client.get(reverse("merchants:scan", args=["3479ACEF"])))
    assert 'href="/complain/"' in html


def test_merchant_page_names_the_merchant_and_asks_nothing_about_it(client, merchant):
    html = html_of(client.get(merchant_url(merchant)))
    assert "长沙市岳麓区高明服饰有限公司" in html
    assert "门店：高明服饰(金华店)" in html
    assert 'name="merchant_text"' not in html
    assert 'name="region"' not in html
    # Sensible inputs for a phone keyboard, with autofill.
    assert 'type="tel"' in html and 'autocomplete="tel"' in html
    assert 'type="date"' in html and f'max="{TODAY.isoformat()}"' in html
    assert 'inputmode="decimal"' in html
    assert 'autocomplete="name"' in html
    assert re.search(r'name="consent_contact"[^>]*>', html)
    assert "checked" not in re.search(r'<input[^>]*name="consent_contact"[^>]*>', html).group()
    assert "checked" not in re.search(r'<input[^>]*name="consent_publish"[^>]*>', html).group()
    assert 'name="submission_key"' in html
    assert 'name="homepage"' in html


def test_complaint_through_the_merchant_code_is_locked_to_its_merchant(client, merchant, units):
    other = make_merchant(registered_name="长沙市岳麓区金华电器商行", shop_name="金华电器")
    response = client.post(merchant_url(merchant), form_data(merchant=str(other.pk)))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.merchant == merchant
    assert complaint.merchant_name == "长沙市岳麓区高明服饰有限公司"
    assert complaint.credit_code == merchant.credit_code
    assert complaint.unit == units[1]
    assert complaint.channel == Complaint.Channel.WEB


def test_stored_complaint_keeps_the_consumers_words_as_typed(client, merchant):
    client.post(merchant_url(merchant), form_data(demand="  退一赔三！\r\n"))
    complaint = Complaint.objects.get()
    assert complaint.content == CONTENT
    assert complaint.demand == "  退一赔三！\r\n"
    assert complaint.amount == Decimal("1280.00")
    assert complaint.complainant_name == "王府井"
    assert complaint.complainant_phone == "13807315678"
    assert complaint.occurred_on == TODAY - datetime.timedelta(days=3)
    assert complaint.consent_contact is False and complaint.consent_publish is False
    assert complaint.review_flags == []


def test_suspended_and_removed_merchants_can_be_complained_about(client):
    for status in (Merchant.RegistryStatus.SUSPENDED, Merchant.RegistryStatus.REMOVED):
        shop = make_merchant(
            registered_name=f"长沙市岳麓区高明{status}商店", registry_status=status
        )
        html = html_of(client.get(merchant_url(shop)))
        assert "仍可对它投诉" in html
        key = f"{status}-submission-key-000"
        assert client.post(merchant_url(shop), form_data(submission_key=key)).status_code == 302
        assert Complaint.objects.get(submission_key=key).merchant == shop


def test_retired_code_asks_for_the_merchant_without_naming_one(client, merchant):
    old = merchant.current_code
    old.retire("海报被仿冒")
    html = html_of(client.get(reverse("complaint_new_for_merchant", args=[old.code])))
    assert "这个二维码已停用" in html
    assert "高明服饰" not in html
    assert 'name="merchant_text"' in html


def test_unknown_code_asks_for_the_merchant(client):
    html = html_of(client.get(reverse("complaint_new_for_merchant", args=["3479ACEF"])))
    assert "没有查到这个二维码对应的商家" in html
    assert 'name="merchant_text"' in html


def test_lower_case_code_redirects_to_the_canonical_address(client, merchant):
    code = merchant.current_code.code
    response = client.get(f"/m/{code.lower()}/complain/")
    assert response.status_code == 301
    assert response["Location"] == merchant_url(merchant)


def test_general_form_finds_a_registered_merchant_by_shop_name(client, merchant):
    data = form_data(merchant_text="高明服饰", action="find", content="只写了一半")
    response = client.post("/complain/", data)
    html = html_of(response)
    assert response.status_code == 200
    assert f'value="{merchant.pk}"' in html
    assert "长沙市岳麓区高明服饰有限公司" in html
    # Finding is not submitting: nothing judged, nothing typed lost.
    assert "cf-error" not in html
    assert "只写了一半" in html
    assert Complaint.objects.count() == 0

    response = client.post(
        "/complain/", form_data(merchant_text="高明服饰", merchant=str(merchant.pk))
    )
    assert response.status_code == 302
    assert Complaint.objects.get().merchant == merchant


def test_general_form_takes_a_registered_merchant_by_credit_code(client, merchant):
    client.post("/complain/", form_data(merchant_text=merchant.credit_code.lower()))
    assert Complaint.objects.get().merchant == merchant


def test_unregistered_merchant_typed_with_its_county(client, units):
    html = html_of(client.get("/complain/"))
    # Counties grouped by city: only those a unit serves.
    assert '<optgroup label="长沙市">' in html
    assert '<option value="430104">岳麓区</option>' in html
    assert "430602" not in html  # 岳阳楼区: no unit there yet

    response = client.post(
        "/complain/",
        form_data(
            merchant_text="岳麓山下无名奶茶店", region="430104", merchant_address="麓山南路32号"
        ),
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.merchant is None
    assert complaint.merchant_name == "岳麓山下无名奶茶店"
    assert complaint.merchant_address == "麓山南路32号"
    assert complaint.region.code == "430104"
    assert complaint.unit == units[1]


def test_unregistered_merchant_needs_its_name_and_county(client):
    response = client.post("/complain/", form_data())
    html = html_of(response)
    assert response.status_code == 400
    assert "请填写被投诉商家的名称。" in html
    assert "请选择商家所在的县（区）。" in html
    assert Complaint.objects.count() == 0


# --- each field's error, in Chinese, with nothing typed lost --------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"content": ""}, "请写明发生了什么。"),
        ({"content": "太坑了"}, "请把经过写清楚一些（至少10个字）。"),
        ({"occurred_on": ""}, "请填写消费日期。"),
        ({"occurred_on": "三月五号"}, "请填写消费日期，如2026-03-05。"),
        ({"occurred_on": "2026-02-30"}, "没有这一天，请核对消费日期。"),
        (
            {"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "消费日期不能晚于今天。",
        ),
        ({"occurred_on": "2001-05-01"}, "消费日期早于3年前，请拨打12315咨询。"),
        ({"amount": "一千二"}, "请填写金额数字，如1280或1,280.00。"),
        ({"amount": "-5"}, "请填写金额数字，如1280或1,280.00。"),
        ({"demand": ""}, "请写明您的诉求，如退货退款。"),
        ({"demand": "   "}, "请写明您的诉求，如退货退款。"),
        ({"name": ""}, "请填写您的真实姓名。"),
        ({"phone": ""}, "请填写11位手机号码。"),
        ({"phone": "0731-8888888"}, "请填写11位手机号码。"),
    ],
)
def test_each_field_error_is_in_chinese_and_keeps_what_was_typed(
    client, merchant, overrides, message
):
    data = form_data(consent_publish="on", **overrides)
    response = client.post(merchant_url(merchant), data)
    html = html_of(response)
    assert response.status_code == 400
    assert message in html
    assert "有几项需要修改" in html
    assert Complaint.objects.count() == 0
    # What was typed is all still there.
    for field in ("name", "phone", "amount"):
        if data.get(field):
            assert f'value="{data[field]}"' in html
    assert "店员说“不退不换”" in html or overrides.get("content") is not None
    assert re.search(r'<input[^>]*name="consent_publish"[^>]*checked', html)
    assert f'value="{data["submission_key"]}"' in html


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1,280.00", "1280.00"), ("１２８０", "1280"), ("￥99.5元", "99.5"), ("0", "0"), ("", None)],
)
def test_amount_as_people_type_it(client, merchant, typed, amount):
    client.post(merchant_url(merchant), form_data(amount=typed))
    stored = Complaint.objects.get().amount
    assert stored == (Decimal(amount) if amount else None)


def test_chosen_photos_must_be_chosen_again_after_an_error(client, merchant, jpeg_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("发票.jpg", jpeg_bytes, content_type="image/jpeg")
    html = html_of(client.post(merchant_url(merchant), {**form_data(name=""), "photos": [photo]}))
    assert "您选择的1张照片没有保存，提交前请重新选择。" in html


# --- abuse and repeats: marked for staff, never dropped -------------------------------------


def test_honeypot_marks_the_complaint_but_keeps_it(client, merchant):
    response = client.post(merchant_url(merchant), form_data(homepage="http://spam.example"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.review_flags == ["honeypot"]
    assert complaint.content == CONTENT


def test_rate_limits_mark_but_keep(client, merchant):
    policy = HandlingPolicy.load()
    policy.submissions_per_phone_per_day = 1
    policy.submissions_per_address_per_hour = 1
    policy.duplicate_window_days = 0
    policy.save()
    for n in range(3):
        key = f"rate-limit-key-{n:04d}-xyz"
        assert client.post(merchant_url(merchant), form_data(submission_key=key)).status_code == 302
    flags = list(
        Complaint.objects.order_by("submitted_at", "pk").values_list("review_flags", flat=True)
    )
    assert len(flags) == 3
    assert flags[0] == []
    assert "phone_rate" in flags[1] and "address_rate" in flags[1]
    assert "phone_rate" in flags[2] and "address_rate" in flags[2]


def test_repeat_within_30_days_is_linked_and_said_so(client, merchant):
    client.post(merchant_url(merchant), form_data(submission_key="first-complaint-key-0001"))
    first = Complaint.objects.get()
    response = client.post(
        merchant_url(merchant),
        form_data(
            submission_key="second-complaint-key-002", content="拉链还是坏的，商家一直不回电话。"
        ),
        follow=True,
    )
    second = Complaint.objects.exclude(pk=first.pk).get()
    assert second.duplicate_of == first
    assert "repeat" in second.review_flags
    html = html_of(response)
    assert f"您对该商家的投诉{first.tracking_number}尚未办结，本次投诉已并入一并办理" in html


def test_double_submit_with_the_same_key_makes_one_complaint(client, merchant):
    data = form_data(submission_key="one-time-key-abcdefgh-123")
    first = client.post(merchant_url(merchant), data)
    second = client.post(merchant_url(merchant), data)
    assert first.status_code == second.status_code == 302
    assert Complaint.objects.count() == 1
    number = Complaint.objects.get().tracking_number
    assert number in html_of(client.get(second["Location"]))


def test_no_unit_for_the_region_says_whom_to_call(client):
    shop = make_merchant(registered_name="岳阳市岳阳楼区高明茶行", region="430602")
    response = client.post(merchant_url(shop), form_data())
    assert response.status_code == 400
    assert "该地区暂未开通在线投诉，请拨打12315投诉举报电话。" in html_of(response)
    assert Complaint.objects.count() == 0


# --- the confirmation -------------------------------------------------------------------------


def test_confirmation_shows_the_number_and_next_steps_but_no_personal_data(client, merchant):
    response = client.post(merchant_url(merchant), form_data(consent_contact="on"), follow=True)
    complaint = Complaint.objects.get()
    html = html_of(response)
    assert response.redirect_chain[-1][0] == reverse("complaint_made")
    assert complaint.tracking_number not in response.redirect_chain[-1][0]
    assert f'<output class="cf-number__value">{complaint.tracking_number}</output>' in html
    assert "尾号5678" in html
    assert 'href="/complaints/track/"' in html
    assert "长沙市岳麓区市场监督管理局" in html
    assert "24小时内，告诉您由哪个单位办理。" in html
    assert "7个工作日内，决定是否受理" in html
    assert "商家可在5个工作日内先与您联系和解" in html
    for private in ("王府井", "13807315678", "138 0731 5678", "0731", "拉链坏了"):
        assert private not in html


def test_confirmation_is_only_for_the_browser_that_complained(client, merchant):
    from django.test import Client

    client.post(merchant_url(merchant), form_data())
    assert Client().get(reverse("complaint_made")).status_code == 404


def test_policy_limits_show_on_the_confirmation(client, merchant):
    policy = HandlingPolicy.load()
    policy.acceptance_workdays = 5
    policy.save()
    html = html_of(client.post(merchant_url(merchant), form_data(), follow=True))
    assert "5个工作日内，决定是否受理" in html


def test_pages_render_in_large_text_and_traditional_script(client, merchant, settings):
    client.cookies[settings.PORTAL_TEXT_SIZE_COOKIE] = "large"
    html = html_of(client.get(merchant_url(merchant)))
    assert '<html lang="zh-CN" class="large-text">' in html
    assert "css/complaints.css" in html

    client.cookies[settings.PORTAL_SCRIPT_COOKIE] = "hant"
    html = html_of(client.get(merchant_url(merchant)))
    assert "我要投訴" in html and "提交投訴" in html
    assert 'name="submission_key"' in html and 'name="content"' in html


# --- SMS verification (complaints.verification is another helper's; stubbed here) -----------


@pytest.fixture
def sms(monkeypatch, settings):
    settings.COMPLAINT_PHONE_VERIFICATION = True
    sent = []

    class VerificationError(Exception):
        pass

    def send_code(phone):
        if phone == "13900000000":
            raise VerificationError("发送太频繁，请1分钟后再试。")
        sent.append(phone)

    def check(phone, code):
        return phone in sent and code == "246810"

    try:
        from complaints import verification
    except ImportError:
        verification = types.ModuleType("complaints.verification")
        verification.VerificationError = VerificationError
        monkeypatch.setitem(sys.modules, "complaints.verification", verification)
        monkeypatch.setattr(complaints, "verification", verification, raising=False)
    monkeypatch.setattr(verification, "send_code", send_code, raising=False)
    monkeypatch.setattr(verification, "check", check, raising=False)
    if not hasattr(verification, "VerificationError"):
        monkeypatch.setattr(verification, "VerificationError", VerificationError, raising=False)
    else:
        VerificationError = verification.VerificationError
    return sent


def test_send_code_button_posts_the_form_and_keeps_it(client, merchant, sms):
    html = html_of(client.get(merchant_url(merchant)))
    assert 'value="send_code"' in html and "发送验证码" in html
    response = client.post(merchant_url(merchant), form_data(action="send_code", name="高明"))
    html = html_of(response)
    assert sms == ["13807315678"]
    assert "验证码已发送到尾号5678的手机" in html
    assert 'value="高明"' in html and "cf-error" not in html
    assert Complaint.objects.count() == 0

    empty = client.post(merchant_url(merchant), form_data())
    assert "请先点“发送验证码”，再填写短信里的验证码。" in html_of(empty)
    wrong = client.post(merchant_url(merchant), form_data(sms_code="111111"))
    assert "验证码不正确或已过期，请重新获取。" in html_of(wrong)
    assert Complaint.objects.count() == 0

    assert client.post(merchant_url(merchant), form_data(sms_code="246810")).status_code == 302
    assert Complaint.objects.get().phone_verified is True


def test_send_code_refusal_is_shown_at_the_phone(client, merchant, sms):
    html = html_of(
        client.post(merchant_url(merchant), form_data(action="send_code", phone="13900000000"))
    )
    assert "发送太频繁，请1分钟后再试。" in html
