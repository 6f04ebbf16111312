"""Shared makings of the objections tests, which each test file wraps in its fixtures: a
registered merchant with its disclosed record, an unregistered shop's record, the texts the
SMS backend would send, link paths, images and PDFs."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from objections import links

from .disclosure_factories import make_disclosure
from .merchant_factories import credit_code, make_merchant

LUGU_CODE = credit_code("430104", serial=61801)
FURONG_CODE = credit_code("430102", serial=61802)
UNREGISTERED_CODE = credit_code("430111", serial=61803)
CONTACT_PHONE = "13807311234"


def capture_texts(monkeypatch):
    """Make the SMS backend keep its messages: returns the list of (phone, message)."""
    from complaints import sms

    sent = []
    monkeypatch.setattr(sms, "send", lambda phone, message, **params: sent.append((phone, message)))
    return sent


def make_lugu():
    return make_merchant(
        registered_name="长沙市岳麓区麓谷优选超市有限公司",
        shop_name="麓谷优选超市(麓谷店)",
        credit_code=LUGU_CODE,
        contact_phone=CONTACT_PHONE,
    )


def make_furong():
    return make_merchant(
        registered_name="长沙市芙蓉区悦享健身俱乐部",
        shop_name="悦享健身(五一店)",
        region="430102",
        credit_code=FURONG_CODE,
        address="湖南省长沙市芙蓉区五一大道389号",
        contact_phone="13907319876",
    )


def make_lugu_record(merchant):
    return make_disclosure(
        respondent_name=merchant.registered_name,
        credit_code=LUGU_CODE,
        result="调解不成功",
        summary="消费者反映在该超市购买的进口牛奶已过保质期，商家拒绝退货。",
        consumer_request="要求退货并赔偿",
    )


def make_furong_record(merchant):
    return make_disclosure(
        respondent_name=merchant.registered_name,
        credit_code=FURONG_CODE,
        region="430102",
        summary="消费者办理健身年卡后门店停业装修，商家拒绝退还剩余费用。",
    )


def make_unregistered_record():
    return make_disclosure(
        respondent_name="长沙市雨花区味之源餐饮店",
        credit_code=UNREGISTERED_CODE,
        region="430111",
        summary="消费者反映在店内就餐后发现菜品中有异物，商家拒绝退款。",
        respondent_address="湖南省长沙市雨花区劳动东路118号",
    )


def record_url(record):
    return reverse("disclosures:record", args=[record.complaint_number])


def start_url(record):
    return reverse("objections:start", args=[record.complaint_number])


def licence_url(record):
    return reverse("objections:licence", args=[record.complaint_number])


def link_path_of(merchant, record, **kwargs):
    return reverse("objections:link", args=[links.make_token(merchant, record, **kwargs)])


def link_path_in(message):
    return re.search(r"https?://[^/]+(/objections/link/[^/]+/)", message).group(1)


def jpeg(name="营业执照.jpg", colour=(200, 40, 40)):
    out = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="退货记录.pdf"):
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)
