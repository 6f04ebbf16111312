"""Text messages to a complainant's phone through the backend named by ``settings.SMS_BACKEND``
(a dotted path): ``console.ConsoleBackend`` writes them to the log for development,
``aliyun.AliyunBackend`` sends them through Alibaba Cloud SMS.

    send("13812345678", "您的验证码是123456，5分钟内有效。", code="123456")

``message`` is the whole text (what the console shows); ``params`` are the template's variables
for a provider that only sends templates registered with it (Aliyun's TemplateParam).
"""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import SmsError, mask_phone

__all__ = ["SmsError", "backend", "mask_phone", "send"]


@lru_cache(maxsize=4)
def _backend(path):
    return import_string(path)()


def backend():
    """The configured backend (one instance per dotted path)."""
    return _backend(settings.SMS_BACKEND)


def send(phone, message, purpose="verification", **params):
    """Send ``message`` to ``phone``; raises SmsError, in Chinese, when it cannot be sent.

    ``purpose`` ("verification", "settlement") picks the provider's registered template."""
    return backend().send(phone, message, purpose=purpose, **params)
