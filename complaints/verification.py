"""The complainant's mobile number checked by a six-digit code sent by SMS (``complaints.sms``).

``send_code(phone)`` sends a fresh code, at most once a minute and ``DAILY_LIMIT`` times a day
per number, raising VerificationError (in Chinese) when asked too often; ``check(phone, code)``
says whether the code is right. Codes live in Django's cache (Redis in production, shared by
every process) for five minutes, as a keyed hash, never as the code: a right code is used up,
and ``MAX_ATTEMPTS`` wrong ones use it up too. Cache keys name a keyed hash of the number, not
the number.
"""

import hashlib
import hmac
import re
import secrets
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from . import sms

CODE_SECONDS = 5 * 60
RESEND_SECONDS = 60
DAILY_LIMIT = 10
MAX_ATTEMPTS = 5
_CODE_RE = re.compile(r"^\d{6}$")


class VerificationError(Exception):
    """A code that was not sent; the message, in Chinese, tells the consumer why."""


def _keyed(*parts):
    text = ":".join(str(part) for part in parts)
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _key(kind, phone, *more):
    return ":".join(["complaints", "verify", kind, _keyed("phone", phone)[:32], *map(str, more)])


def _count(key, seconds):
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def send_code(phone):
    """Send a new code to ``phone`` (11 digits, already normalized)."""
    now = time.time()
    if not cache.add(_key("sent", phone), now, RESEND_SECONDS):
        sent_at = cache.get(_key("sent", phone)) or now
        wait = min(RESEND_SECONDS, max(1, int(RESEND_SECONDS - (now - sent_at)) + 1))
        message = _("验证码已发送，请%(seconds)s秒后再重新获取。")
        raise VerificationError(message % {"seconds": wait})
    today = timezone.localdate()
    if _count(_key("day", phone, today.isoformat()), 26 * 3600) > DAILY_LIMIT:
        raise VerificationError(
            _("该手机号今天获取验证码的次数已达上限，请明天再试或拨打12315投诉举报电话。")
        )
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_key("code", phone), _keyed("code", phone, code), CODE_SECONDS)
    cache.delete(_key("tries", phone))
    message = _("您的投诉验证码是%(code)s，%(minutes)s分钟内有效。请勿告诉他人。") % {
        "code": code,
        "minutes": CODE_SECONDS // 60,
    }
    try:
        sms.send(phone, message, code=code)
    except sms.SmsError as failure:
        # Not sent: the consumer may ask again at once (the day's count still holds).
        cache.delete_many([_key("code", phone), _key("sent", phone)])
        raise VerificationError(str(failure)) from failure


def check(phone, code):
    """True once for the code last sent to ``phone`` within five minutes."""
    stored = cache.get(_key("code", phone))
    if stored is None:
        return False
    if _count(_key("tries", phone), CODE_SECONDS) > MAX_ATTEMPTS:
        cache.delete(_key("code", phone))
        return False
    typed = unicodedata.normalize("NFKC", str(code or "")).strip()
    if not _CODE_RE.match(typed) or not hmac.compare_digest(stored, _keyed("code", phone, typed)):
        return False
    cache.delete_many([_key("code", phone), _key("tries", phone)])
    return True


def seconds_until_resend(phone, now=None):
    """Seconds before ``send_code`` may send to ``phone`` again (0: now)."""
    sent_at = cache.get(_key("sent", phone))
    if sent_at is None:
        return 0
    return max(0, int(RESEND_SECONDS - ((now or time.time()) - sent_at)))


__all__ = ["VerificationError", "check", "send_code"]
