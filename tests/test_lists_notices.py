"""A black list's notice to each listed merchant before publication: the SMS with its signed
link to the registered private contact, the notice page, the objection through it, and every
way the link is refused."""

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from disclosures.models import Disclosure
from lists import notices
from lists.models import EntryObjection, EntryObjectionState, ListNotice

from .lists_notice_fixtures import (
    GAOMING,
    LUGU,
    WANGFUJING,
    black_merchant,
    catch_texts,
    draft_black,
    link_path,
    local,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(monkeypatch):
    return catch_texts(monkeypatch)


@pytest.fixture
def listed():
    """Two registered merchants with a contact, one unregistered, on 长沙's black list."""
    wangfujing, _ = black_merchant(WANGFUJING, 3, 9)
    gaoming, _ = black_merchant(GAOMING, 2, 8, phone="13974120001")
    lugu, _ = black_merchant(LUGU, 1, 10, registered=False)
    return {"wangfujing": wangfujing, "gaoming": gaoming, "lugu": lugu}


def entry_of(page, code):
    return page.entries.get(credit_code=code)


def test_each_registered_merchant_is_texted_once_and_the_unregistered_is_marked(listed, texts):
    page = draft_black()
    result = notices.send_notices(page)
    assert (result.sent, result.no_contact, result.already) == (2, 1, 0)
    assert sorted(phone for phone, _message, _params in texts) == ["13807311234", "13974120001"]
    message = next(m for phone, m, _p in texts if phone == "13807311234")
    assert "长沙市岳麓区王府井百货有限公司拟列入长沙市2026年第三季度消费投诉黑榜" in message
    assert link_path(message).startswith("/list-notice/")
    assert texts[0][2]["url"].endswith(link_path(texts[0][1]))
    assert entry_of(page, listed["wangfujing"]).objection_state == EntryObjectionState.NOTIFIED
    lugu = entry_of(page, listed["lugu"])
    assert lugu.objection_state == EntryObjectionState.NONE
    assert lugu.notice.sent_at is None and lugu.notice.merchant is None

    again = notices.send_notices(page)
    assert (again.sent, again.no_contact, again.already) == (0, 1, 2)
    assert len(texts) == 2


def test_the_window_is_five_working_days_over_the_national_day_holiday(listed, texts):
    page = draft_black()
    # Sent on 30 September: 1–7 October are holidays, 10 October (Saturday) is a make-up
    # working day, so the five working days are 8, 9, 10, 12 and 13 October.
    notices.send_notices(page, now=local(2026, 9, 30, 10, 0))
    notice = entry_of(page, listed["wangfujing"]).notice
    assert timezone.localtime(notice.objection_until) == local(2026, 10, 14, 0, 0)
    assert notices.day_of(notice) == "10月13日"
    assert "请于10月13日（含当日）前提出" in texts[0][1]


def test_the_command_sends_the_periods_black_list_notices(listed, texts):
    draft_black()
    out = StringIO()
    call_command("send_list_notices", "--period", "2026-Q3", stdout=out)
    assert "长沙市2026年第三季度消费投诉黑榜：已发送2条告知，1家无登记联系方式" in out.getvalue()
    call_command("send_list_notices", "--period", "2026-Q3", stdout=StringIO())
    assert len(texts) == 2


def open_link(client, texts, phone="13807311234"):
    message = next(m for p, m, _params in texts if p == phone)
    return link_path(message)


def test_the_notice_page_shows_figures_records_and_the_window_end(listed, texts, client):
    page = draft_black()
    notices.send_notices(page)
    path = open_link(client, texts)
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    entry = entry_of(page, listed["wangfujing"])
    assert "长沙市岳麓区王府井百货有限公司：根据公示的消费投诉数据" in html
    assert "调解成功 3 件 / 进入调解 12 件（25.0％）" in html
    assert "本窗口 12 件，上一窗口 0 件" in html
    assert "统计窗口：截至本季度最后一天的12个月，按投诉日期计算。" in html
    assert f"如有异议，请于{notices.day_of(entry.notice)}（含当日）前在本页提出" in html
    for record in Disclosure.objects.filter(pk__in=entry.record_ids):
        assert f'href="/disclosures/{record.complaint_number}/"' in html
        assert "2026年8月3日，服装鞋帽" in html
    assert "13807311234" not in html
    entry.notice.refresh_from_db()
    assert entry.notice.opened_at is not None


def png(name="收据.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_the_merchant_objects_with_a_record_and_evidence(listed, texts, client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    page = draft_black()
    notices.send_notices(page)
    entry = entry_of(page, listed["wangfujing"])
    path = open_link(client, texts)
    record = entry.record_ids[0]
    pdf = SimpleUploadedFile(
        "和解协议.pdf", "%PDF-1.4\n% 和解协议\n".encode(), content_type="application/pdf"
    )
    response = client.post(
        path,
        {
            "reasons": "该投诉已于8月10日与消费者达成和解并退款，附和解协议。",
            "disclosure": record,
            "files": [pdf, png()],
        },
    )
    html = response.content.decode()
    assert "您的异议已提交" in html
    objection = EntryObjection.objects.get()
    assert objection.entry == entry and objection.page == page and objection.disclosure_id == record
    assert objection.identity_verified and objection.name == WANGFUJING
    assert [e.content_type for e in objection.evidence.all()] == ["application/pdf", "image/png"]
    for item in objection.evidence.all():
        assert item.path.is_file() and str(item.path).startswith(str(tmp_path))
    entry.refresh_from_db()
    assert entry.objection_state == EntryObjectionState.OBJECTED
    again = client.get(path).content.decode()
    assert "您提出的异议正在处理中。" in again and "提交异议" not in again


def test_a_file_that_is_neither_image_nor_pdf_is_refused(listed, texts, client):
    page = draft_black()
    notices.send_notices(page)
    path = open_link(client, texts)
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    html = client.post(path, {"reasons": "记录有误。", "files": [fake]}).content.decode()
    assert "“证据.pdf”不是PDF文件或JPEG、PNG格式的照片。" in html
    assert not EntryObjection.objects.exists()


def test_an_altered_link_is_refused(listed, texts, client):
    notices.send_notices(draft_black())
    path = open_link(client, texts)
    response = client.get(path[:-3] + "x/")
    assert response.status_code == 404
    assert "该链接无效" in response.content.decode()


def test_an_expired_link_says_the_window_is_over(listed, texts, client):
    page = draft_black()
    notices.send_notices(page, now=local(2026, 9, 30, 10, 0))
    response = client.get(open_link(client, texts))
    html = response.content.decode()
    assert response.status_code == 410
    assert "异议期已于10月13日结束" in html and "提交异议" not in html


def test_a_link_for_a_merchant_whose_entry_now_is_another_merchants_is_refused(
    listed, texts, client
):
    page = draft_black()
    notices.send_notices(page)
    path = open_link(client, texts)
    entry = entry_of(page, listed["wangfujing"])
    entry.credit_code = listed["gaoming"]
    entry.save()
    assert client.get(path).status_code == 404


def test_a_link_whose_entry_is_gone_is_refused(listed, texts, client):
    page = draft_black()
    notices.send_notices(page)
    path = open_link(client, texts)
    entry_of(page, listed["wangfujing"]).delete()
    assert not ListNotice.objects.filter(merchant__credit_code=listed["wangfujing"]).exists()
    response = client.get(path)
    assert response.status_code == 404 and "该链接无效" in response.content.decode()


def test_staff_see_who_could_not_be_told(listed, texts, admin_client):
    from django.urls import reverse

    page = draft_black()
    url = reverse("lists_admin:notices", args=[page.pk])
    html = admin_client.get(url).content.decode()
    assert "尚有2家已登记联系方式的经营者未收到上榜告知" in html
    admin_client.post(url)
    html = admin_client.get(url).content.decode()
    assert "有1家经营者无登记联系方式，无法告知。" in html
    assert "无登记联系方式，无法告知" in html and "长沙市岳麓区麓谷优选超市有限公司" in html
    assert len(texts) == 2
