"""What follows a handling step without the workflow knowing: connected in ``apps.ready``."""

import logging

from django.dispatch import receiver

from .states import Action
from .workflow import transitioned

logger = logging.getLogger(__name__)


@receiver(transitioned, dispatch_uid="complaints.settlement_link")
def send_settlement_link(sender, complaint, action, event, **kwargs):
    """A complaint entering 先行和解 texts its merchant the answer link (``settlement``)."""
    if action != Action.START_SETTLEMENT:
        return
    from . import settlement

    try:
        settlement.send_link(complaint)
    except Exception:
        # The step is committed; a failed text must not turn the clerk's click into an error
        # page. Logged (without the phone) for the operators to resend.
        logger.exception("settlement link for complaint %s not sent", complaint.tracking_number)
