"""Staff decide on objections and replies in the admin (异议与回应): 审核 verifies a licence,
upholds (correcting or withdrawing the record) or rejects with a reason, approves or rejects a
reply; 编辑 reads the queues only. What each decision shows on the record page, in search and
in the API, and what stays private."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from disclosures.models import Disclosure, HandlingResult
from home.roles import EDITOR, REVIEWER
from objections import decisions, files, filing
from objections.models import DeskLog, MerchantReply, RecordObjection

from .objections_fixtures import (
    LUGU_CODE,
    UNREGISTERED_CODE,
    jpeg,
    link_path_of,
    make_lugu,
    make_lugu_record,
    make_unregistered_record,
    pdf,
    record_url,
    visible_text,
)

pytestmark = pytest.mark.django_db

REASONS = "该笔消费已于3月2日全额退款，有银行退款凭证为证，公示的处理结果与事实不符。"
QUEUE = reverse("objections_desk:index")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def lugu(db):
    return make_lugu()


@pytest.fixture
def record(lugu):
    return make_lugu_record(lugu)


def member(django_user_model, group, username):
    user = django_user_model.objects.create_user(username, password="口令-123456")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(django_user_model):
    return member(django_user_model, REVIEWER, "shenhe")


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, EDITOR, "bianji")


@pytest.fixture
def objection(client, lugu, record):
    client.post(
        link_path_of(lugu, record),
        {"form": "objection", "reasons": REASONS, "evidence": [pdf("银行退款凭证.pdf")]},
    )
    return RecordObjection.objects.get()


@pytest.fixture
def licence_objection(db):
    record = make_unregistered_record()
    identity = filing.identity_from_licence(
        UNREGISTERED_CODE, files.prepare_photo(jpeg()), "赵志强", "13974112233"
    )
    return filing.file_objection(record, identity, "本店当日未营业，有停电通知为证。")


def objection_url(objection, action=None):
    if action:
        return reverse("objections_desk:objection_act", args=[objection.pk, action])
    return reverse("objections_desk:objection", args=[objection.pk])


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def state_of(record):
    return Disclosure.objects.get(pk=record.pk).objection_state


def test_the_editor_reads_the_queue_but_cannot_decide(client, editor, objection):
    client.force_login(editor)
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert objection.disclosure.complaint_number in queue.content.decode()
    assert client.get(objection_url(objection)).status_code == 200
    assert refused(client.post(objection_url(objection, "reject"), {"reason": "证据不足"}))
    evidence = objection.evidence.get()
    url = reverse("objections_desk:evidence", args=[objection.pk, evidence.pk])
    assert refused(client.get(url))
    assert RecordObjection.objects.get().state == "pending"


def test_the_public_cannot_reach_the_desk(client, objection):
    assert client.get(QUEUE).status_code == 302
    assert client.get(objection_url(objection)).status_code == 302


def test_the_reviewer_opens_the_evidence_from_private_storage(client, reviewer, objection):
    client.force_login(reviewer)
    page = client.get(objection_url(objection)).content.decode()
    assert "银行退款凭证.pdf" in page
    evidence = objection.evidence.get()
    response = client.get(reverse("objections_desk:evidence", args=[objection.pk, evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


def test_rejected_the_record_stands_and_shows_the_reason(client, reviewer, objection):
    record = objection.disclosure
    assert state_of(record) == Disclosure.ObjectionState.OBJECTED
    client.force_login(reviewer)
    response = client.post(objection_url(objection, "reject"), {"reason": ""})
    assert RecordObjection.objects.get().state == "pending"  # a reason is required
    response = client.post(
        objection_url(objection, "reject"),
        {"reason": "经调取处理记录，消费者未获退款，原处理结果无误。"},
    )
    assert response.status_code == 302
    assert state_of(record) == Disclosure.ObjectionState.NONE
    client.logout()
    page = visible_text(client.get(record_url(record)).content.decode())
    assert "异议不成立" in page
    assert "经调取处理记录，消费者未获退款，原处理结果无误。" in page
    assert "无异议" in page
    log = DeskLog.objects.get()
    assert log.user == reviewer and log.action == DeskLog.Action.REJECTED


def test_upheld_with_a_correction_the_record_says_what_changed(client, reviewer, objection):
    record = objection.disclosure
    client.force_login(reviewer)
    success = HandlingResult.objects.get(name="调解成功")
    response = client.post(
        objection_url(objection, "correct"),
        {
            "result": success.pk,
            "closed_on": record.closed_on.isoformat(),
            "recovered_amount": "458.00",
            "summary": record.summary,
            "consumer_request": record.consumer_request,
            "reason": "",
        },
    )
    assert response.status_code == 302
    corrected = Disclosure.objects.get(pk=record.pk)
    assert corrected.result == success
    assert corrected.objection_state == Disclosure.ObjectionState.CORRECTED
    client.logout()
    page = visible_text(client.get(record_url(record)).content.decode())
    assert "更正记录" in page
    assert "处理结果由“调解不成功”更正为“调解成功”" in page
    assert "挽回经济损失由“299.00元”更正为“458.00元”" in page
    assert "已更正" in page
    assert RecordObjection.objects.get().state == "upheld"


def test_a_correction_must_change_something(client, reviewer, objection):
    record = objection.disclosure
    client.force_login(reviewer)
    client.post(
        objection_url(objection, "correct"),
        {
            "result": record.result_id,
            "closed_on": record.closed_on.isoformat(),
            "recovered_amount": str(record.recovered_amount),
            "summary": record.summary,
            "consumer_request": record.consumer_request,
        },
    )
    assert RecordObjection.objects.get().state == "pending"
    assert state_of(record) == Disclosure.ObjectionState.OBJECTED


def test_upheld_withdrawal_takes_the_record_off_every_public_path(client, reviewer, objection):
    record = objection.disclosure
    number = record.complaint_number
    assert number in client.get(reverse("disclosures:search"), {"q": "进口牛奶"}).content.decode()
    client.force_login(reviewer)
    client.post(objection_url(objection, "withdraw"), {"reason": "该投诉已被撤销。"})
    assert state_of(record) == Disclosure.ObjectionState.WITHDRAWN
    client.logout()
    assert client.get(record_url(record)).status_code == 404
    search = client.get(reverse("disclosures:search"), {"q": "进口牛奶"}).content.decode()
    assert number not in search
    assert number not in client.get(reverse("api:disclosures"), {"q": "进口牛奶"}).content.decode()
    merchant_page = client.get(reverse("disclosures:merchant", args=[LUGU_CODE]))
    assert number not in merchant_page.content.decode()
    assert record.corrections.get().action == "withdrawn"


def test_a_decided_objection_cannot_be_decided_again(reviewer, objection):
    decisions.reject(objection, reviewer, "证据不足")
    with pytest.raises(decisions.DecisionError):
        decisions.uphold_withdraw(objection, reviewer)
    assert state_of(objection.disclosure) == Disclosure.ObjectionState.NONE


def test_a_licence_objection_takes_effect_once_verified(client, reviewer, licence_objection):
    record = licence_objection.disclosure
    assert state_of(record) == Disclosure.ObjectionState.NONE
    client.force_login(reviewer)
    queue = client.get(QUEUE, {"tab": "licences"}).content.decode()
    assert record.complaint_number in queue
    page = client.get(objection_url(licence_objection)).content.decode()
    assert "赵志强" in page and "13974112233" in page
    licence = client.get(reverse("objections_desk:objection_licence", args=[licence_objection.pk]))
    assert licence.status_code == 200 and licence["Content-Type"] == "image/jpeg"
    # Not verified yet: it cannot be upheld.
    client.post(objection_url(licence_objection, "withdraw"), {"reason": ""})
    assert state_of(record) == Disclosure.ObjectionState.NONE
    client.post(objection_url(licence_objection, "verify"), {"reason": "执照名称与代码一致"})
    assert state_of(record) == Disclosure.ObjectionState.OBJECTED
    assert DeskLog.objects.get().action == DeskLog.Action.VERIFIED


def test_the_editor_sees_no_submitter_and_no_licence(client, editor, licence_objection):
    client.force_login(editor)
    page = client.get(objection_url(licence_objection)).content.decode()
    assert "赵志强" not in page and "13974112233" not in page
    url = reverse("objections_desk:objection_licence", args=[licence_objection.pk])
    assert refused(client.get(url))


def test_replies_are_approved_or_rejected_by_the_reviewer(client, reviewer, editor, lugu, record):
    client.post(
        link_path_of(lugu, record),
        {"form": "reply", "statement": "refunded", "text": "已为消费者办理退货退款。"},
    )
    reply = MerchantReply.objects.get()
    client.force_login(editor)
    url = reverse("objections_desk:reply_act", args=[reply.pk, "approve"])
    assert refused(client.post(url))
    client.force_login(reviewer)
    assert record.complaint_number in client.get(QUEUE, {"tab": "replies"}).content.decode()
    assert client.post(url).status_code == 302
    assert MerchantReply.objects.get().state == "approved"
    client.logout()
    page = visible_text(client.get(record_url(record)).content.decode())
    assert "已为消费者退款、退货或赔偿" in page and "已为消费者办理退货退款。" in page
    assert "经营者声明，未经市场监管部门核实" in page


def test_a_licence_reply_needs_verification_before_approval(reviewer):
    record = make_unregistered_record()
    identity = filing.identity_from_licence(
        UNREGISTERED_CODE, files.prepare_photo(jpeg()), "赵志强", "13974112233"
    )
    reply = filing.file_reply(record, identity, "rectified", "已整改后厨卫生。")
    with pytest.raises(decisions.DecisionError):
        decisions.approve_reply(reply, reviewer)
    decisions.verify_identity(reply, reviewer)
    assert decisions.approve_reply(reply, reviewer).state == "approved"


def test_a_rejected_reply_needs_a_reason(reviewer, lugu, record):
    reply = MerchantReply.objects.create(
        disclosure=record,
        merchant=lugu,
        credit_code=LUGU_CODE,
        channel="link",
        identity_verified=True,
        statement="disputes_facts",
        text="消费者所述与事实不符。",
    )
    with pytest.raises(decisions.DecisionError):
        decisions.reject_reply(reply, reviewer, " ")
    decisions.reject_reply(reply, reviewer, "请补充说明不符之处。")
    assert MerchantReply.objects.get().review_reason == "请补充说明不符之处。"
