"""POST /api/v1/complaints and POST /api/v1/complaints/sms-code: the intake for the WeChat
mini-program, on the open-data API's NinjaAPI (its document, its JSON errors).

The body is read here, not by ninja, so that every problem is told per field in Chinese
(``{"error": ..., "fields": {"phone": "请填写11位手机号码。"}}``): a missing field, a wrong
type, unreadable JSON. What a valid submission becomes is ``complaints.intake.submit``'s
decision, the same as for the web form. No cookies are involved, so no CSRF token is asked for;
each client has its own allowance of writes (``SubmissionThrottle``), apart from the reads'.
"""

import datetime
import json
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status
from ninja.throttling import BaseThrottle

from common.rate_limit import client_key, count_request
from common.regions import COUNTY
from disclosures.api.schemas import Throttled
from disclosures.api.throttling import Allowance
from merchants import codes
from merchants.models import Merchant, MerchantCode, Region

from .. import verification
from ..intake import MAX_AMOUNT, IntakeError, Submission, normalize_phone, submit
from ..models import Complaint
from . import schemas

SCOPE = "complaints_api"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 64  # Complaint.submission_key
_KEY_RE = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, as a header carries it

LABELS = {
    "merchant_code": gettext_lazy("商家公示码"),
    "merchant_name": gettext_lazy("商家名称"),
    "region_code": gettext_lazy("所在区县代码"),
    "content": gettext_lazy("投诉内容"),
    "demand": gettext_lazy("诉求"),
    "name": gettext_lazy("姓名"),
    "sms_code": gettext_lazy("短信验证码"),
}
MISSING = {
    "content": gettext_lazy("请填写投诉内容，说明发生了什么。"),
    "demand": gettext_lazy("请填写诉求，说明希望商家怎样解决。"),
    "name": gettext_lazy("请填写真实姓名（投诉按实名办理，不会公开）。"),
    "merchant_name": gettext_lazy("请填写商家公示码，或填写商家名称和所在区县代码。"),
    "region_code": gettext_lazy("请填写商家所在区县的6位行政区划代码，如430104。"),
    "sms_code": gettext_lazy("请填写短信验证码。"),
}
LIMITS = {"merchant_name": 200, "content": 2000, "demand": 500, "name": 50}
PHONE_MESSAGE = gettext_lazy("请填写11位手机号码。")


class SubmissionThrottle(BaseThrottle):
    """API_RATE_LIMIT writes per API_RATE_WINDOW seconds from each client, counted apart from
    its reads; told in the same X-RateLimit headers (``request.api_allowance``)."""

    def allow_request(self, request):
        limit = settings.API_RATE_LIMIT
        count, retry_after = count_request(request, SCOPE, settings.API_RATE_WINDOW)
        request.api_allowance = Allowance(limit, max(limit - count, 0), retry_after)
        return count <= limit


router = Router(throttle=SubmissionThrottle())


class Invalid(Exception):
    def __init__(self, fields, message=None):
        super().__init__(message)
        self.fields = fields
        self.message = message or _("提交的内容有误，请按提示修改。")


def refusal(fields, message=None):
    return Status(
        400, {"error": str(message or _("提交的内容有误，请按提示修改。")), "fields": fields}
    )


def read_json(request):
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        raise Invalid({}, _("提交的内容不是有效的JSON，请以UTF-8编码的JSON对象提交。")) from None
    if not isinstance(data, dict):
        raise Invalid({}, _('提交的内容应为JSON对象，如 {"phone": "13812345678", ...}。'))
    return data


def _text(data, name, errors, *, required=True):
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = str(MISSING[name])
        return ""
    if not isinstance(value, str):
        errors[name] = _("%(label)s请填写文字。") % {"label": LABELS[name]}
        return ""
    if name in LIMITS and len(value) > LIMITS[name]:
        errors[name] = _("%(label)s请不超过%(limit)s个字。") % {
            "label": LABELS[name],
            "limit": LIMITS[name],
        }
    return value


def _date(data, errors, today):
    value = data.get("occurred_on")
    if value in (None, ""):
        errors["occurred_on"] = _("请填写消费日期。")
        return None
    try:
        day = datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or len(value) != 10:
        errors["occurred_on"] = _("消费日期请按YYYY-MM-DD填写，如2026-03-15。")
        return None
    if day > today:
        errors["occurred_on"] = _("消费日期不能晚于今天。")
    return day


def _amount(data, errors):
    value = data.get("amount")
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        amount = Decimal(str(value).strip().replace(",", ""))
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors["amount"] = _("涉及金额请填写数字，如699.00。")
        return None
    if amount < 0:
        errors["amount"] = _("涉及金额不能为负数。")
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = _("涉及金额最多保留两位小数。")
    elif amount > MAX_AMOUNT:
        errors["amount"] = _("涉及金额过大，请核对。")
    return amount.quantize(Decimal("0.01")) if "amount" not in errors else None


def _consent(data, name, errors):
    value = data.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        errors[name] = _("请填写 true（同意）或 false（不同意）。")
        return False
    return value


def _phone(data, errors):
    value = data.get("phone")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    try:
        if not isinstance(value, str):
            raise IntakeError(PHONE_MESSAGE)
        return normalize_phone(value)
    except IntakeError:
        errors["phone"] = str(PHONE_MESSAGE)
        return ""


def _merchant(data, errors):
    """(merchant or None, its name, its county) from the code, or from the name and county."""
    code = data.get("merchant_code")
    if code not in (None, ""):
        if not isinstance(code, str):
            errors["merchant_code"] = _("商家公示码请填写文字。")
            return None, "", None
        found = (
            MerchantCode.objects.filter(code=codes.normalize(code), merchant__isnull=False)
            .select_related("merchant__region")
            .first()
        )
        if found is None:
            errors["merchant_code"] = _(
                "没有找到这个商家公示码，请核对二维码下方的8位公示码，"
                "或改填商家名称和所在区县代码。"
            )
            return None, "", None
        return found.merchant, found.merchant.registered_name, found.merchant.region
    name = _text(data, "merchant_name", errors)
    region_code = data.get("region_code")
    region = None
    if region_code in (None, ""):
        errors["region_code"] = str(MISSING["region_code"])
    elif not isinstance(region_code, str) or not re.fullmatch(r"\d{6}", region_code.strip()):
        errors["region_code"] = str(MISSING["region_code"])
    else:
        region = Region.objects.filter(code=region_code.strip()).first()
        if region is None or region.level != COUNTY:
            errors["region_code"] = _(
                "%(code)s不是区县的行政区划代码，请填写商家所在区县的6位代码，如430104。"
            ) % {"code": region_code.strip()}
            region = None
    if region is None or "merchant_name" in errors:
        return None, name, region
    # A registered merchant named exactly so in that county is the one complained about.
    named = list(
        Merchant.objects.filter(region=region)
        .filter(Q(registered_name=name.strip()) | Q(shop_name=name.strip()))
        .distinct()[:2]
    )
    merchant = named[0] if len(named) == 1 else None
    return merchant, merchant.registered_name if merchant else name.strip(), region


def read_submission(data, today):
    """(Submission fields, sms code) from the JSON object; raises Invalid with every problem."""
    errors = {}
    merchant, merchant_name, region = _merchant(data, errors)
    fields = {
        "merchant": merchant,
        "merchant_name": merchant_name,
        "region": region,
        "occurred_on": _date(data, errors, today),
        "content": _text(data, "content", errors),
        "demand": _text(data, "demand", errors),
        "amount": _amount(data, errors),
        "name": _text(data, "name", errors).strip(),
        "phone": _phone(data, errors),
        "consent_contact": _consent(data, "consent_contact", errors),
        "consent_publish": _consent(data, "consent_publish", errors),
    }
    sms_code = None
    if settings.COMPLAINT_PHONE_VERIFICATION:
        sms_code = data.get("sms_code")
        if isinstance(sms_code, int) and not isinstance(sms_code, bool):
            sms_code = f"{sms_code:06d}"
        if not isinstance(sms_code, str) or not sms_code.strip():
            errors["sms_code"] = str(MISSING["sms_code"])
    if errors:
        raise Invalid(errors)
    return fields, sms_code


def read_key(request):
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if key and (len(key) > MAX_KEY_LENGTH or not _KEY_RE.match(key)):
        raise Invalid({IDEMPOTENCY_HEADER: _("请求标识应为不超过64个字符的英文字母、数字或符号。")})
    return key


def created(outcome):
    complaint = outcome.complaint
    repeated = outcome.repeated
    return Status(
        201,
        {
            "tracking_number": complaint.tracking_number,
            "state": complaint.state,
            "state_label": complaint.get_state_display(),
            "unit": complaint.unit.name,
            "repeated_tracking_number": repeated.tracking_number if repeated else None,
        },
    )


class Replayed:
    def __init__(self, complaint):
        self.complaint = complaint
        self.repeated = complaint.duplicate_of


def _request_body_schema(schema):
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.json_schema()}},
        }
    }


SUBMIT_DOC = {
    **_request_body_schema(schemas.ComplaintIn),
    "parameters": [
        {
            "name": IDEMPOTENCY_HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
            "description": gettext_lazy(
                "请求标识（可选）：同一标识重复提交（如网络超时后重试）只生成一件投诉，"
                "返回同一个投诉编号"
            ),
        }
    ],
    "responses": {
        201: {"description": gettext_lazy("已收到投诉，返回投诉编号和承办单位")},
        400: {
            "description": gettext_lazy(
                "提交的内容有误（缺少字段、格式不对、不是JSON、商家公示码不存在、"
                "验证码不正确等），fields 中逐项写明原因，均为中文"
            )
        },
        429: {"description": gettext_lazy("提交过于频繁，请稍后再试")},
    },
}


@router.post(
    "complaints",
    response={201: schemas.ComplaintCreated, 400: schemas.FieldErrors, 429: Throttled},
    url_name="complaints_submit",
    summary=gettext_lazy("提交投诉"),
    description=gettext_lazy(
        "扫码投诉（微信小程序）：无需注册登录，按实名办理。填写商家公示码（merchant_code），"
        "或商家名称（merchant_name）和所在区县代码（region_code）；姓名和手机号码不会公开。"
        "同一手机号对同一商家30天内尚未办结的投诉，本次投诉并入一并办理"
        "（repeated_tracking_number）。开启手机验证时须先获取短信验证码并填写 sms_code。"
    ),
    openapi_extra=SUBMIT_DOC,
)
def submit_complaint(request):
    today = timezone.localdate()
    try:
        data = read_json(request)
        fields, sms_code = read_submission(data, today)
        key = read_key(request)
    except Invalid as problem:
        return refusal(problem.fields, problem.message)
    if key:
        # A retry after a lost answer: the same complaint, before the code (already used up).
        made = Complaint.objects.filter(submission_key=key).select_related("unit").first()
        if made is not None:
            if made.complainant_phone != fields["phone"]:
                return refusal({IDEMPOTENCY_HEADER: _("该请求标识已用于另一件投诉，请换一个。")})
            return created(Replayed(made))
    verified = False
    if settings.COMPLAINT_PHONE_VERIFICATION:
        if not verification.check(fields["phone"], sms_code):
            return refusal({"sms_code": _("短信验证码不正确或已过期，请重新获取。")})
        verified = True
    submission = Submission(**fields, phone_verified=verified, submission_key=key)
    try:
        outcome = submit(submission, channel=Complaint.Channel.API, client_key=client_key(request))
    except IntakeError as refused:
        where = "merchant_code" if data.get("merchant_code") else "region_code"
        return refusal({where: str(refused)}, str(refused))
    return created(outcome)


@router.post(
    "complaints/sms-code",
    response={200: schemas.SmsCodeSent, 400: schemas.FieldErrors, 429: schemas.FieldErrors},
    url_name="complaints_sms_code",
    summary=gettext_lazy("获取短信验证码"),
    description=gettext_lazy(
        "开启手机验证时，提交投诉前向投诉人手机发送6位验证码，5分钟内有效；"
        "同一号码60秒内只能获取一次，每天有次数上限。"
    ),
    openapi_extra={
        **_request_body_schema(schemas.SmsCodeIn),
        "responses": {
            200: {"description": gettext_lazy("验证码已发送")},
            400: {"description": gettext_lazy("手机号码有误，或未开启手机验证")},
            429: {"description": gettext_lazy("获取过于频繁，fields.phone 写明何时可以再试")},
        },
    },
)
def request_sms_code(request):
    try:
        data = read_json(request)
    except Invalid as problem:
        return refusal(problem.fields, problem.message)
    errors = {}
    phone = _phone(data, errors)
    if errors:
        return refusal(errors)
    if not settings.COMPLAINT_PHONE_VERIFICATION:
        return refusal({}, _("本站未开启手机验证，提交投诉无需验证码。"))
    try:
        verification.send_code(phone)
    except verification.VerificationError as refused:
        return Status(429, {"error": str(refused), "fields": {"phone": str(refused)}})
    return Status(
        200,
        {"resend_after": verification.RESEND_SECONDS, "expires_in": verification.CODE_SECONDS},
    )
