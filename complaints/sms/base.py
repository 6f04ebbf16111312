"""What every SMS backend is: ``send(phone, message, **params)``, raising SmsError."""

from django.utils.translation import gettext_lazy as _


class SmsError(Exception):
    """A message that was not sent; the text, in Chinese, can be shown to the consumer."""


def mask_phone(phone):
    """138****5678: enough for a log line to tell two numbers apart, never the number."""
    phone = str(phone or "")
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


class BaseBackend:
    # Told to the consumer when a provider refuses in a way that is no fault of theirs.
    unavailable = _("短信发送失败，请稍后再试或拨打12315投诉举报电话。")

    def send(self, phone, message, purpose="verification", **params):
        raise NotImplementedError
