"""The merchant's first settlement through its signed link: the SMS to its private contact when
a complaint enters 先行和解, the page it answers on, and every way the link is refused."""

import datetime
import json
import re

import pytest
from django.core import signing
from django.utils import timezone

from complaints import settlement, tracking, workflow
from complaints.models import ComplaintEvent
from complaints.states import Action, State

from .complaints_fixtures import YUELU, make_complaint, make_registered_merchant

pytestmark = pytest.mark.django_db

CONTENT = "在王府井百货买的电饭煲用了三天内胆涂层脱落，店员说“过了七天不管”，拒绝退换。"
DEMAND = "更换同型号电饭煲，或退款459元。"


@pytest.fixture
def texts(monkeypatch):
    """Messages the SMS backend would send: [(phone, message)]."""
    from complaints import sms

    sent = []
    monkeypatch.setattr(sms, "send", lambda phone, message, **params: sent.append((phone, message)))
    return sent


@pytest.fixture
def merchant(db):
    return make_registered_merchant()


@pytest.fixture
def in_settlement(merchant, texts, django_capture_on_commit_callbacks):
    complaint = make_complaint(
        merchant=merchant,
        name="高明",
        phone="13912345678",
        content=CONTENT,
        demand=DEMAND,
        consent_contact=True,
    )
    workflow.perform(complaint, Action.ACCEPT, note="已电话核实，内部备注")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = workflow.perform(complaint, Action.START_SETTLEMENT)
    return complaint


def link_path(message):
    return re.search(r"https?://[^/]+(/complaints/settle/[^/]+/)", message).group(1)


def test_entering_settlement_texts_the_merchants_private_contact(in_settlement, texts):
    assert len(texts) == 1
    phone, message = texts[0]
    assert phone == "13807311234"  # Merchant.contact_phone, never public
    assert in_settlement.tracking_number in message
    assert "先行和解" in message
    assert "高明" not in message and "13912345678" not in message
    assert link_path(message).startswith("/complaints/settle/")


def test_no_text_for_other_steps(merchant, texts, django_capture_on_commit_callbacks):
    complaint = make_complaint(merchant=merchant)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(complaint, Action.ACCEPT)
    assert texts == []


def test_a_failed_text_does_not_undo_the_step(
    merchant, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from complaints import sms

    def broken(phone, message, **params):
        raise sms.SmsError("短信发送失败")

    monkeypatch.setattr(sms, "send", broken)
    complaint = make_complaint(merchant=merchant)
    workflow.perform(complaint, Action.ACCEPT)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = workflow.perform(complaint, Action.START_SETTLEMENT)
    complaint.refresh_from_db()
    assert complaint.state == State.SETTLEMENT
    assert "13807311234" not in caplog.text


def test_page_shows_the_complaint_and_masked_consumer_only(client, in_settlement, texts):
    response = client.get(link_path(texts[0][1]))
    # The token stays on this site; "no-referrer" would make browsers post with Origin: null.
    assert response["Referrer-Policy"] == "same-origin"
    page = response.content.decode()
    assert CONTENT.replace("“", "&ldquo;")[:10] in page or CONTENT[:10] in page
    assert "更换同型号电饭煲" in page
    assert "高某" in page
    assert "139****5678" in page
    assert "高明" not in page
    assert "13912345678" not in page
    assert "内部备注" not in page
    assert "王建国" not in page  # the merchant's own contact person is not repeated to it
    assert YUELU in page
    for choice in ("同意消费者诉求", "提出和解方案", "不同意和解"):
        assert choice in page
    assert "csrfmiddlewaretoken" in page


def test_no_consumer_shown_without_consent(in_settlement):
    in_settlement.consent_contact = False
    assert settlement.complainant_shown(in_settlement) is None


def test_answer_shows_on_the_desk_log_and_in_tracking(client, in_settlement, texts):
    path = link_path(texts[0][1])
    proposal = "同意换新一台同型号电饭煲，请消费者凭购物小票到麓山店服务台办理。"
    response = client.post(path, {"answer": "propose", "text": proposal})
    page = response.content.decode()
    assert response.status_code == 200
    assert "答复已提交" in page and proposal in page

    event = in_settlement.events.get(action=Action.MERCHANT_ANSWER)
    assert event.actor == ComplaintEvent.Actor.MERCHANT
    assert event.public_note == "提出和解方案"
    in_settlement.refresh_from_db()
    assert in_settlement.settlement_text == proposal
    assert in_settlement.state == State.SETTLEMENT  # the unit decides what follows

    view = tracking.public_view(in_settlement)
    assert view["settlement"]["answer_display"] == "提出和解方案"
    assert view["settlement"]["text"] == proposal
    assert "商家先行和解" not in [d["title"] for d in view["deadlines"]]  # met
    shown = client.post(
        "/complaints/track/",
        {"tracking_number": in_settlement.tracking_number, "phone_last4": "5678"},
    ).content.decode()
    assert "商家先行和解答复" in shown and proposal in shown


def test_propose_and_decline_need_text(client, in_settlement, texts):
    path = link_path(texts[0][1])
    page = client.post(path, {"answer": "decline", "text": "  "}).content.decode()
    assert "请写明不同意和解的理由。" in page
    page = client.post(path, {"answer": "propose"}).content.decode()
    assert "请写明您提出的和解方案。" in page
    page = client.post(path, {"answer": "refund-everything"}).content.decode()
    assert "请选择一项答复。" in page
    in_settlement.refresh_from_db()
    assert in_settlement.settlement_answer == ""


def test_reused_link_shows_the_answer_and_cannot_answer_twice(client, in_settlement, texts):
    path = link_path(texts[0][1])
    client.post(path, {"answer": "accept", "text": ""})
    again = client.get(path).content.decode()
    assert "该投诉已答复，不能重复答复" in again
    assert "同意消费者诉求" in again
    assert "<textarea" not in again

    second = client.post(path, {"answer": "decline", "text": "货已售出概不负责"})
    assert "该投诉已答复，不能重复答复" in second.content.decode()
    in_settlement.refresh_from_db()
    assert in_settlement.settlement_answer == "accept"
    assert in_settlement.events.filter(action=Action.MERCHANT_ANSWER).count() == 1
    with pytest.raises(settlement.AlreadyAnswered):
        settlement.answer(in_settlement, "decline", "货已售出概不负责")


def test_expired_link(client, in_settlement, texts, monkeypatch):
    path = link_path(texts[0][1])
    due = settlement.settlement_deadline(in_settlement)
    token = path.split("/")[-2]
    assert settlement.read_token(token, now=due - datetime.timedelta(minutes=1))
    with pytest.raises(settlement.ExpiredLink):
        settlement.read_token(token, now=due)

    later = due + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 410
    assert "链接已过期" in page
    assert "更换同型号电饭煲" not in page  # the complaint is no longer shown
    response = client.post(path, {"answer": "accept"})
    assert response.status_code == 410
    in_settlement.refresh_from_db()
    assert in_settlement.settlement_answer == ""


def test_link_for_another_merchant_is_refused(client, in_settlement, texts):
    other = make_registered_merchant(
        registered_name="长沙市岳麓区高明五金店", shop_name="高明五金", contact_phone="13600000000"
    )
    forged = signing.dumps(
        {"c": in_settlement.pk, "m": other.pk, "e": int(timezone.now().timestamp()) + 86400},
        salt=settlement.SALT,
    )
    response = client.get(f"/complaints/settle/{forged}/")
    assert response.status_code == 404
    assert "该链接无效" in response.content.decode()
    assert "更换同型号电饭煲" not in response.content.decode()


def test_link_after_the_merchant_was_corrected_is_refused(client, in_settlement, texts):
    other = make_registered_merchant(
        registered_name="长沙市岳麓区金华日用品店", shop_name="金华日用"
    )
    type(in_settlement).objects.filter(pk=in_settlement.pk).update(merchant=other)
    response = client.get(link_path(texts[0][1]))
    assert response.status_code == 404


def later_expiry(token):
    payload, rest = token.split(":", 1)
    data = json.loads(signing.b64_decode(payload.encode()))
    data["e"] += 365 * 86400
    return (
        signing.b64_encode(json.dumps(data, separators=(",", ":")).encode()).decode() + ":" + rest
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature
        lambda token: later_expiry(token),  # the payload changed, its signature kept
        lambda token: "not-a-token",
        lambda token: signing.dumps({"c": 1, "m": 1, "e": 9999999999}, salt="another.purpose"),
    ],
)
def test_tampered_link_is_refused(client, in_settlement, texts, change):
    token = link_path(texts[0][1]).split("/")[-2]
    response = client.get(f"/complaints/settle/{change(token)}/")
    assert response.status_code == 404
    assert "该链接无效" in response.content.decode()
    response = client.post(f"/complaints/settle/{change(token)}/", {"answer": "accept"})
    assert response.status_code == 404
    in_settlement.refresh_from_db()
    assert in_settlement.settlement_answer == ""


def test_link_after_the_unit_moved_on(client, in_settlement, texts):
    workflow.perform(in_settlement, Action.START_MEDIATION)
    response = client.get(link_path(texts[0][1]))
    assert response.status_code == 410
    assert "该投诉已不在先行和解阶段" in response.content.decode()
