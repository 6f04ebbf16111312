"""Development: every message is written to the log (logger ``complaints.sms``), nothing is
sent. The phone is masked there as everywhere: the code is what a developer needs."""

import logging

from .base import BaseBackend, mask_phone

logger = logging.getLogger("complaints.sms")


class ConsoleBackend(BaseBackend):
    def send(self, phone, message, purpose="verification", **params):
        logger.info("短信（未发送，开发环境）→ %s：%s", mask_phone(phone), message)
        return None
