"""Alibaba Cloud SMS (dysmsapi ``SendSms``, API version 2017-05-25), over HTTPS with urllib.

A request is signed with the RPC signature version 1.0 (HMAC-SHA1 of the canonical,
percent-encoded parameters with the AccessKey secret plus "&"). Only a template registered with
the provider can be sent: ``ALIYUN_SMS_TEMPLATE_CODE`` with a ``${code}`` variable, filled from
``send``'s params; the sign name (签名) is ``ALIYUN_SMS_SIGN_NAME``.

The transport is a function ``(url, body, headers, timeout) -> (status, body)``, so the tests
replay a recorded exchange instead of reaching the network.
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import BaseBackend, SmsError, mask_phone

logger = logging.getLogger("complaints.sms")

ENDPOINT = "https://dysmsapi.aliyuncs.com/"
VERSION = "2017-05-25"
REGION = "cn-hangzhou"
TIMEOUT = 10  # seconds: the consumer is waiting for the code

# Provider codes a consumer can act on; any other refusal is "try later" (BaseBackend.unavailable).
CONSUMER_ERRORS = {
    "isv.BUSINESS_LIMIT_CONTROL": _("短信发送过于频繁，请稍后再试。"),
    "isv.MOBILE_NUMBER_ILLEGAL": _("手机号码格式不正确，请填写11位手机号码。"),
    "isv.DAY_LIMIT_CONTROL": _("该手机号今天接收短信次数已达上限，请明天再试。"),
}


def percent_encode(value):
    """RFC 3986, as the signature wants it: only A-Z a-z 0-9 - _ . ~ unencoded, UTF-8."""
    return quote(str(value), safe="~")


def signature(params, secret, method="POST"):
    """Base64 HMAC-SHA1 over METHOD&%2F&<encoded canonical query> with ``secret + "&"``."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(value)}" for key, value in sorted(params.items())
    )
    text = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def urllib_transport(url, body, headers, timeout):
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refusal:  # a refusal still carries the provider's JSON
        return refusal.code, refusal.read()


def _utc_now():
    return datetime.datetime.now(datetime.UTC)


class AliyunBackend(BaseBackend):
    def __init__(
        self,
        access_key_id=None,
        access_key_secret=None,
        sign_name=None,
        template_code=None,
        *,
        transport=urllib_transport,
        clock=_utc_now,
        nonce=lambda: uuid.uuid4().hex,
        endpoint=ENDPOINT,
    ):
        self.access_key_id = access_key_id or settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.access_key_secret = access_key_secret or settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.sign_name = sign_name or settings.ALIYUN_SMS_SIGN_NAME
        self.template_code = template_code or settings.ALIYUN_SMS_TEMPLATE_CODE
        # Aliyun sends only registered templates: one per purpose of a message.
        self.template_codes = {
            "verification": self.template_code,
            "settlement": settings.ALIYUN_SMS_SETTLEMENT_TEMPLATE_CODE,
            "objection": settings.ALIYUN_SMS_OBJECTION_TEMPLATE_CODE,
            "list_notice": settings.ALIYUN_SMS_LIST_NOTICE_TEMPLATE_CODE,
        }
        self.transport = transport
        self.clock = clock
        self.nonce = nonce
        self.endpoint = endpoint

    def parameters(self, phone, params, purpose="verification"):
        """Every parameter of the request, the signature included."""
        signed = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": REGION,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": self.nonce(),
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_codes.get(purpose) or self.template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": VERSION,
        }
        return {**signed, "Signature": signature(signed, self.access_key_secret)}

    def send(self, phone, message, purpose="verification", **params):
        # POST, not GET: the phone number stays out of any proxy's access log of URLs.
        body = "&".join(
            f"{percent_encode(key)}={percent_encode(value)}"
            for key, value in self.parameters(phone, params, purpose).items()
        ).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        try:
            status, raw = self.transport(self.endpoint, body, headers, TIMEOUT)
        except (OSError, urllib.error.URLError) as failure:
            logger.warning("阿里云短信无法连接（%s）：%s", mask_phone(phone), failure)
            raise SmsError(str(self.unavailable)) from failure
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {}
        if status == 200 and answer.get("Code") == "OK":
            return answer.get("BizId")
        code = answer.get("Code", f"HTTP {status}")
        logger.warning(
            "阿里云短信发送失败（%s）：%s %s，RequestId %s",
            mask_phone(phone),
            code,
            answer.get("Message", ""),
            answer.get("RequestId", ""),
        )
        raise SmsError(str(CONSUMER_ERRORS.get(code, self.unavailable)))
