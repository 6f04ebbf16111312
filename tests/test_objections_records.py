"""A merchant objects to, or replies on, one of its disclosed complaints: the way in from the
record page, the SMS link to its registered contact (and every way the link is refused), the
licence form of an unregistered merchant, and a reply scrubbed and held for review."""

import datetime

import pytest
from django.core import signing
from django.utils import timezone

from disclosures.models import Disclosure
from objections import decisions, links
from objections.models import MerchantReply, RecordObjection

from .objections_fixtures import (
    CONTACT_PHONE,
    LUGU_CODE,
    UNREGISTERED_CODE,
    capture_texts,
    jpeg,
    licence_url,
    link_path_in,
    link_path_of,
    make_furong,
    make_furong_record,
    make_lugu,
    make_lugu_record,
    make_unregistered_record,
    pdf,
    record_url,
    start_url,
    visible_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(monkeypatch):
    return capture_texts(monkeypatch)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def lugu(db):
    return make_lugu()


@pytest.fixture
def furong(db):
    return make_furong()


@pytest.fixture
def record(lugu):
    return make_lugu_record(lugu)


@pytest.fixture
def furong_record(furong):
    return make_furong_record(furong)


@pytest.fixture
def unregistered_record(db):
    return make_unregistered_record()


REASONS = "该投诉所涉牛奶系消费者在其他门店购买，本店当日销售记录中无该商品，附销售流水。"


def state_of(record):
    return Disclosure.objects.get(pk=record.pk).objection_state


def test_the_record_page_offers_the_merchant_its_way_in(client, record):
    page = visible_text(client.get(record_url(record)).content.decode())
    assert "异议处理与经营者回应" in page
    assert "我是该经营者：提出异议或回应" in page
    assert start_url(record) in client.get(record_url(record)).content.decode()


def test_a_registered_merchant_gets_its_link_by_sms_and_sees_only_the_masked_number(
    client, record, texts
):
    response = client.post(start_url(record), {"credit_code": LUGU_CODE.lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "138****1234" in page
    assert CONTACT_PHONE not in page
    [(phone, message)] = texts
    assert phone == CONTACT_PHONE
    assert record.complaint_number in message
    assert client.get(link_path_in(message)).status_code == 200


def test_another_credit_code_gets_nothing(client, record, furong, texts):
    response = client.post(start_url(record), {"credit_code": furong.credit_code})
    assert "与本条公示的被投诉经营者不一致" in response.content.decode()
    assert texts == []


def test_an_invalid_credit_code_is_refused(client, record, texts):
    response = client.post(start_url(record), {"credit_code": "91430104MA4X000000"})
    assert "统一社会信用代码不正确" in response.content.decode()
    assert texts == []


def test_asking_for_links_is_rate_limited(client, record, texts):
    for _attempt in range(3):
        client.post(start_url(record), {"credit_code": LUGU_CODE})
    response = client.post(start_url(record), {"credit_code": LUGU_CODE})
    assert "过于频繁" in response.content.decode()
    assert len(texts) == 3  # a record's contact gets at most 3 texts a day


def test_an_objection_through_the_link_shows_the_record_under_objection(client, lugu, record):
    response = client.post(
        link_path_of(lugu, record),
        {"form": "objection", "reasons": REASONS, "evidence": [jpeg("小票.jpg"), pdf()]},
    )
    assert response.status_code == 200
    assert "异议处理中" in response.content.decode()
    objection = RecordObjection.objects.get(disclosure=record)
    assert objection.identity_verified and objection.channel == "link"
    assert objection.merchant == lugu
    assert sorted(e.content_type for e in objection.evidence.all()) == [
        "application/pdf",
        "image/jpeg",
    ]
    assert state_of(record) == Disclosure.ObjectionState.OBJECTED
    page = visible_text(client.get(record_url(record)).content.decode())
    assert "异议处理中" in page
    # What the merchant wrote and attached is for the bureau.
    assert "销售流水" not in page and "小票" not in page


def test_one_pending_objection_per_record(client, lugu, record):
    client.post(link_path_of(lugu, record), {"form": "objection", "reasons": REASONS})
    response = client.post(
        link_path_of(lugu, record), {"form": "objection", "reasons": "再次提出异议"}
    )
    assert "正在处理" in response.content.decode()
    assert RecordObjection.objects.filter(disclosure=record).count() == 1


def test_evidence_that_is_neither_an_image_nor_a_pdf_is_refused(client, lugu, record):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        link_path_of(lugu, record), {"form": "objection", "reasons": REASONS, "evidence": [fake]}
    )
    assert "“合同.pdf”不是PDF文件或JPEG、PNG格式的照片。" in response.content.decode()
    assert not RecordObjection.objects.exists()


def test_an_expired_link_says_so(client, lugu, record):
    path = link_path_of(lugu, record, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(path)
    assert response.status_code == 410
    assert "有效期" in response.content.decode()


def test_a_link_is_valid_for_seven_days(client, lugu, record):
    token = links.make_token(lugu, record)
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    with pytest.raises(links.ExpiredLink):
        links.read_token(token, now=later)
    assert links.read_token(token).disclosure == record


def test_a_tampered_link_is_refused(client, lugu, record, furong_record):
    token = links.make_token(lugu, record)
    payload = signing.loads(token, salt=links.SALT)
    payload["d"] = furong_record.pk
    forged = signing.dumps(payload, salt="some-other-salt")
    assert client.get(f"/objections/link/{forged}/").status_code == 404
    assert client.get(f"/objections/link/{token[:-2]}xx/").status_code == 404
    assert (
        client.post(
            f"/objections/link/{forged}/", {"form": "objection", "reasons": REASONS}
        ).status_code
        == 404
    )
    assert not RecordObjection.objects.exists()


def test_merchant_as_link_never_opens_merchant_bs_record(client, lugu, furong_record):
    response = client.get(link_path_of(lugu, furong_record))
    assert response.status_code == 404
    assert "链接无效" in response.content.decode()


def test_a_link_stops_when_the_merchants_credit_code_changes(client, lugu, record):
    path = link_path_of(lugu, record)
    lugu.credit_code = UNREGISTERED_CODE
    lugu.save()
    assert client.get(path).status_code == 404


def test_an_unregistered_merchant_is_sent_to_the_licence_form(client, unregistered_record, texts):
    response = client.post(start_url(unregistered_record), {"credit_code": UNREGISTERED_CODE})
    assert response.status_code == 302
    assert response["Location"].startswith(licence_url(unregistered_record))
    assert texts == []


def test_a_registered_merchant_cannot_use_the_licence_form(client, record):
    response = client.get(licence_url(record))
    assert response.status_code == 302 and response["Location"] == start_url(record)


def licence_post(**overrides):
    data = {
        "credit_code": UNREGISTERED_CODE,
        "licence": jpeg(),
        "submitter_name": "赵志强",
        "submitter_phone": "13974112233",
        "kind": "objection",
        "reasons": "本店当日未营业，有停电通知为证。",
    }
    data.update(overrides)
    return data


def test_a_licence_objection_waits_for_staff_to_verify_it(
    client, unregistered_record, private_media
):
    response = client.post(licence_url(unregistered_record), licence_post())
    assert response.status_code == 200
    assert "核验营业执照后" in response.content.decode()
    objection = RecordObjection.objects.get()
    assert objection.channel == "licence" and not objection.identity_verified
    assert objection.licence_path.is_file()
    assert objection.licence_path.is_relative_to(private_media)
    assert state_of(unregistered_record) == Disclosure.ObjectionState.NONE
    page = visible_text(client.get(record_url(unregistered_record)).content.decode())
    assert "赵志强" not in page and "13974112233" not in page and "停电" not in page


def test_the_licence_form_needs_the_records_credit_code_and_a_photo(client, unregistered_record):
    response = client.post(
        licence_url(unregistered_record),
        licence_post(credit_code=LUGU_CODE, licence="", submitter_phone="8888"),
    )
    page = response.content.decode()
    assert "不一致" in page and "请上传营业执照照片" in page and "11位手机号码" in page
    assert not RecordObjection.objects.exists()


def test_a_reply_through_the_licence_form(client, unregistered_record):
    response = client.post(
        licence_url(unregistered_record),
        licence_post(kind="reply", statement="rectified", text="已更换后厨操作流程。"),
    )
    assert response.status_code == 200
    reply = MerchantReply.objects.get()
    assert reply.statement == "rectified" and not reply.identity_verified


def test_a_second_licence_reply_waits_for_the_first_and_stores_no_photo(
    client, unregistered_record, private_media
):
    reply = licence_post(kind="reply", statement="settled", text="已与消费者协商一致。")
    client.post(licence_url(unregistered_record), reply)
    response = client.post(licence_url(unregistered_record), {**reply, "licence": jpeg()})
    assert "正在审核" in response.content.decode()
    assert MerchantReply.objects.count() == 1
    assert len([path for path in private_media.rglob("*") if path.is_file()]) == 1


REPLY = "我们已于3月5日联系消费者李明华（电话13812345678），全额退款并致歉。"


def test_the_merchant_previews_its_reply_scrubbed(client, lugu, record):
    response = client.post(
        link_path_of(lugu, record),
        {"form": "reply", "statement": "settled", "text": REPLY, "preview": "1"},
    )
    page = response.content.decode()
    assert "审核通过后将公开显示为" in page
    assert "李某" in page and "138****5678" in page
    assert not MerchantReply.objects.exists()


def test_a_reply_is_stored_scrubbed_and_shows_only_once_approved(
    client, lugu, record, django_user_model
):
    response = client.post(
        link_path_of(lugu, record), {"form": "reply", "statement": "settled", "text": REPLY}
    )
    assert "审核通过后将公开显示为" in response.content.decode()
    reply = MerchantReply.objects.get()
    assert "13812345678" not in reply.text and "李明华" not in reply.text
    assert reply.identity_verified and reply.state == "pending"
    assert "已与消费者和解" not in visible_text(client.get(record_url(record)).content.decode())

    reviewer = django_user_model.objects.create_user("shenhe")
    decisions.approve_reply(reply, reviewer)
    page = visible_text(client.get(record_url(record)).content.decode())
    assert "已与消费者和解" in page
    assert "全额退款并致歉" in page
    assert "经营者声明，未经市场监管部门核实" in page
    assert "13812345678" not in page and "李明华" not in page


def test_a_rejected_reply_stays_off_the_record_and_the_merchant_reads_why(
    client, lugu, record, django_user_model
):
    client.post(
        link_path_of(lugu, record),
        {"form": "reply", "statement": "disputes_facts", "text": "消费者恶意索赔，纯属敲诈。"},
    )
    reviewer = django_user_model.objects.create_user("shenhe")
    decisions.reject_reply(
        MerchantReply.objects.get(), reviewer, "含有对消费者的不当指称，请修改后重新提交。"
    )
    public = visible_text(client.get(record_url(record)).content.decode())
    assert "敲诈" not in public and "不当指称" not in public
    own = client.get(link_path_of(lugu, record)).content.decode()
    assert "未通过审核" in own and "不当指称" in own


def test_a_reply_longer_than_500_characters_is_refused(client, lugu, record):
    response = client.post(
        link_path_of(lugu, record),
        {"form": "reply", "statement": "rectified", "text": "整改" * 251},
    )
    assert response.status_code == 200
    assert not MerchantReply.objects.exists()
