"""SMS: the console backend for development, the Alibaba Cloud adapter replayed from a recorded
exchange (no network), and the verification codes built on them."""

import datetime
import json
import logging
import pickle
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache

from complaints import sms, verification
from complaints.sms.aliyun import AliyunBackend, signature

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "sms" / "aliyun_send_sms.json").read_text("utf-8")
)
PHONE = "13812345678"


class Recorded:
    """A transport that keeps what the adapter sent and answers with one recorded response."""

    def __init__(self, name):
        self.response = FIXTURE["responses"][name]
        self.sent = []

    def __call__(self, url, body, headers, timeout):
        self.sent.append({"url": url, "body": body, "headers": headers, "timeout": timeout})
        return self.response["status"], json.dumps(self.response["body"]).encode()


def recorded_backend(response):
    request = FIXTURE["request"]
    clock = datetime.datetime.fromisoformat(request["clock"])
    transport = Recorded(response)
    backend = AliyunBackend(
        **request["backend"],
        transport=transport,
        clock=lambda: clock,
        nonce=lambda: request["nonce"],
    )
    return backend, transport


def send_recorded(backend):
    request = FIXTURE["request"]
    return backend.send(request["phone"], "您的投诉验证码是482913。", **request["template_params"])


def test_the_signature_is_alibaba_clouds_own_documented_example():
    example = FIXTURE["documented_example"]
    got = signature(example["params"], example["access_key_secret"], method=example["method"])
    assert got == example["signature"]


def test_the_adapter_sends_the_recorded_request():
    backend, transport = recorded_backend("ok")
    assert send_recorded(backend) == "900619746936498440^0"
    (sent,) = transport.sent
    request = FIXTURE["request"]
    assert sent["url"] == request["url"] == "https://dysmsapi.aliyuncs.com/"
    assert sent["headers"] == request["headers"]
    assert dict(parse_qsl(sent["body"].decode(), strict_parsing=True)) == request["params"]
    # The phone travels in the POST body, never in a URL a proxy would log.
    assert request["phone"] not in sent["url"]
    assert request["params"]["TemplateParam"] == '{"code":"482913"}'
    assert request["params"]["SignName"] == "放心消费"


def test_the_settlement_link_goes_out_on_its_own_registered_template(settings):
    settings.ALIYUN_SMS_SETTLEMENT_TEMPLATE_CODE = "SMS_700000002"
    backend, transport = recorded_backend("ok")
    backend.send(PHONE, "商家先行和解链接", purpose="settlement", number="FX2026112600000001")
    sent = dict(parse_qsl(transport.sent[0]["body"].decode()))
    assert sent["TemplateCode"] == "SMS_700000002"
    assert sent["TemplateCode"] != FIXTURE["request"]["params"]["TemplateCode"]
    assert sent["TemplateParam"] == '{"number":"FX2026112600000001"}'


def test_flow_control_is_told_in_chinese_and_logged_without_the_number(caplog):
    backend, _transport = recorded_backend("business_limit")
    with caplog.at_level(logging.WARNING, logger="complaints.sms"):
        with pytest.raises(sms.SmsError) as refused:
            send_recorded(backend)
    assert str(refused.value) == "短信发送过于频繁，请稍后再试。"
    assert "isv.BUSINESS_LIMIT_CONTROL" in caplog.text
    assert "138****5678" in caplog.text and PHONE not in caplog.text


def test_a_refusal_that_is_not_the_consumers_doing_says_try_later():
    backend, _transport = recorded_backend("signature_mismatch")
    with pytest.raises(sms.SmsError) as refused:
        send_recorded(backend)
    assert str(refused.value) == "短信发送失败，请稍后再试或拨打12315投诉举报电话。"


def test_no_connection_is_an_sms_error_too():
    def unreachable(url, body, headers, timeout):
        raise OSError("Network is unreachable")

    backend = AliyunBackend("id", "secret", "放心消费", "SMS_1", transport=unreachable)
    with pytest.raises(sms.SmsError):
        backend.send(PHONE, "验证码", code="123456")


def test_the_console_backend_writes_the_code_to_the_log(settings, caplog):
    settings.SMS_BACKEND = "complaints.sms.console.ConsoleBackend"
    with caplog.at_level(logging.INFO, logger="complaints.sms"):
        sms.send(PHONE, "您的投诉验证码是482913，5分钟内有效。", code="482913")
    assert "482913" in caplog.text
    assert "138****5678" in caplog.text and PHONE not in caplog.text


# --- verification ------------------------------------------------------------------------------


@pytest.fixture
def sent_codes(monkeypatch):
    codes = []
    monkeypatch.setattr(sms, "send", lambda phone, message, **params: codes.append(params["code"]))
    return codes


def test_a_code_is_six_digits_and_right_once(sent_codes):
    verification.send_code(PHONE)
    (code,) = sent_codes
    assert re.fullmatch(r"\d{6}", code)
    assert not verification.check("13900001111", code)  # another number
    assert verification.check(PHONE, code)
    assert not verification.check(PHONE, code)  # used up


def test_full_width_digits_are_the_same_code(sent_codes):
    verification.send_code(PHONE)
    typed = sent_codes[0].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert verification.check(PHONE, f" {typed} ")


def test_the_code_is_kept_hashed_not_as_sent(sent_codes):
    verification.send_code(PHONE)
    stored = [pickle.loads(value) for value in cache._cache.values()]
    assert sent_codes[0] not in repr(stored)
    assert PHONE not in repr(stored) and not any(PHONE in key for key in cache._cache)


def test_a_second_code_within_a_minute_is_refused_in_chinese(sent_codes):
    verification.send_code(PHONE)
    with pytest.raises(verification.VerificationError) as refused:
        verification.send_code(PHONE)
    assert re.fullmatch(r"验证码已发送，请\d+秒后再重新获取。", str(refused.value))
    assert len(sent_codes) == 1
    verification.send_code("13900001111")  # another number is not held up


def test_wrong_guesses_use_the_code_up(sent_codes):
    verification.send_code(PHONE)
    wrong = f"{(int(sent_codes[0]) + 1) % 10**6:06d}"
    for _attempt in range(verification.MAX_ATTEMPTS):
        assert not verification.check(PHONE, wrong)
    assert not verification.check(PHONE, sent_codes[0])


def test_a_day_has_a_cap(sent_codes, monkeypatch):
    monkeypatch.setattr(verification, "RESEND_SECONDS", 0)  # as if a minute passed each time
    for _attempt in range(verification.DAILY_LIMIT):
        verification.send_code(PHONE)
    with pytest.raises(verification.VerificationError) as refused:
        verification.send_code(PHONE)
    assert "今天获取验证码的次数已达上限" in str(refused.value)


def test_a_code_the_provider_did_not_send_can_be_asked_for_again(monkeypatch):
    def refuse(phone, message, **params):
        raise sms.SmsError("短信发送过于频繁，请稍后再试。")

    monkeypatch.setattr(sms, "send", refuse)
    with pytest.raises(verification.VerificationError) as refused:
        verification.send_code(PHONE)
    assert str(refused.value) == "短信发送过于频繁，请稍后再试。"
    sent = []
    monkeypatch.setattr(sms, "send", lambda phone, message, **params: sent.append(params))
    verification.send_code(PHONE)  # not held up by the minute
    assert sent
