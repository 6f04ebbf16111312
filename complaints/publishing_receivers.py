"""Disclosing a complaint when it closes: the receiver of ``workflow.transitioned``.

The signal comes after the closing has committed, so a record that cannot be made (a region
the disclosure rules refuse) is logged for staff and never undoes the closing. The log line
names the tracking number and the reasons, never the complaint's text or the complainant.
"""

import logging

from django.dispatch import receiver

from . import publishing, workflow
from .states import Action

logger = logging.getLogger(__name__)

CLOSING_ACTIONS = frozenset({Action.CLOSE, Action.SETTLE})


@receiver(workflow.transitioned, dispatch_uid="complaints_publish_on_close")
def publish_on_close(sender, complaint, action, **kwargs):
    if action not in CLOSING_ACTIONS or not complaint.consent_publish:
        return
    try:
        publishing.publish(complaint)
    except publishing.PublishError as error:
        logger.warning("%s", error)
