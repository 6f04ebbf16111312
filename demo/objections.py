"""Demo objections and replies on 长沙市's disclosed records, made through the same filing and
decision functions as the public pages and the admin desk.

The merchants behind the current demo black list speak up: the first entry's latest record has
the merchant's reply (已整改, reviewed and shown), its next record a rejected objection with the
reason shown on the record page; another entry's record was corrected after an upheld
objection (the result, with its line in the record's public log), and one record is still
异议处理中. Each record is chosen from the published list's records in a fixed order and is
skipped when it already has an objection or a reply, so a second run changes nothing.
"""

from dataclasses import dataclass

from disclosures.models import Disclosure, HandlingResult
from lists.models import ListPage, ListRule
from objections import decisions, filing
from objections.models import MerchantReply, MerchantSubmission

from .lists import CITY_CODE

REPLY_TEXT = (
    "收到投诉后，门店已对临期商品逐一清查下架，建立每日临期检查和收银复核制度，"
    "并已向消费者退还货款、赔礼道歉。欢迎广大消费者监督。"
)
REJECTED_REASONS = "该消费者所购商品并非本店售出，投诉与本店无关，请求撤回该条公示。"
REJECTION = "投诉人提供的购物小票、付款记录与经营者的收银流水一致，异议不成立。"
UPHELD_REASONS = "双方已于调解当日签订调解协议，本店已按协议退款，公示的处理结果与实际不符。"
UPHELD_REASON = "经营者提交了双方签字的调解协议书和退款凭证，经承办单位核实，处理结果予以更正。"
PENDING_REASONS = "投诉所称的服务项目本店从未经营，疑为消费者记错商家，请求核查。"


@dataclass
class ObjectionDemoReport:
    made: int = 0

    def lines(self):
        return [f"异议与回应：本次新增 {self.made} 项（回应、异议不成立、更正、处理中各一）"]


def _identity(record):
    """The merchant's link identity when it is registered; else a licence staff verified."""
    if record.merchant_id:
        return {
            "merchant": record.merchant,
            "credit_code": record.credit_code,
            "channel": MerchantSubmission.Channel.LINK,
            "identity_verified": True,
        }
    return {
        "credit_code": record.credit_code,
        "channel": MerchantSubmission.Channel.LICENCE,
        "identity_verified": True,
    }


def _untouched(entry):
    """The entry's public records without an objection or a reply, newest first."""
    return list(
        Disclosure.objects.public()
        .filter(pk__in=entry.record_ids, objections__isnull=True, replies__isnull=True)
        .select_related("merchant")
        .order_by("-complained_on", "-pk")
    )


def _current_black_list():
    return (
        ListPage.objects.live()
        .filter(region_code=CITY_CODE, kind=ListRule.Kind.BLACK)
        .order_by("-period")
        .first()
    )


def ensure_demo_objections(users):
    report = ObjectionDemoReport()
    page = _current_black_list()
    if page is None or Disclosure.objects.filter(replies__isnull=False).exists():
        return report
    reviewer = users.get("shenhe")
    entries = list(page.entries.order_by("rank"))
    first = _untouched(entries[0]) if entries else []
    if len(first) >= 2:
        reply = filing.file_reply(
            first[0], _identity(first[0]), MerchantReply.Statement.RECTIFIED, REPLY_TEXT
        )
        decisions.approve_reply(reply, reviewer)
        objection = filing.file_objection(first[1], _identity(first[1]), REJECTED_REASONS)
        decisions.reject(objection, reviewer, REJECTION)
        report.made += 2
    others = [record for entry in entries[2:] for record in _untouched(entry)[:1]]
    success = HandlingResult.objects.filter(is_mediation_success=True).order_by("pk").first()
    corrected = next((r for r in others if success and r.result_id != success.pk), None)
    if corrected is not None:
        objection = filing.file_objection(corrected, _identity(corrected), UPHELD_REASONS)
        decisions.uphold_correct(objection, reviewer, {"result": success}, UPHELD_REASON)
        report.made += 1
        others.remove(corrected)
    if others:
        filing.file_objection(others[0], _identity(others[0]), PENDING_REASONS)
        report.made += 1
    return report
